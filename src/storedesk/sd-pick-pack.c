/* sd-pick-pack.c — see sd-pick-pack.h. */
#define G_LOG_DOMAIN "storedesk-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "sd-pick-pack.h"
#include "sd-print.h"
#include "sd-ui.h"

struct _SdPickPack
{
  AdwWindow       parent_instance;

  SdOrdersBoard  *board;
  SdAdmin        *admin;
  GPtrArray      *orders;       /* as given */
  gboolean        original;
  GCancellable   *cancellable;
  SdPickList     *list;
  GPtrArray      *checks;       /* GtkCheckButton, a line each */

  AdwWindowTitle *title;
  GtkStack       *stack;
  AdwPreferencesPage *page;
  GtkLabel       *problem;
  GtkWidget      *print_button;
  GtkWidget      *done_button;
};

G_DEFINE_FINAL_TYPE (SdPickPack, sd_pick_pack, ADW_TYPE_WINDOW)

static const char *
status_label (SdOrderStatus status)
{
  return g_dgettext (GETTEXT_PACKAGE, sd_order_status_label (status));
}

guint
sd_pick_pack_get_n_picked (SdPickPack *self)
{
  guint n = 0;

  g_return_val_if_fail (SD_IS_PICK_PACK (self), 0);
  for (guint i = 0; i < self->checks->len; i++)
    n += gtk_check_button_get_active (self->checks->pdata[i]);
  return n;
}

SdPickList *
sd_pick_pack_get_list (SdPickPack *self)
{
  g_return_val_if_fail (SD_IS_PICK_PACK (self), NULL);
  return self->list;
}

static void
update_picked (SdPickPack *self)
{
  /* Translators: "12 of 15 picked": lines of the pick list ticked */
  g_autofree char *text = g_strdup_printf (_("%u of %u picked"), sd_pick_pack_get_n_picked (self),
                                           self->checks->len);

  adw_window_title_set_subtitle (self->title, text);
}

/* One line of the pick list: a box to tick, what, which option, how many. */
static GtkWidget *
line_row (SdPickPack *self, const SdPickLine *line)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *check = gtk_check_button_new ();
  g_autofree char *count = g_strdup_printf ("× %u", line->count);
  GtkWidget *quantity = gtk_label_new (count);
  g_autofree char *name = line->option ? g_strdup_printf ("%s (%s)", line->name, line->option) : g_strdup (line->name);
  /* Translators: a tick box's name for a screen reader: "Picked: 컵 (화이트), 3" */
  g_autofree char *check_name = g_strdup_printf (_("Picked: %s, %u"), name, line->count);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), line->name);
  if (line->option)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), line->option);
  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL, check_name, -1);
  g_signal_connect_swapped (check, "notify::active", G_CALLBACK (update_picked), self);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
  gtk_widget_add_css_class (quantity, "title-4");
  gtk_widget_add_css_class (quantity, "numeric");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), quantity);
  g_ptr_array_add (self->checks, check);
  return row;
}

/* An order of the run, and where Done takes it: from the status the
 * board shows (an edit still waiting to be sent counts). */
static GtkWidget *
order_row (SdPickPack *self, SdOrder *order)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *number = sd_ui_order_number (order);
  SdReceiver *r = sd_order_get_receiver (order);
  SdOrderStatus status = sd_orders_board_get_shown_status (self->board, order), next;
  g_autofree char *move = NULL;
  g_autofree char *subtitle = NULL;

  if (sd_pick_list_next_status (status, &next))
    /* Translators: where Done takes an order: "Paid → Preparing shipment" */
    move = g_strdup_printf (_("%s → %s"), status_label (status), status_label (next));
  else
    /* Translators: an order Done does not move: "Delivered: stays as it is" */
    move = g_strdup_printf (_("%s: stays as it is"), status_label (status));
  subtitle = r ? g_strdup_printf ("%s · %s", sd_receiver_get_name (r), move) : g_strdup (move);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), number);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  return row;
}

/* The orders Done moves, each with its next status. */
static GPtrArray *
orders_to_move (SdPickPack *self, GArray *statuses)
{
  GPtrArray *orders = g_ptr_array_new ();
  GPtrArray *run = sd_pick_list_get_orders (self->list);

  for (guint i = 0; i < run->len; i++)
    {
      SdOrderStatus next;

      if (sd_pick_list_next_status (sd_orders_board_get_shown_status (self->board, run->pdata[i]), &next))
        {
          g_ptr_array_add (orders, run->pdata[i]);
          g_array_append_val (statuses, next);
        }
    }
  return orders;
}

