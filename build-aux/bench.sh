#!/bin/bash
# bench.sh — builds Keylink (release) and runs its benchmarks under Xvfb, printing every figure
# beside its reference and the ratio (tests/bench/bench.py says what each one measures): start-up
# against a bare libadwaita window (per GSK renderer and font), the setup flow against its
# critical path (tests/bench/bench-flow.c, the core objects against the simulator with 150 ms
# per request), the main loop's stalls, the polling cost, and a 5,000-project organization in
# the real window (tests/bench/bench-projects.c: the list on screen after the last page, the
# longest stall, one search keystroke). About two minutes. KL_BENCH_ONLY picks parts
# (startup,flow,polling,projects by default; waiting and soak only when named: the CPU time of
# the real window left waiting on the Endpoints and Clusters pages, 60 s each per renderer,
# about 5 minutes, and 24 simulated hours of watching, RSS and descriptors, about a minute;
# tests/bench/bench-waiting.c). Exits 1 when a target is not met; not part of the test
# suite's pass/fail.
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
exec build-aux/test-session.sh /usr/bin/python3 -B tests/bench/bench.py "$dir"
