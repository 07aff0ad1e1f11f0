/* sd-server-seed.c — a small Korean homeware shop for --demo.
 *
 * Product photos are drawn at seed time with cairo (a still life per
 * category, coloured per product), so the repository stays small and every
 * product still has an image of its own. */
#define G_LOG_DOMAIN "storedesk-server"

#include "sd-server-seed.h"

#include <cairo.h>
#include <glib/gstdio.h>
#include <math.h>

#define SEEDED_KEY "demo-seeded"
#define IMAGE_SIZE 480

typedef enum { MOTIF_BOX, MOTIF_BOWL, MOTIF_DROP, MOTIF_PILLOW, MOTIF_LAMP, MOTIF_VASE, MOTIF_CUP } Motif;

typedef struct {
  const char *name;
  const char *brand;
  gint64      price;
  const char *option;   /* "name:value,value" or NULL */
  gint64      stock;    /* -1: not tracked */
  const char *line;     /* one line of description */
} SeedProduct;

typedef struct {
  const char *name;
  Motif       motif;
  double      hue;
  const char *blurb;
  SeedProduct products[7];
} SeedCategory;

static const SeedCategory catalog[] = {
  { "수납", MOTIF_BOX, 30, "집 안 곳곳을 깔끔하게 정리해 주는 수납 용품입니다.", {
    { "라탄 수납 바구니", "꿀단집", 12000, "색상:내추럴,화이트", 12, "손으로 엮은 라탄이라 가볍고 튼튼합니다." },
    { "접이식 패브릭 수납함", "정리왕", 8900, "색상:그레이,베이지,네이비", 30, "쓰지 않을 때는 납작하게 접어 둘 수 있습니다." },
    { "투명 냉장고 정리 용기 4종", "정리왕", 15900, NULL, 20, "안이 보여서 무엇이 남았는지 한눈에 알 수 있습니다." },
    { "원목 3단 선반", "나무결", 45000, "색상:오크,월넛", 5, "원목 그대로의 결을 살린 튼튼한 선반입니다." },
    { "옷장 서랍 칸막이", "정리왕", 6500, NULL, -1, "양말과 속옷을 칸칸이 나누어 보관하세요." },
    { "스태킹 수납 박스", "꿀단집", 9800, "크기:S,M,L", 40, "차곡차곡 쌓아도 흔들리지 않는 수납 박스입니다." },
    { "벽걸이 메쉬 선반", "철물점", 13500, "색상:블랙,화이트", 0, "못 하나로 벽에 거는 철제 선반입니다." } } },
  { "주방", MOTIF_BOWL, 200, "매일 쓰는 주방을 더 즐겁게 만드는 도구입니다.", {
    { "무쇠 프라이팬 24cm", "부엌연구소", 39000, NULL, 8, "길들일수록 음식이 달라붙지 않는 무쇠 팬입니다." },
    { "스테인리스 밀폐용기 세트", "부엌연구소", 27000, "구성:3종,5종", 15, "냄새가 배지 않는 스테인리스 용기입니다." },
    { "원목 도마", "나무결", 18000, "크기:소,대", 25, "칼자국이 덜 남는 단단한 원목 도마입니다." },
    { "실리콘 주방 집게", "꿀단집", 5900, "색상:그레이,민트", -1, "코팅 팬을 긁지 않는 실리콘 집게입니다." },
    { "도자기 밥그릇 2P", "소소도예", 16000, "색상:화이트,베이지", 14, "손으로 빚어 하나하나 모양이 다릅니다." },
    { "유리 드립 커피 서버", "모닝빈", 22000, NULL, 9, "내열 유리로 만든 600ml 커피 서버입니다." },
    { "린넨 앞치마", "꿀단집", 19000, "색상:차콜,오트밀", 11, "빨수록 부드러워지는 린넨 앞치마입니다." } } },
  { "욕실", MOTIF_DROP, 190, "보송하고 깨끗한 욕실을 위한 용품입니다.", {
    { "규조토 발매트", "보송", 14900, "색상:그레이,아이보리", 30, "물기를 빠르게 흡수해 늘 보송합니다." },
    { "호텔 수건 5장 세트", "보송", 29000, "색상:화이트,그레이", 18, "40수 면사로 짠 도톰한 수건입니다." },
    { "자동 디스펜서", "깨끗해", 24000, NULL, 7, "손을 대면 알맞은 양이 나옵니다." },
    { "욕실 코너 선반", "철물점", 11000, NULL, -1, "녹이 슬지 않는 스테인리스 선반입니다." },
    { "대나무 칫솔 4개입", "자연담음", 6000, NULL, 50, "자연으로 돌아가는 대나무 손잡이 칫솔입니다." },
    { "샤워 필터 헤드", "깨끗해", 21000, NULL, 13, "잔류 염소를 걸러 주는 샤워 헤드입니다." },
    { "면 샤워 가운", "보송", 42000, "크기:M,L", 6, "가볍고 흡수가 잘 되는 와플 조직 가운입니다." } } },
  { "침구", MOTIF_PILLOW, 260, "포근한 잠자리를 위한 침구입니다.", {
    { "60수 면 이불 커버", "포근잠", 59000, "크기:싱글,퀸,킹", 10, "매끄럽고 시원한 60수 면 커버입니다." },
    { "메모리폼 베개", "포근잠", 35000, NULL, 16, "목을 편안하게 받쳐 주는 베개입니다." },
    { "린넨 베개 커버 2P", "꿀단집", 18000, "색상:내추럴,블루", 22, "여름에도 산뜻한 린넨 커버입니다." },
    { "극세사 담요", "포근잠", 25000, "색상:크림,브라운", 12, "소파에서 덮기 좋은 부드러운 담요입니다." },
    { "차렵 이불", "포근잠", 79000, "크기:슈퍼싱글,퀸", 4, "사계절 쓰기 좋은 두께의 이불입니다." },
    { "방수 매트리스 커버", "보송", 32000, "크기:싱글,퀸", -1, "소리 나지 않는 방수 원단을 썼습니다." },
    { "쿠션 솜 45x45", "꿀단집", 7000, NULL, 40, "빵빵하게 채운 쿠션 속입니다." } } },
  { "조명", MOTIF_LAMP, 45, "공간의 분위기를 바꾸는 조명입니다.", {
    { "라탄 펜던트 조명", "빛날", 68000, NULL, 5, "라탄 사이로 부드러운 빛이 퍼집니다." },
    { "무드 LED 스탠드", "빛날", 32000, "색상:화이트,블랙", 12, "밝기와 색온도를 바꿀 수 있습니다." },
    { "충전식 캠핑 랜턴", "빛날", 27000, NULL, 9, "한 번 충전으로 12시간 켜 둘 수 있습니다." },
    { "전구색 LED 전구 2입", "빛날", 8000, NULL, -1, "눈이 편안한 2700K 전구색입니다." },
    { "원목 테이블 램프", "나무결", 54000, NULL, 3, "원목 받침과 패브릭 갓의 테이블 램프입니다." },
    { "줄전구 10m", "반짝", 15000, "색상:전구색,주광색", 20, "창가와 베란다를 꾸미기 좋은 줄전구입니다." },
    { "센서 무드등", "반짝", 12000, NULL, 25, "움직임을 감지해 저절로 켜집니다." } } },
  { "인테리어 소품", MOTIF_VASE, 330, "집에 포인트가 되는 소품입니다.", {
    { "세라믹 화병", "소소도예", 26000, "색상:화이트,테라코타", 8, "꽃 한 송이만 꽂아도 멋스러운 화병입니다." },
    { "패브릭 포스터", "그림가게", 17000, "크기:A3,A2", 15, "벽에 걸기만 하면 되는 패브릭 포스터입니다." },
    { "원형 벽거울", "꿀단집", 38000, NULL, 6, "얇은 금속 테의 원형 거울입니다." },
    { "소이 캔들", "향기공방", 19000, "향:라벤더,무화과,우디", 30, "콩기름으로 만든 깨끗한 캔들입니다." },
    { "디퓨저 200ml", "향기공방", 23000, "향:화이트머스크,베르가못", 18, "은은한 향이 두 달 동안 이어집니다." },
    { "원목 벽시계", "나무결", 33000, NULL, 7, "초침 소리가 나지 않는 무소음 시계입니다." },
    { "인조 올리브 나무", "초록집", 49000, NULL, 4, "물을 주지 않아도 늘 푸른 올리브 나무입니다." } } },
  { "생활잡화", MOTIF_CUP, 120, "생활을 편하게 해 주는 잡화입니다.", {
    { "스테인리스 텀블러", "모닝빈", 21000, "색상:실버,블랙,크림", 35, "6시간 동안 온도를 지켜 주는 텀블러입니다." },
    { "장바구니 에코백", "꿀단집", 9000, "색상:아이보리,카키", -1, "작게 접어 가방에 넣어 다닐 수 있습니다." },
    { "우산 꽂이", "철물점", 16000, NULL, 10, "물받이가 달린 철제 우산 꽂이입니다." },
    { "무선 미니 가습기", "보송", 29000, NULL, 12, "책상 위에 두기 좋은 작은 가습기입니다." },
    { "접이식 빨래 건조대", "철물점", 36000, NULL, 5, "쓰지 않을 때는 얇게 접혀 자리를 차지하지 않습니다." },
    { "다용도 수납 파우치", "꿀단집", 7500, "색상:핑크,그레이", 28, "화장품과 충전기를 함께 넣기 좋습니다." },
    { "휴대용 손 선풍기", "반짝", 14000, "색상:화이트,민트", 16, "세 단계 바람 세기의 손 선풍기입니다." } } },
};