static void
show_list (SdPickPack *self)
{
  GtkWidget *orders = adw_preferences_group_new ();
  GPtrArray *run = sd_pick_list_get_orders (self->list);
  guint left_out = sd_pick_list_get_n_left_out (self->list);
  g_autoptr(GArray) statuses = g_array_new (FALSE, FALSE, sizeof (SdOrderStatus));
  g_autoptr(GPtrArray) moving = orders_to_move (self, statuses);

  for (guint g = 0; g < sd_pick_list_get_n_groups (self->list); g++)
    {
      const SdPickGroup *group = sd_pick_list_get_group (self->list, g);
      GtkWidget *box = adw_preferences_group_new ();

      adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (box), sd_print_pick_group_name (group));
      for (guint l = 0; l < group->lines->len; l++)
        adw_preferences_group_add (ADW_PREFERENCES_GROUP (box), line_row (self, group->lines->pdata[l]));
      adw_preferences_page_add (self->page, ADW_PREFERENCES_GROUP (box));
    }
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (orders), _("Orders in This Run"));
  if (left_out > 0)
    {
      g_autofree char *text = g_strdup_printf (ngettext ("%u cancelled order is left out.",
                                                         "%u cancelled orders are left out.", left_out), left_out);
      adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (orders), text);
    }
  for (guint i = 0; i < run->len; i++)
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (orders), order_row (self, run->pdata[i]));
  adw_preferences_page_add (self->page, ADW_PREFERENCES_GROUP (orders));
  update_picked (self);
  gtk_widget_set_sensitive (self->print_button, run->len > 0);
  gtk_widget_set_sensitive (self->done_button, moving->len > 0);
  gtk_stack_set_visible_child_name (self->stack, "list");
  if (self->checks->len > 0)
    gtk_widget_grab_focus (self->checks->pdata[0]);
}

static void
loaded_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SdPickPack) self = user_data;
  g_autoptr(GError) error = NULL;
  SdPickList *list = sd_pick_list_load_finish (result, &error);

  if (list == NULL)
    return;   /* cancelled: the window went */
  self->list = list;
  show_list (self);
}

gboolean
sd_pick_pack_print_to_pdf (SdPickPack *self, const char *path, GError **error)
{
  g_return_val_if_fail (SD_IS_PICK_PACK (self) && self->list != NULL, FALSE);
  return sd_print_pick_list_to_pdf (GTK_WIDGET (self->board), self->list, self->original, path, error);
}

static void
print_cb (SdPickPack *self)
{
  /* The shop's name comes from the board's page (sd-print.h); the print
   * dialog shows over this one. */
  if (self->list)
    sd_print_pick_list (GTK_WIDGET (self->board), GTK_WIDGET (self), self->list, self->original);
}

static void
move (SdPickPack *self)
{
  g_autoptr(GArray) statuses = g_array_new (FALSE, FALSE, sizeof (SdOrderStatus));
  g_autoptr(GPtrArray) orders = orders_to_move (self, statuses);
  g_autofree char *title = g_strdup_printf (ngettext ("%u order moved to its next status",
                                                      "%u orders moved to their next status", orders->len),
                                            orders->len);

  if (!sd_orders_board_set_statuses (self->board, orders, (const SdOrderStatus *) (gpointer) statuses->data, title))
    {
      gtk_label_set_label (self->problem, _("Nothing was moved: none of these orders has a next status, or no shop is open."));
      gtk_widget_set_visible (GTK_WIDGET (self->problem), TRUE);
      return;
    }
  gtk_window_destroy (GTK_WINDOW (self));
}

static gboolean
move_idle (gpointer user_data)
{
  SdPickPack *self = user_data;

  if (self->board)   /* not closed meanwhile */
    move (self);
  return G_SOURCE_REMOVE;
}

static void
unpicked_response_cb (AdwMessageDialog *dialog, const char *response, gpointer user_data)
{
  /* Once the question has gone: it is transient for this window. */
  if (g_strcmp0 (response, "move") == 0)
    g_idle_add_full (G_PRIORITY_DEFAULT, move_idle, g_object_ref (user_data), g_object_unref);
}

static void
done_cb (SdPickPack *self)
{
  guint unpicked;
  g_autofree char *body = NULL;

  if (self->list == NULL)
    return;
  unpicked = self->checks->len - sd_pick_pack_get_n_picked (self);
  if (unpicked == 0)
    {
      move (self);
      return;
    }
  body = g_strdup_printf (ngettext ("%u line not picked. Move anyway?", "%u lines not picked. Move anyway?",
                                    unpicked), unpicked);
  sd_ui_ask_first (GTK_WIDGET (self), _("Not Everything Is Picked"), body, "cancel", _("_Cancel"), "move",
                   _("_Move Anyway"), G_CALLBACK (unpicked_response_cb), self);
}

