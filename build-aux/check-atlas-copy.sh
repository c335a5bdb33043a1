#!/bin/bash
# check-atlas-copy.sh SRCDIR — data/atlas/ must equal ../shared/atlas/ when that exists.
set -u
cd "$1" || exit 2
if [ ! -d ../shared/atlas ]; then
  echo "ok: no ../shared/atlas beside this checkout; nothing to compare"
  exit 0
fi
rc=0
for f in atlas-admin-v2-subset.yaml flex-clusters-subset.yaml regions.json api-errors.tsv README-errors.md; do
  if ! cmp -s "data/atlas/$f" "../shared/atlas/$f"; then
    echo "not ok: data/atlas/$f differs from ../shared/atlas/$f: copy it again"
    rc=1
  fi
done
[ $rc = 0 ] && echo "ok: data/atlas matches ../shared/atlas"
exit $rc
