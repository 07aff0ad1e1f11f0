#!/bin/sh
# Fails when po/ko.po lacks a translation, or has a fuzzy one, for any
# string in the files POTFILES.in lists: the catalog is built fresh from
# the sources each run, so a new _("…") without Korean fails here.
set -eu
src=$1
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
cd "$src"
grep -v '^#' po/POTFILES.in | grep -v '^$' > "$t/files"
# Every file with a translatable string must be listed, or its strings
# would never reach a translator.
{ grep -rlE '(^|[^A-Za-z0-9_])N?C?_ ?\(' --include='*.c' src || true
  grep -rl 'translatable="yes"' data src --include='*.ui' || true; } | sort > "$t/users"
missing=$(sort "$t/files" | comm -13 - "$t/users")
if [ -n "$missing" ]; then
  echo "not in po/POTFILES.in, but with translatable strings:"
  echo "$missing"
  exit 1
fi
xgettext --from-code=UTF-8 --add-comments --files-from="$t/files" \
  --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
  --keyword=g_dngettext:2,3 --keyword=ngettext:1,2 \
  -o "$t/storedesk.pot" 2>"$t/xgettext.log" || { cat "$t/xgettext.log"; exit 1; }
for lang in $(cat po/LINGUAS); do
  msgmerge --quiet --no-fuzzy-matching -o "$t/$lang.po" "po/$lang.po" "$t/storedesk.pot"
  stats=$(msgfmt --check --statistics -o /dev/null "$t/$lang.po" 2>&1)
  echo "$lang: $stats"
  case "$stats" in
    *untranslated*|*fuzzy*)
      echo "po/$lang.po is incomplete; run: meson compile -C build storedesk-update-po"
      msgattrib --untranslated --only-fuzzy "$t/$lang.po" 2>/dev/null || true
      msgattrib --untranslated "$t/$lang.po" | grep '^msgid' | head -20
      exit 1 ;;
  esac
done
