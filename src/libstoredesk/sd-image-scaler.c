/* sd-image-scaler.c — rows in, a smaller picture out, by exact area
 * averaging: each output pixel is the mean of the input area it covers,
 * edges weighted by how much of them it covers. Only one input row and
 * one output row of sums are held, whatever the input size. */
#define G_LOG_DOMAIN "storedesk-core"

#include "config.h"

#include <string.h>

#include "sd-image-private.h"

/* Weights in fixed point: 255 × 255 × ONE still fits 32 bits. */
#define ONE 32768

struct _SdImageScaler
{
  guint    in_w, in_h, channels;
  guint    out_w, out_h;
  guint8  *out;
  gsize    out_stride;
  gboolean premultiply;   /* RGBA: colours weighted by their alpha */

  /* Horizontal: output x takes count[x] input pixels from first[x],
   * weighted by weights[x × taps …]. */
  guint   *first;
  guint   *count;     /* input pixels covered by output x */
  guint    taps;      /* the most any output pixel covers */
  guint16 *weights;   /* taps per output pixel, fixed point: each set sums to ONE */

  /* Vertical: the output row being summed, and where it ends in input rows. */
  float   *row;       /* one input row reduced to out_w */
  float   *sum;       /* the output row so far */
  guint    y_in;      /* input rows pushed */
  guint    y_out;     /* output rows written */
  double   scale_y;   /* input rows per output row */
};

SdImageScaler *
sd_image_scaler_new (guint in_w, guint in_h, guint channels, guint out_w, guint out_h, guint8 *out, gsize out_stride)
{
  SdImageScaler *s = g_new0 (SdImageScaler, 1);
  double scale_x = (double) in_w / out_w;

  g_return_val_if_fail (out_w > 0 && out_h > 0 && out_w <= in_w && out_h <= in_h, NULL);
  g_return_val_if_fail (channels == 3 || channels == 4, NULL);
  s->in_w = in_w, s->in_h = in_h, s->channels = channels;
  s->out_w = out_w, s->out_h = out_h, s->out = out, s->out_stride = out_stride;
  s->premultiply = channels == 4;
  s->scale_y = (double) in_h / out_h;
  s->first = g_new (guint, out_w);
  s->count = g_new (guint, out_w);
  /* At most ceil(scale) + 1 input pixels touch one output pixel. */
  s->taps = MIN ((guint) scale_x + 2, in_w);
  s->weights = g_new0 (guint16, (gsize) out_w * s->taps);
  for (guint x = 0; x < out_w; x++)
    {
      double a = x * scale_x, b = MIN ((x + 1) * scale_x, (double) in_w);
      guint i0 = (guint) a, i1 = MIN ((guint) b + (b > (guint) b), in_w);
      guint first = i0;
      guint16 *w = s->weights + (gsize) x * s->taps;
      guint total = 0, largest = 0;

      s->first[x] = first;
      s->count[x] = i1 - i0;
      for (guint i = i0; i < i1; i++)
        {
          guint16 v = (guint16) ((MIN (i + 1.0, b) - MAX ((double) i, a)) / scale_x * ONE + 0.5);

          w[i - first] = v;
          total += v;
          if (v > w[largest])
            largest = i - first;
        }
      w[largest] += ONE - total;   /* exactly ONE, rounding or not */
    }
  s->row = g_new (float, (gsize) out_w * channels);
  s->sum = g_new0 (float, (gsize) out_w * channels);
  return s;
}

void
sd_image_scaler_free (SdImageScaler *s)
{
  if (s == NULL)
    return;
  g_free (s->first);
  g_free (s->count);
  g_free (s->weights);
  g_free (s->row);
  g_free (s->sum);
  g_free (s);
}

/* sum += w × row, four at a time (GCC and clang vector extensions). */
static void
add_scaled (float *restrict sum, const float *restrict row, float w, gsize n)
{
  typedef float v4 __attribute__ ((vector_size (16)));
  const v4 wv = { w, w, w, w };
  gsize i = 0;

  for (; i + 4 <= n; i += 4)
    {
      v4 a, b;

      memcpy (&a, sum + i, sizeof a);
      memcpy (&b, row + i, sizeof b);
      a += wv * b;
      memcpy (sum + i, &a, sizeof a);
    }
  for (; i < n; i++)
    sum[i] += w * row[i];
}

