#!/usr/bin/env python3
"""The Flatpak manifest parses, names our app and command, uses a GNOME
runtime of 47 or newer, has the finish-args the app needs, and builds this
meson project last."""
import json
import sys

manifest_path, app_id = sys.argv[1], sys.argv[2]
with open(manifest_path, encoding="utf-8") as f:
    m = json.load(f)

def check(cond, what):
    if not cond:
        print("flatpak manifest:", what)
        sys.exit(1)

check(m.get("id", m.get("app-id")) == app_id, f"id is not {app_id}")
check(m.get("command") == "storedesk", "command is not storedesk")
check(m.get("runtime") == "org.gnome.Platform", "runtime is not org.gnome.Platform")
check(m.get("sdk") == "org.gnome.Sdk", "sdk is not org.gnome.Sdk")
check(int(m.get("runtime-version", "0")) >= 47, "runtime-version is older than 47")
args = set(m.get("finish-args", []))
for needed in ("--share=network", "--socket=wayland", "--socket=fallback-x11", "--device=dri"):
    check(needed in args, f"finish-args lack {needed}")
check(not any(a.startswith("--filesystem=host") for a in args), "asks for the whole host filesystem")
last = m["modules"][-1]
check(last.get("name") == "storedesk" and last.get("buildsystem") == "meson",
      "the last module does not build storedesk with meson")
check(any(mod.get("name") == "libjwt" for mod in m["modules"] if isinstance(mod, dict)),
      "libjwt (not in the GNOME runtime) is not built")
print("flatpak manifest ok")
