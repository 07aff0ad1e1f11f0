#!/usr/bin/python3
"""check-a11y.py — the app as a screen reader hears it.

Starts `storedesk --demo` with GTK_A11Y=atspi, finds it on the AT-SPI
bus and walks its whole accessible tree (every page is in it, shown or
not), failing on what a screen reader would read out wrong:

- a mnemonic's underscore in a name ("_Add to Cart");
- a name said twice ("Quantity Quantity", "Add to Cart Add to Cart");
- a widget type for a name ("SdCartPage", "GtkImage": GTK 4.8 says the
  type when a name is empty) on a control, a picture, a list item or a
  cell, or anywhere for our own types;
- no name at all on a control, a picture, a list item or a cell.

A drop-down's popup is in the tree only while it is open: the catalog's
Sort by is opened once (its entries are list items a screen reader
reads out) and walked as well.

GTK's and libadwaita's own parts that an app cannot reach in GTK 4.8 are
listed in INTERNAL below, each with why.

  check-a11y.py STOREDESK
"""
import os
import re
import subprocess
import sys
import time

import gi

gi.require_version("Atspi", "2.0")
from gi.repository import Atspi  # noqa: E402

TYPE_NAME = re.compile(r"^(Gtk|Adw|Gdk)[A-Z][A-Za-z]+$")
OUR_TYPE = re.compile(r"^Sd[A-Z][A-Za-z]+$")
MNEMONIC = re.compile(r"(^|\s)_\w")
# Roles a screen reader announces by name.
NAMED_ROLES = {
    "push button", "toggle button", "check box", "radio button", "combo box",
    "entry", "password text", "spin button", "menu item", "link", "slider",
    "switch", "page tab", "list item", "table cell", "image",
}


def internal(node, role):
    """GTK 4.8's own parts, named by the control around them."""
    parent = node.get_parent()
    parent_role = parent.get_role_name() if parent else ""
    # GtkDropDown's inner button: the drop-down (a combo box with its
    # own name) is what is announced. Its popup's entries are not exempt.
    if parent_role == "combo box" and role in ("push button", "toggle button"):
        return True
    return False


def find_app(timeout=60):
    end = time.time() + timeout
    while time.time() < end:
        desktop = Atspi.get_desktop(0)
        for i in range(desktop.get_child_count()):
            app = desktop.get_child_at_index(i)
            if app is not None and (app.get_name() or "").lower() == "storedesk":
                # The window and its pages are there once the frame is.
                if app.get_child_count() > 0:
                    return app
        time.sleep(0.2)
    sys.exit("storedesk did not appear on the accessibility bus")


def wait_for_products(app, timeout=60):
    """Until the catalog's grid lists the demo's products (their cards
    are named when they are bound)."""
    end = time.time() + timeout
    while time.time() < end:
        for node in walk(app):
            if node.get_role_name() == "table" and node.get_name() == "Products" and node.get_child_count() > 0:
                return
        time.sleep(0.2)
    sys.exit("the catalog's products did not come")


def walk(node):
    yield node
    for i in range(node.get_child_count()):
        child = node.get_child_at_index(i)
        if child is not None:
            yield from walk(child)


def in_popover(node):
    """node lies in a popover (GTK 4.8 names the unnamed panel around a
    popover's content by its type)."""
    parent = node.get_parent()
    while parent is not None:
        if parent.get_name() == "GtkPopoverContent":
            return True
        parent = parent.get_parent()
    return False


def press(app, roles, name):
    """Does the first action ("click") of the node with one of roles
    named name."""
    for node in walk(app):
        if node.get_role_name() in roles and node.get_name() == name:
            node.do_action(0)
            return node
    sys.exit(f"no {roles[0]} “{name}”")


def open_sort_popup(app, timeout=30):
    """Opens the catalog's Sort by drop-down (in the search bar) as a
    user does; returns its popup's entries once they are there."""
    press(app, ("push button", "toggle button"), "Search")
    combo = None
    for node in walk(app):
        if node.get_role_name() == "combo box" and node.get_name() == "Sort by":
            combo = node
    if combo is None:
        sys.exit("no combo box “Sort by”")
    combo.get_child_at_index(0).do_action(0)
    end = time.time() + timeout
    while time.time() < end:
        entries = [n for n in walk(app) if n.get_role_name() == "list item" and in_popover(n)]
        if entries:
            return entries
        time.sleep(0.2)
    sys.exit("the Sort by drop-down did not open")


def path_of(node):
    parts = []
    parent = node.get_parent()
    while parent is not None and len(parts) < 4:
        parts.append(f"{parent.get_role_name()} “{(parent.get_name() or '')[:30]}”")
        parent = parent.get_parent()
    return " in ".join(parts)


def problems(app):
    found = []
    for node in walk(app):
        role = node.get_role_name()
        name = node.get_name() or ""
        words = name.split()
        half = len(words) // 2
        what = None
        if MNEMONIC.search(name):
            what = "a mnemonic in its name"
        elif words and len(words) % 2 == 0 and words[:half] == words[half:]:
            what = "its name said twice"
        elif OUR_TYPE.match(name):
            what = "our type for a name"
        elif role in NAMED_ROLES and not internal(node, role):
            if TYPE_NAME.match(name):
                what = "a type for a name"
            elif not name.strip():
                what = "no name"
        if what:
            found.append(f"{role} “{name}”: {what} ({path_of(node)})")
    return sorted(set(found))


def main():
    env = dict(os.environ, GTK_A11Y="atspi")
    app_process = subprocess.Popen([sys.argv[1], "--demo"], env=env)
    try:
        app = find_app()
        wait_for_products(app)
        found = problems(app)
        entries = open_sort_popup(app)
        print("Sort by offers: " + ", ".join(f"“{n.get_name() or ''}”" for n in entries))
        found = sorted(set(found + problems(app)))
    finally:
        app_process.terminate()
        app_process.wait(timeout=30)
    for line in found:
        print(line)
    print(f"{len(found)} accessibility problems")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
