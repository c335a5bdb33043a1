#!/bin/bash
# bench.sh — builds Keylink (release) and runs its benchmarks under Xvfb, printing every figure
# beside its reference and the ratio. Not part of the test suite's pass/fail.
set -eu
cd "$(dirname "$0")/.."
export PATH="/usr/bin:$PATH"
dir=_build/bench
if [ -f "$dir/build.ninja" ]; then
  meson setup --reconfigure "$dir" >/dev/null
else
  meson setup "$dir" -Dbuildtype=release >/dev/null
fi
meson compile -C "$dir" >/dev/null
exec build-aux/test-session.sh /usr/bin/python3 tests/bench/bench.py "$dir"
