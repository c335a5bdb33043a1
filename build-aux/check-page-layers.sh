#!/bin/bash
# check-page-layers.sh SRCDIR — the pages (src/pages/**) include only the page base, the
# context, the core, shared widgets (src/widgets/) and their own folder: never the window,
# the application or the simulator, which sit above them, nor another page's folder. --self-test proves first, on
# made-up files, that it catches such an include.
set -u

forbidden='kl-window\.h|kl-window-private\.h|kl-application\.h|kl-sim\.h|kl-sim-[a-z-]*\.h'

check() {
  local dir=$1 rc=0 hits
  hits=$(grep -rnE "^[[:space:]]*#[[:space:]]*include[[:space:]]*[\"<]([^\">]*/)?($forbidden)[\">]" \
           "$dir" --include='*.c' --include='*.h' 2>/dev/null)
  if [ -n "$hits" ]; then
    while IFS= read -r hit; do
      echo "not ok: ${hit#"$dir"/} — a page includes a layer above it; give it what it needs through KlContext or an action"
    done <<<"$hits"
    rc=1
  fi
  # A sibling page's folder: what two pages share goes to src/widgets/.
  for f in $(find "$dir" -mindepth 2 -name '*.[ch]' 2>/dev/null); do
    own=$(basename "$(dirname "$f")")
    hits=$(grep -nE '^[[:space:]]*#[[:space:]]*include[[:space:]]*"pages/[^/"]+/' "$f" | grep -v "\"pages/$own/")
    if [ -n "$hits" ]; then
      echo "not ok: ${f#"$dir"/}: $hits — a page includes another page's folder; move what they share to src/widgets/"
      rc=1
    fi
  done
  return $rc
}

if [ "${1:-}" = --self-test ]; then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  mkdir -p "$tmp/bad/x" "$tmp/good/x"
  printf '#include "kl-page.h"\n#include "kl-context.h"\n#include "kl-plan.h"\n#include "pages/x/b.h"\n#include "widgets/kl-cluster-row.h"\n' > "$tmp/good/x/a.c"
  for inc in '#include "kl-window.h"' '#include "kl-application.h"' '#include "kl-sim.h"' \
             '#  include "../../kl-window.h"' '#include <kl-sim-world.h>' \
             '#include "pages/y/kl-y-row.h"'; do
    printf '#include "kl-page.h"\n%s\n' "$inc" > "$tmp/bad/x/a.c"
    if check "$tmp/bad" >/dev/null; then
      echo "not ok: the check missed: $inc"
      exit 1
    fi
  done
  check "$tmp/good" || { echo "not ok: the check refused allowed includes"; exit 1; }
  echo "ok: the check catches a page including the window, the application or the simulator"
  exit 0
fi

cd "$1" || exit 2
if check src/pages; then
  echo "ok: the pages include neither the window, the application nor the simulator"
  exit 0
fi
exit 1