/* ---- drawing -------------------------------------------------------- */

static void
hsl (cairo_t *cr, double h, double s, double l, double a)
{
  double c = (1 - fabs (2 * l - 1)) * s;
  double hp = fmod (h, 360) / 60.0;
  double x = c * (1 - fabs (fmod (hp, 2) - 1));
  double r = 0, g = 0, b = 0, m = l - c / 2;

  if (hp < 1) { r = c; g = x; }
  else if (hp < 2) { r = x; g = c; }
  else if (hp < 3) { g = c; b = x; }
  else if (hp < 4) { g = x; b = c; }
  else if (hp < 5) { r = x; b = c; }
  else { r = c; b = x; }
  cairo_set_source_rgba (cr, r + m, g + m, b + m, a);
}

static void
rounded (cairo_t *cr, double x, double y, double w, double h, double r)
{
  cairo_new_sub_path (cr);
  cairo_arc (cr, x + w - r, y + r, r, -G_PI / 2, 0);
  cairo_arc (cr, x + w - r, y + h - r, r, 0, G_PI / 2);
  cairo_arc (cr, x + r, y + h - r, r, G_PI / 2, G_PI);
  cairo_arc (cr, x + r, y + r, r, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
}

static void
draw_product (cairo_t *cr, Motif motif, double hue, guint index)
{
  const double S = IMAGE_SIZE;
  double accent = fmod (hue + index * 51.0, 360);
  double k = 0.85 + 0.05 * (index % 4);   /* size varies per product */
  cairo_pattern_t *bg = cairo_pattern_create_linear (0, 0, 0, S);

  cairo_pattern_add_color_stop_rgb (bg, 0, 0.98, 0.97, 0.95);
  cairo_pattern_add_color_stop_rgb (bg, 1, 0.92, 0.90, 0.87);
  cairo_set_source (cr, bg);
  cairo_paint (cr);
  cairo_pattern_destroy (bg);

  /* shelf line and soft shadow */
  hsl (cr, hue, 0.25, 0.80, 1);
  cairo_rectangle (cr, 0, S * 0.78, S, S * 0.22);
  cairo_fill (cr);
  cairo_save (cr);
  cairo_translate (cr, S / 2, S * 0.79);
  cairo_scale (cr, 1, 0.12);
  cairo_arc (cr, 0, 0, S * 0.30 * k, 0, 2 * G_PI);
  cairo_restore (cr);
  cairo_set_source_rgba (cr, 0, 0, 0, 0.12);
  cairo_fill (cr);

  cairo_translate (cr, S / 2, S * 0.78);
  cairo_scale (cr, k, k);
  switch (motif)
    {
    case MOTIF_BOX:
      for (int i = 0; i < 2 + (int) (index % 2); i++)
        {
          double w = S * (0.50 - i * 0.08), h = S * 0.16;
          rounded (cr, -w / 2, -(i + 1) * h - i * 4.0, w, h, 10);
          hsl (cr, accent + i * 18, 0.45, 0.55 + i * 0.08, 1);
          cairo_fill (cr);
        }
      break;
    case MOTIF_BOWL:
      cairo_move_to (cr, -S * 0.30, -S * 0.26);
      cairo_curve_to (cr, -S * 0.30, S * 0.02, S * 0.30, S * 0.02, S * 0.30, -S * 0.26);
      cairo_close_path (cr);
      hsl (cr, accent, 0.50, 0.55, 1);
      cairo_fill (cr);
      cairo_save (cr);
      cairo_translate (cr, 0, -S * 0.26);
      cairo_scale (cr, 1, 0.18);
      cairo_arc (cr, 0, 0, S * 0.30, 0, 2 * G_PI);
      cairo_restore (cr);
      hsl (cr, accent, 0.40, 0.75, 1);
      cairo_fill (cr);
      break;
    case MOTIF_DROP:
      cairo_move_to (cr, 0, -S * 0.58);
      cairo_curve_to (cr, S * 0.10, -S * 0.40, S * 0.24, -S * 0.28, S * 0.24, -S * 0.16);
      cairo_arc (cr, 0, -S * 0.16, S * 0.24, 0, G_PI);
      cairo_curve_to (cr, -S * 0.24, -S * 0.28, -S * 0.10, -S * 0.40, 0, -S * 0.58);
      hsl (cr, accent, 0.55, 0.58, 1);
      cairo_fill (cr);
      cairo_arc (cr, -S * 0.08, -S * 0.20, S * 0.05, 0, 2 * G_PI);
      cairo_set_source_rgba (cr, 1, 1, 1, 0.6);
      cairo_fill (cr);
      break;
    case MOTIF_PILLOW:
      rounded (cr, -S * 0.34, -S * 0.30, S * 0.68, S * 0.30, S * 0.10);
      hsl (cr, accent, 0.35, 0.68, 1);
      cairo_fill (cr);
      rounded (cr, -S * 0.26, -S * 0.46, S * 0.52, S * 0.20, S * 0.09);
      hsl (cr, accent + 25, 0.45, 0.60, 1);
      cairo_fill (cr);
      break;
    case MOTIF_LAMP:
      cairo_rectangle (cr, -S * 0.015, -S * 0.42, S * 0.03, S * 0.40);
      cairo_set_source_rgb (cr, 0.35, 0.30, 0.26);
      cairo_fill (cr);
      rounded (cr, -S * 0.12, -S * 0.03, S * 0.24, S * 0.03, 4);
      cairo_fill (cr);
      cairo_move_to (cr, -S * 0.10, -S * 0.58);
      cairo_line_to (cr, S * 0.10, -S * 0.58);
      cairo_line_to (cr, S * 0.20, -S * 0.40);
      cairo_line_to (cr, -S * 0.20, -S * 0.40);
      cairo_close_path (cr);
      hsl (cr, accent, 0.60, 0.62, 1);
      cairo_fill (cr);
      cairo_arc (cr, 0, -S * 0.38, S * 0.16, 0, G_PI);
      cairo_set_source_rgba (cr, 1, 0.95, 0.6, 0.45);
      cairo_fill (cr);
      break;
    case MOTIF_VASE:
      cairo_move_to (cr, -S * 0.07, -S * 0.56);
      cairo_line_to (cr, S * 0.07, -S * 0.56);
      cairo_curve_to (cr, S * 0.07, -S * 0.44, S * 0.24, -S * 0.36, S * 0.20, -S * 0.14);
      cairo_curve_to (cr, S * 0.18, -S * 0.04, S * 0.12, 0, 0, 0);
      cairo_curve_to (cr, -S * 0.12, 0, -S * 0.18, -S * 0.04, -S * 0.20, -S * 0.14);
      cairo_curve_to (cr, -S * 0.24, -S * 0.36, -S * 0.07, -S * 0.44, -S * 0.07, -S * 0.56);
      hsl (cr, accent, 0.45, 0.58, 1);
      cairo_fill (cr);
      break;
    case MOTIF_CUP:
      rounded (cr, -S * 0.16, -S * 0.46, S * 0.32, S * 0.46, S * 0.05);
      hsl (cr, accent, 0.40, 0.55, 1);
      cairo_fill (cr);
      rounded (cr, -S * 0.17, -S * 0.52, S * 0.34, S * 0.08, S * 0.03);
      hsl (cr, accent, 0.20, 0.35, 1);
      cairo_fill (cr);
      break;
    }
}

static cairo_status_t
append_png (void *closure, const unsigned char *data, unsigned int length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/* Draws the product's photo into the blobs and returns its relative path. */
static char *
write_product_image (SdServerBlobs *blobs, Motif motif, double hue, guint index, GError **error)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, IMAGE_SIZE, IMAGE_SIZE);
  cairo_t *cr = cairo_create (surface);
  g_autofree char *name = g_strdup_printf ("product-demo-%02u-%08x.png", index, g_random_int ());
  g_autoptr(GByteArray) png = g_byte_array_new ();
  g_autoptr(GBytes) bytes = NULL;
  cairo_status_t status;

  draw_product (cr, motif, hue, index);
  cairo_destroy (cr);
  status = cairo_surface_write_to_png_stream (surface, append_png, png);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "drawing %s: %s",
                   name, cairo_status_to_string (status));
      return NULL;
    }
  bytes = g_byte_array_free_to_bytes (g_steal_pointer (&png));
  if (!sd_server_blobs_put (blobs, name, bytes, "image/png", error))
    return NULL;
  return g_strconcat ("uploads/", name, NULL);
}

