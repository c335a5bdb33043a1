#!/bin/bash
# check-potfiles.sh SRCDIR — every file with translatable strings is listed in po/POTFILES.in,
# and every listed file exists.
set -u
cd "$1" || exit 2

listed=$(grep -v '^#' po/POTFILES.in | sed '/^$/d' | sort -u)
found=$( { grep -rlE '\b(N?_|C_|NC_|g_dngettext|ngettext)\s*\(' src --include='*.c';
           grep -rl 'translatable="yes"' src data --include='*.ui' --include='*.xml' --include='*.in';
           ls data/*.desktop.in.in data/*.metainfo.xml.in.in 2>/dev/null; } | sort -u)

rc=0
for f in $found; do
  if ! grep -qxF "$f" <<<"$listed"; then
    echo "not ok: $f has translatable strings but is not in po/POTFILES.in"
    rc=1
  fi
done
for f in $listed; do
  if [ ! -f "$f" ]; then
    echo "not ok: po/POTFILES.in lists $f, which does not exist"
    rc=1
  fi
done
[ $rc = 0 ] && echo "ok: po/POTFILES.in lists all $(wc -l <<<"$found") files with translatable strings"
exit $rc
