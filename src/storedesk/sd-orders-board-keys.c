/* sd-orders-board-keys.c — triage without a mouse: the board's single
 * keys and its row of status buttons.
 *
 *   j / ↓, k / ↑   the next or the previous order
 *   x              marks the order (or unmarks it): a set to change at once
 *   Escape         forgets the marks
 *   1 … 6          the selected orders get that status (shown on the buttons)
 *   z, Ctrl+Z      undoes the last status change
 *   p              a pick & pack run of the selected orders
 *   Enter          opens the order (the list's own)
 *
 * Until an order is marked, the one the keys move to is the selection; with
 * marks, the keys move the list's focus (the cursor) and the marks stay.
 * The keys are the board's only while no text field has the focus (the
 * search, or a drop-down's): there a letter is a letter. The window gives
 * the board its keys (sd-window-actions.c), before the list's own arrows,
 * wherever the focus is while the board is on show; "/" and "?" are the
 * window's. */
#define G_LOG_DOMAIN "storedesk-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "sd-orders-board-private.h"
#include "sd-ui.h"

/* The statuses staff set, one key each: the shop refuses Cancelled as a
 * status (its customer cancels). */
#define N_SETTABLE SD_ORDER_STATUS_CANCELLED

/* The key that sets status s: "1" for the first. */
static char *
status_key (SdOrderStatus s)
{
  return g_strdup_printf ("%u", (guint) s + 1);
}

/* The widget with the window's focus; NULL out of a window. */
static GtkWidget *
focus_of (SdOrdersBoard *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return root ? gtk_root_get_focus (root) : NULL;
}

/* The list view inside the column view: it moves the focus along rows. */
static GtkWidget *
list_of (SdOrdersBoard *self)
{
  for (GtkWidget *c = gtk_widget_get_first_child (GTK_WIDGET (self->view)); c; c = gtk_widget_get_next_sibling (c))
    if (GTK_IS_LIST_VIEW (c))
      return c;
  return GTK_WIDGET (self->view);
}

/* The row item under widget: the status cell keeps it (setup, in
 * sd-orders-board-columns.c). */
static GtkListItem *
item_under (GtkWidget *widget)
{
  GtkListItem *item = g_object_get_data (G_OBJECT (widget), "sd-list-item");

  for (GtkWidget *c = gtk_widget_get_first_child (widget); item == NULL && c; c = gtk_widget_get_next_sibling (c))
    item = item_under (c);
  return item;
}

static guint
n_selected (SdOrdersBoard *self)
{
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));

  return (guint) gtk_bitset_get_size (selected);
}

/* The position of the order with id on the page; GTK_INVALID_LIST_POSITION
 * when it is not there. */
static guint
position_of (SdOrdersBoard *self, const char *id)
{
  GListModel *orders = G_LIST_MODEL (self->sorted);

  for (guint i = 0; id && i < g_list_model_get_n_items (orders); i++)
    {
      g_autoptr(SdOrder) o = g_list_model_get_item (orders, i);

      if (g_strcmp0 (sd_order_get_id (o), id) == 0)
        return i;
    }
  return GTK_INVALID_LIST_POSITION;
}

/* The row the cursor is on: the order the keys last moved to (its row
 * may not have the focus yet: one scrolled to is made at the next frame),
 * else the row with the list's focus (a click or Tab put it there), else
 * where the cursor stood when a reload took its order away. */
static guint
cursor_position (SdOrdersBoard *self)
{
  GtkWidget *focus = focus_of (self);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->sorted));
  GtkListItem *item;
  guint at;

  if ((at = position_of (self, self->cursor)) != GTK_INVALID_LIST_POSITION)
    return at;
  for (; focus && focus != GTK_WIDGET (self->view); focus = gtk_widget_get_parent (focus))
    if ((item = item_under (focus)) != NULL)
      return gtk_list_item_get_position (item);
  if (n == 0 || self->cursor == NULL)
    return GTK_INVALID_LIST_POSITION;
  return MIN (self->cursor_at, n - 1);
}

/* The row at position, if the list has made one (it makes them for what
 * is in view). */