/* ---- seeding -------------------------------------------------------- */

static gboolean
seed (SdServerStore *store, gpointer blobs, GError **error)
{
  const SdServerUserInput users[] = {
    { SD_DEMO_ADMIN_EMAIL, SD_DEMO_ADMIN_PASSWORD, "관리자", "01000000000",
      "서울특별시 중구 세종대로 110", "3층 꿀단집", "admin" },
    { SD_DEMO_CUSTOMER_EMAIL, SD_DEMO_CUSTOMER_PASSWORD, "김하늘", "01012345678",
      "부산광역시 해운대구 우동 1408", "101동 1001호", "user" },
  };
  guint index = 0;
  g_autofree char *seeded = NULL;

  /* Again under the write lock: another node on the same database may
   * have seeded it since the look outside. */
  if (!sd_server_store_get_meta (store, SEEDED_KEY, &seeded, error))
    return FALSE;
  if (seeded != NULL)
    return TRUE;
  for (guint c = 0; c < G_N_ELEMENTS (catalog); c++)
    {
      const SeedCategory *cat = &catalog[c];
      g_autofree char *category_id = sd_server_store_create_category (store, cat->name, error);

      if (category_id == NULL)
        return FALSE;
      for (guint p = 0; p < G_N_ELEMENTS (cat->products); p++, index++)
        {
          const SeedProduct *sp = &cat->products[p];
          g_autofree char *image = write_product_image (blobs, cat->motif, cat->hue, index, error);
          g_autofree char *description = NULL;
          g_auto(GStrv) option = sp->option ? g_strsplit (sp->option, ":", 2) : NULL;
          g_auto(GStrv) values = option ? g_strsplit (option[1], ",", 0) : NULL;
          g_autofree char *id = NULL;
          SdServerProductInput in = {
            .category_id = category_id, .name = sp->name, .brand = sp->brand,
            .price = sp->price, .option_name = option ? option[0] : NULL,
            .option_values = (const char * const *) values, .stock = sp->stock,
          };

          if (image == NULL)
            return FALSE;
          description = g_strdup_printf ("%s %s", sp->line, cat->blurb);
          in.image = image;
          in.description = description;
          id = sd_server_store_create_product (store, &in, error);
          if (id == NULL)
            return FALSE;
        }
    }

  for (guint u = 0; u < G_N_ELEMENTS (users); u++)
    {
      g_autofree char *id = sd_server_store_create_user (store, &users[u], error);
      if (id == NULL)
        return FALSE;
    }
  return sd_server_store_set_meta (store, SEEDED_KEY, "1", error);
}

gboolean
sd_server_seed_demo (SdServerStore *store, SdServerBlobs *blobs, GError **error)
{
  g_autofree char *seeded = NULL;

  if (!sd_server_store_get_meta (store, SEEDED_KEY, &seeded, error))
    return FALSE;
  if (seeded != NULL)
    return TRUE;

  g_message ("seeding the demo shop");
  return sd_server_store_atomically (store, seed, blobs, error);
}
