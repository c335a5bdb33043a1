#!/bin/bash
# run-demo.sh — installs the dependencies, builds Keylink and starts it in demo mode against the
# built-in Atlas simulator. Extra arguments go to keylink.
set -eu
cd "$(dirname "$0")/.."

bash build-aux/install-deps.sh
export PATH="/usr/bin:$PATH"

if [ -f _build/demo/build.ninja ]; then
  meson setup --reconfigure _build/demo >/dev/null
else
  meson setup _build/demo -Dbuildtype=debugoptimized >/dev/null
fi
meson compile -C _build/demo

# Run from the build tree: the schema compiled there, nothing installed system-wide.
export GSETTINGS_SCHEMA_DIR="$PWD/_build/demo/data"
# …and its translations (LANGUAGE=de or fr with a matching locale shows them).
export KEYLINK_LOCALEDIR="$PWD/_build/demo/po"
exec _build/demo/src/keylink --demo "$@"