static GtkWidget *
row_at (SdOrdersBoard *self, guint position)
{
  for (GtkWidget *row = gtk_widget_get_first_child (list_of (self)); row; row = gtk_widget_get_next_sibling (row))
    {
      GtkListItem *item = item_under (row);

      if (item && gtk_widget_get_visible (row) && gtk_list_item_get_position (item) == position)
        return row;
    }
  return NULL;
}

static gboolean
focus_cursor_tick (GtkWidget *widget, GdkFrameClock *clock, gpointer user_data)
{
  SdOrdersBoard *self = user_data;
  guint at = position_of (self, self->cursor);
  GtkWidget *row = at != GTK_INVALID_LIST_POSITION ? row_at (self, at) : NULL;

  if (row)
    gtk_widget_grab_focus (row);
  /* A row scrolled to is made at the next layout; a few frames at most. */
  if (row == NULL && ++self->focus_tries < 10)
    return G_SOURCE_CONTINUE;
  self->focus_tick = 0;
  return G_SOURCE_REMOVE;
}

/* The cursor on the row at position: in view, with the focus. */
static void
put_cursor (SdOrdersBoard *self, guint position)
{
  GtkWidget *list = list_of (self);
  g_autoptr(SdOrder) order = g_list_model_get_item (G_LIST_MODEL (self->sorted), position);
  GtkWidget *row;

  g_free (self->cursor);
  self->cursor = g_strdup (sd_order_get_id (order));
  self->cursor_at = position;
  gtk_widget_activate_action (list, "list.scroll-to-item", "u", position);
  if ((row = row_at (self, position)) != NULL)
    gtk_widget_grab_focus (row);
  else if (self->focus_tick == 0)
    {
      self->focus_tries = 0;
      self->focus_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self), focus_cursor_tick, self, NULL);
    }
}

/* The cursor one row on (step 1) or back (-1), or where it is (0): the
 * order there is the selection, unless orders are marked. */
static void
move (SdOrdersBoard *self, int step)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->sorted));
  guint at = cursor_position (self);

  if (n == 0)
    return;
  /* Nothing selected yet: the first key lands on the order the cursor
   * is on (the first, or where the focus is). */
  if (at == GTK_INVALID_LIST_POSITION)
    at = 0;
  else if (n_selected (self) == 0 && !self->marking)
    ;
  else if (step < 0 && at > 0)
    at--;
  else if (step > 0 && at + 1 < n)
    at++;
  put_cursor (self, at);
  if (!self->marking)
    {
      self->keeping = TRUE;
      gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), at, TRUE);
      self->keeping = FALSE;
    }
}

/* x: the order at the cursor marked, or no longer. */
static void
toggle_mark (SdOrdersBoard *self)
{
  GtkSelectionModel *selection = GTK_SELECTION_MODEL (self->selection);
  guint at = cursor_position (self);

  if (at == GTK_INVALID_LIST_POSITION)
    return;
  put_cursor (self, at);
  self->keeping = TRUE;
  /* The first mark: the order the cursor selected is the first marked. */
  if (!self->marking)
    gtk_selection_model_select_item (selection, at, TRUE);
  else if (gtk_selection_model_is_selected (selection, at))
    gtk_selection_model_unselect_item (selection, at);
  else
    gtk_selection_model_select_item (selection, at, FALSE);
  self->keeping = FALSE;
  self->marking = n_selected (self) > 0;
  _sd_orders_board_update_count (self);
}

/* Escape: the marks go; the order at the cursor is the selection. */
static gboolean
forget_marks (SdOrdersBoard *self)
{
  guint at = cursor_position (self);

  if (!self->marking)
    return FALSE;
  self->marking = FALSE;
  if (at != GTK_INVALID_LIST_POSITION)
    gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), at, TRUE);
  else
    gtk_selection_model_unselect_all (GTK_SELECTION_MODEL (self->selection));
  _sd_orders_board_update_count (self);
  return TRUE;
}

/* A key that acts on the selection, with nothing selected: the order at
 * the cursor is. */
static void
select_cursor (SdOrdersBoard *self)
{
  guint at = cursor_position (self);

  if (n_selected (self) == 0 && at != GTK_INVALID_LIST_POSITION)
    gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), at, TRUE);
}