static void
emit (SdImageScaler *s)
{
  guint8 *d = s->out + (gsize) s->y_out * s->out_stride;
  const guint c = s->channels;
  const float *sum = s->sum;

  if (s->premultiply)
    for (guint x = 0; x < s->out_w; x++, sum += 4, d += 4)
      {
        float a = sum[3];

        for (guint k = 0; k < 3; k++)
          d[k] = a > 0 ? (guint8) CLAMP (sum[k] * 255.0f / a + 0.5f, 0, 255) : 0;
        d[3] = (guint8) CLAMP (a + 0.5f, 0, 255);
      }
  else
    {
      /* Weighted means of 0…255 with weights summing to one (to a few
       * ulps): never outside [0, 255.001], so rounded without clamping,
       * four at a time. */
      typedef float v4 __attribute__ ((vector_size (16)));
      typedef int v4i __attribute__ ((vector_size (16)));
      const gsize n = (gsize) s->out_w * c;
      const v4 half = { 0.5f, 0.5f, 0.5f, 0.5f };
      gsize i = 0;

      for (; i + 4 <= n; i += 4)
        {
          v4 f;
          v4i q;

          memcpy (&f, sum + i, sizeof f);
          q = __builtin_convertvector (f + half, v4i);
          d[i] = (guint8) q[0], d[i + 1] = (guint8) q[1], d[i + 2] = (guint8) q[2], d[i + 3] = (guint8) q[3];
        }
      for (; i < n; i++)
        d[i] = (guint8) (int) (sum[i] + 0.5f);
    }
  s->y_out++;
  memset (s->sum, 0, sizeof (float) * s->out_w * c);
}

void
sd_image_scaler_push (SdImageScaler *s, const guint8 *in)
{
  const guint c = s->channels;
  double top = s->y_in, bottom = s->y_in + 1.0;

  if (s->y_out >= s->out_h)
    return;
  /* Already the size asked for (a JPEG scaled exactly by its IDCT). */
  if (s->in_w == s->out_w && s->in_h == s->out_h)
    {
      memcpy (s->out + (gsize) s->y_out++ * s->out_stride, in, (gsize) s->out_w * c);
      s->y_in++;
      return;
    }
  /* The row reduced across. */
  if (s->in_w == s->out_w)
    for (guint i = 0; i < s->out_w * c; i += c)
      {
        float a = s->premultiply ? in[i + 3] / 255.0f : 1.0f;

        for (guint k = 0; k < c; k++)
          s->row[i + k] = (s->premultiply && k < 3) ? in[i + k] * a : in[i + k];
      }
  else if (s->premultiply)
    for (guint x = 0; x < s->out_w; x++)
      {
        const guint8 *p = in + (gsize) s->first[x] * 4;
        const guint16 *w = s->weights + (gsize) x * s->taps;
        const guint count = s->count[x];
        float *r = s->row + (gsize) x * 4;
        guint32 acc0 = 0, acc1 = 0, acc2 = 0, acc3 = 0;

        for (guint i = 0; i < count; i++, p += 4)
          {
            guint32 wa = (guint32) w[i] * p[3];

            acc0 += wa * p[0], acc1 += wa * p[1], acc2 += wa * p[2], acc3 += wa;
          }
        /* Colours times alpha, in 0…255 units; alpha. */
        r[0] = acc0 * (1.0f / (ONE * 255.0f)), r[1] = acc1 * (1.0f / (ONE * 255.0f));
        r[2] = acc2 * (1.0f / (ONE * 255.0f)), r[3] = acc3 * (1.0f / ONE);
      }
  else
    {
      const guint *first = s->first, *counts = s->count;
      const guint16 *weights = s->weights;
      const guint taps = s->taps, out_w = s->out_w;
      float *restrict r = s->row;

      for (guint x = 0; x < out_w; x++, r += 3)
        {
          const guint8 *p = in + (gsize) first[x] * 3;
          const guint16 *w = weights + (gsize) x * taps;
          guint32 acc0 = 0, acc1 = 0, acc2 = 0;

          for (guint i = 0; i < counts[x]; i++, p += 3)
            acc0 += (guint32) w[i] * p[0], acc1 += (guint32) w[i] * p[1], acc2 += (guint32) w[i] * p[2];
          r[0] = acc0 * (1.0f / ONE), r[1] = acc1 * (1.0f / ONE), r[2] = acc2 * (1.0f / ONE);
        }
    }
  s->y_in++;
  /* Then down: into the output row it covers, or the two it straddles. */
  while (s->y_out < s->out_h)
    {
      double end = (s->y_out + 1) * s->scale_y;
      float w = (float) ((MIN (bottom, end) - MAX (top, s->y_out * s->scale_y)) / s->scale_y);

      if (w > 0)
        add_scaled (s->sum, s->row, w, (gsize) s->out_w * c);
      if (bottom < end - 1e-9 && s->y_in < s->in_h)
        break;
      emit (s);
      if (bottom <= end + 1e-9)
        break;
    }
}