static GtkWidget *
button (SdPickPack *self, const char *label, const char *css, GCallback clicked)
{
  GtkWidget *b = gtk_button_new_with_mnemonic (label);

  if (css)
    gtk_widget_add_css_class (b, css);
  g_signal_connect_swapped (b, "clicked", clicked, self);
  return b;
}

static GtkWidget *
loading_page (void)
{
  GtkWidget *spinner = gtk_spinner_new ();

  gtk_spinner_set_spinning (GTK_SPINNER (spinner), TRUE);
  gtk_widget_set_size_request (spinner, 32, 32);
  gtk_widget_set_halign (spinner, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (spinner, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spinner), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Reading the products"), -1);
  return spinner;
}

SdPickPack *
sd_pick_pack_new (SdOrdersBoard *board, SdAdmin *admin, GPtrArray *orders, gboolean original)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (board));
  SdPickPack *self = g_object_new (SD_TYPE_PICK_PACK, "transient-for", GTK_IS_WINDOW (root) ? root : NULL,
                                   "modal", TRUE, "title", _("Pick & Pack"), "default-width", 560,
                                   "default-height", 640, NULL);
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  SdShop *shop = sd_page_get_shop (SD_PAGE (board));
  SdCatalog *catalog = shop ? sd_shop_get_catalog (shop) : NULL;

  self->board = g_object_ref (board);
  self->admin = g_object_ref (admin);
  self->orders = g_ptr_array_ref (orders);
  self->original = original;
  self->title = ADW_WINDOW_TITLE (adw_window_title_new (_("Pick & Pack"), NULL));
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), GTK_WIDGET (self->title));
  self->stack = GTK_STACK (gtk_stack_new ());
  gtk_widget_set_vexpand (GTK_WIDGET (self->stack), TRUE);
  gtk_stack_add_named (self->stack, loading_page (), "loading");
  self->page = ADW_PREFERENCES_PAGE (adw_preferences_page_new ());
  gtk_stack_add_named (self->stack, GTK_WIDGET (self->page), "list");
  self->problem = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->problem, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->problem), "error");
  gtk_widget_set_visible (GTK_WIDGET (self->problem), FALSE);
  self->print_button = button (self, _("_Print…"), NULL, G_CALLBACK (print_cb));
  self->done_button = button (self, _("_Done — Move to Next Status"), "suggested-action", G_CALLBACK (done_cb));
  gtk_widget_set_sensitive (self->print_button, FALSE);
  gtk_widget_set_sensitive (self->done_button, FALSE);
  gtk_widget_set_halign (bar, GTK_ALIGN_END);
  gtk_widget_set_margin_top (bar, 12);
  gtk_widget_set_margin_bottom (bar, 12);
  gtk_widget_set_margin_start (bar, 12);
  gtk_widget_set_margin_end (bar, 12);
  gtk_box_append (GTK_BOX (bar), GTK_WIDGET (self->problem));
  gtk_box_append (GTK_BOX (bar), self->print_button);
  gtk_box_append (GTK_BOX (bar), self->done_button);
  gtk_box_append (GTK_BOX (content), header);
  gtk_box_append (GTK_BOX (content), GTK_WIDGET (self->stack));
  gtk_box_append (GTK_BOX (content), gtk_separator_new (GTK_ORIENTATION_HORIZONTAL));
  gtk_box_append (GTK_BOX (content), bar);
  adw_window_set_content (ADW_WINDOW (self), content);
  sd_pick_list_load_async (admin, catalog ? G_LIST_MODEL (catalog) : NULL, orders, self->cancellable, loaded_cb,
                           g_object_ref (self));
  return self;
}

static void
sd_pick_pack_dispose (GObject *object)
{
  SdPickPack *self = SD_PICK_PACK (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->board);
  g_clear_object (&self->admin);
  g_clear_object (&self->list);
  G_OBJECT_CLASS (sd_pick_pack_parent_class)->dispose (object);
}

static void
sd_pick_pack_finalize (GObject *object)
{
  SdPickPack *self = SD_PICK_PACK (object);

  g_ptr_array_unref (self->orders);
  g_ptr_array_unref (self->checks);
  g_object_unref (self->cancellable);
  G_OBJECT_CLASS (sd_pick_pack_parent_class)->finalize (object);
}

static void
sd_pick_pack_class_init (SdPickPackClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sd_pick_pack_dispose;
  object_class->finalize = sd_pick_pack_finalize;
  gtk_widget_class_add_binding_action (GTK_WIDGET_CLASS (klass), GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
sd_pick_pack_init (SdPickPack *self)
{
  self->cancellable = g_cancellable_new ();
  self->checks = g_ptr_array_new ();
}