/* A text field, or a drop-down's list, has the keys. */
static gboolean
typing (GtkWidget *focus)
{
  return focus && (GTK_IS_EDITABLE (focus) || GTK_IS_TEXT_VIEW (focus) ||
                   gtk_widget_get_ancestor (focus, GTK_TYPE_POPOVER) != NULL);
}

gboolean
sd_orders_board_handle_key (SdOrdersBoard *self, guint keyval, GdkModifierType state)
{
  GtkWidget *focus = focus_of (self);
  GdkModifierType mods = state & gtk_accelerator_get_default_mod_mask ();
  gboolean in_list = focus && gtk_widget_is_ancestor (focus, GTK_WIDGET (self->view));

  if (mods == GDK_CONTROL_MASK && (keyval == GDK_KEY_z || keyval == GDK_KEY_Z) && !typing (focus))
    return sd_orders_board_undo (self);
  if ((mods & ~GDK_SHIFT_MASK) != 0 || typing (focus) || self->admin == NULL)
    return FALSE;
  switch (keyval)
    {
    case GDK_KEY_j:
      move (self, 1);
      return TRUE;
    case GDK_KEY_k:
      move (self, -1);
      return TRUE;
    case GDK_KEY_Down:
    case GDK_KEY_Up:
      /* Arrows move the same way, marks kept (the list's own would
       * select the row alone). */
      if (!in_list || mods != 0)
        return FALSE;
      move (self, keyval == GDK_KEY_Down ? 1 : -1);
      return TRUE;
    case GDK_KEY_x:
      toggle_mark (self);
      return TRUE;
    case GDK_KEY_z:
      return sd_orders_board_undo (self);
    case GDK_KEY_Escape:
      return forget_marks (self);
    case GDK_KEY_p:
      select_cursor (self);
      return sd_orders_board_pick_pack (self) != NULL;
    default:
      break;
    }
  for (SdOrderStatus s = 0; s < N_SETTABLE; s++)
    if (keyval == GDK_KEY_1 + s || keyval == GDK_KEY_KP_1 + s)
      {
        select_cursor (self);
        sd_orders_board_set_status (self, s);
        return TRUE;
      }
  return FALSE;
}

/* A click or Ctrl+A chose the selection: marks are what it holds when it
 * holds more than one. */
static void
selection_changed_cb (SdOrdersBoard *self)
{
  if (self->keeping)
    return;
  self->marking = n_selected (self) > 1;
  /* The cursor is where the click was (the row it focused). */
  g_clear_pointer (&self->cursor, g_free);
}

/* GTK 4.8 leaves the window's focus on a row the list has taken away (an
 * order replaced by the shop's answer, a page reloaded): the keys sent
 * there reach nobody. The focus goes to the window at once, then to the
 * cursor's row when the list has made it. */
static void
rows_changed_cb (SdOrdersBoard *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root ? gtk_root_get_focus (root) : NULL;
  guint at;

  if (focus == NULL || gtk_widget_get_root (focus) != NULL)
    return;
  gtk_root_set_focus (root, NULL);
  if (gtk_widget_get_mapped (GTK_WIDGET (self)) && (at = cursor_position (self)) != GTK_INVALID_LIST_POSITION)
    put_cursor (self, at);
}

static void
status_clicked_cb (GtkButton *button, SdOrdersBoard *self)
{
  sd_orders_board_set_status (self, GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "sd-status")));
}

/* A button per status, its key beside its name. */
static GtkWidget *
status_button_new (SdOrdersBoard *self, SdOrderStatus s)
{
  g_autofree char *key = status_key (s);
  /* Translators: a status button's tooltip; %s is a status, the key is the digit that sets it. */
  g_autofree char *tip = g_strdup_printf (_("Set the selected orders to “%s” (%s)"),
                                          _sd_orders_board_status_label (s), key);
  GtkWidget *button = gtk_button_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *name = gtk_label_new (_sd_orders_board_status_label (s));
  GtkWidget *keycap = gtk_label_new (key);

  gtk_widget_add_css_class (keycap, "dim-label");
  gtk_widget_add_css_class (keycap, "numeric");
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), keycap);
  gtk_button_set_child (GTK_BUTTON (button), box);
  gtk_widget_set_tooltip_text (button, tip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _sd_orders_board_status_label (s),
                                  GTK_ACCESSIBLE_PROPERTY_KEY_SHORTCUTS, key, -1);
  g_object_set_data (G_OBJECT (button), "sd-status", GUINT_TO_POINTER (s));
  g_signal_connect (button, "clicked", G_CALLBACK (status_clicked_cb), self);
  return button;
}

