#!/bin/sh
# The man page documents every option storedesk-prep --help lists.
set -eu
prep=$1
page=$2
status=0
for option in $("$prep" --help | grep -o -- '--[a-z][a-z-]*' | sort -u); do
  escaped=$(printf '%s' "$option" | sed 's/-/\\\\-/g')
  if ! grep -q -- "$escaped" "$page"; then
    echo "$page does not document $option"
    status=1
  fi
done
exit $status