/* Before a reload replaces the page: the selected orders' ids, and
 * whether the list has the focus. */
GPtrArray *
_sd_orders_board_keys_save (SdOrdersBoard *self)
{
  g_autoptr(GPtrArray) selected = _sd_orders_board_selected_orders (self);
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  GtkWidget *focus = focus_of (self);
  guint at = cursor_position (self);

  for (guint i = 0; i < selected->len; i++)
    g_ptr_array_add (ids, g_strdup (sd_order_get_id (selected->pdata[i])));
  self->list_had_focus = focus && gtk_widget_is_ancestor (focus, GTK_WIDGET (self->view));
  /* The page replaced is not a click: the cursor stays (until restore). */
  self->keeping = TRUE;
  if (at != GTK_INVALID_LIST_POSITION)
    {
      g_autoptr(SdOrder) order = g_list_model_get_item (G_LIST_MODEL (self->sorted), at);

      g_free (self->cursor);
      self->cursor = g_strdup (sd_order_get_id (order));
      self->cursor_at = at;
    }
  return ids;
}

/* After it: the same orders selected, where they are still on the page,
 * and the cursor where it was (on the order it was on, or, gone, the
 * next one at its place), so that triage goes on. */
void
_sd_orders_board_keys_restore (SdOrdersBoard *self, GPtrArray *ids)
{
  GtkSelectionModel *selection = GTK_SELECTION_MODEL (self->selection);
  guint at;

  for (guint i = 0; i < ids->len; i++)
    if ((at = position_of (self, ids->pdata[i])) != GTK_INVALID_LIST_POSITION)
      gtk_selection_model_select_item (selection, at, FALSE);
  self->keeping = FALSE;
  self->marking = self->marking && n_selected (self) > 0;
  if (!self->list_had_focus || self->cursor == NULL || g_list_model_get_n_items (G_LIST_MODEL (self->sorted)) == 0)
    return;
  if ((at = position_of (self, self->cursor)) == GTK_INVALID_LIST_POSITION)
    at = MIN (self->cursor_at, g_list_model_get_n_items (G_LIST_MODEL (self->sorted)) - 1);
  self->keeping = TRUE;
  put_cursor (self, at);
  /* The order that took a gone one's place is the selection. */
  if (n_selected (self) == 0)
    gtk_selection_model_select_item (selection, at, TRUE);
  self->keeping = FALSE;
}

void
_sd_orders_board_update_keys (SdOrdersBoard *self, gboolean can_set)
{
  for (GtkWidget *c = gtk_widget_get_first_child (GTK_WIDGET (self->status_box)); c;
       c = gtk_widget_get_next_sibling (c))
    if (GTK_IS_BUTTON (c))
      gtk_widget_set_sensitive (c, can_set);
}

void
_sd_orders_board_init_keys (SdOrdersBoard *self)
{
  GtkWidget *title = gtk_label_new (_("Set status:"));

  gtk_widget_add_css_class (title, "dim-label");
  gtk_box_append (self->status_box, title);
  for (SdOrderStatus s = 0; s < N_SETTABLE; s++)
    gtk_box_append (self->status_box, status_button_new (self, s));
  gtk_widget_set_layout_manager (GTK_WIDGET (self->status_box), _sd_orders_board_wrap_layout_new ());

  g_signal_connect_swapped (self->selection, "selection-changed", G_CALLBACK (selection_changed_cb), self);
  /* After the list's own handler (connected first): its rows are gone. */
  g_signal_connect_swapped (self->selection, "items-changed", G_CALLBACK (rows_changed_cb), self);
}
