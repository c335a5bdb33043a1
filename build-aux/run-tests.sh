#!/bin/bash
# run-tests.sh [--stress] — installs the dependencies, builds Keylink twice (a plain
# -Dwerror=true build and an AddressSanitizer + UBSan build) and runs the whole test suite in
# each. Exits non-zero on any failure. Prints "N passed, N failed" as its last line.
#
# --stress: the same suite on the machines users and CI really have (what to run before a
# release, README.md): each flavour's tests run in a time namespace whose clocks say the
# machine booted 30 s ago (unshare -T), while one busy loop per CPU keeps the machine busy
# (started before the tests, killed when they end, or when this script ends). The fuzzers,
# which measure no time, are left out (KL_SKIP_FUZZ=1).
set -eu
cd "$(dirname "$0")/.."
top=$PWD

stress=
case "${1:-}" in
  --stress) stress=1 ;;
  "") ;;
  *) echo "usage: $0 [--stress]" >&2; exit 2 ;;
esac

bash build-aux/install-deps.sh

# The pyenv python on some machines lacks Debian's modules: prefer the system one.
export PATH="/usr/bin:$PATH"

passed=0
failed=0
status=0

# --stress: the busy loops (their pids) and the wrapper that runs the tests freshly booted.
load_pids=()
start_load () {
  local n i
  n=$(nproc)
  for ((i = 0; i < n; i++)); do
    # Bounded: killed by stop_load when the tests end, and by the trap below at the latest.
    bash -c 'while :; do :; done' &
    load_pids+=($!)
  done
  echo "=== stress: $n busy loops (pids ${load_pids[*]})"
}
stop_load () {
  local pid
  for pid in "${load_pids[@]}"; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  load_pids=()
}
trap stop_load EXIT
trap 'stop_load; exit 130' INT TERM

fresh_boot () {
  # A time namespace whose monotonic and boot-time clocks read 30 s (as root, or in a user
  # namespace of our own otherwise).
  local offsets
  offsets=$(/usr/bin/python3 -c 'import time
print(30 - int(time.clock_gettime(time.CLOCK_MONOTONIC)), 30 - int(time.clock_gettime(time.CLOCK_BOOTTIME)))')
  read -r mono boot <<<"$offsets"
  if [ "$(id -u)" = 0 ]; then
    unshare --time --monotonic="$mono" --boottime="$boot" "$@"
  else
    unshare --user --map-current-user --time --monotonic="$mono" --boottime="$boot" "$@"
  fi
}

test_wrapper=()
if [ -n "$stress" ]; then
  export KL_SKIP_FUZZ=1
  test_wrapper=(fresh_boot)
  # The wrapper works here, or the run says so at once.
  fresh_boot /usr/bin/python3 -c 'import time
up = time.clock_gettime(time.CLOCK_MONOTONIC)
assert up < 60, up
print("=== stress: the tests see a machine booted %.0f s ago" % up)'
fi

count_results () {
  # Sums the subtests of every TAP test (and the plain tests) in meson's JSON log.
  /usr/bin/python3 - "$1" <<'PY'
import json, sys
ok = bad = 0
for line in open(sys.argv[1]):
    t = json.loads(line)
    if t.get("result") in ("OK", "EXPECTEDFAIL", "SKIP"):
        ok += 1
    else:
        bad += 1
print(ok, bad)
PY
}

fault_summary () {
  # The fault matrix's summary ("# faults tried: N, handled: N"): one line per faults-* program
  # (tests/core/test-faults-*.c), added up into one.
  /usr/bin/python3 - "$1" <<'PY'
import json, re, sys
name, tried, handled = None, 0, 0
for line in open(sys.argv[1]):
    t = json.loads(line)
    for out in (t.get("stdout") or "").splitlines():
        m = re.match(r"# faults tried: (\d+), handled: (\d+)$", out)
        if m:
            name = name or re.sub(r"-[a-z]+$", "", t["name"])
            tried += int(m.group(1))
            handled += int(m.group(2))
if name is not None:
    print("%s: faults tried: %d, handled: %d" % (name, tried, handled))
PY
}

run_flavour () {
  local name=$1; shift
  local dir="$top/_build/$name"

  echo "=== $name: configure and build"
  if [ -f "$dir/build.ninja" ]; then
    meson setup --reconfigure "$dir" "$@" >/dev/null
  else
    meson setup "$dir" "$@" >/dev/null
  fi
  meson compile -C "$dir"

  echo "=== $name: test"
  [ -n "$stress" ] && start_load
  # One test more than CPUs: the widget and end-to-end tests spend much of their time waiting
  # on the simulator, AT-SPI and their own Xvfb (each test has its own display, D-Bus and
  # HOME: build-aux/test-session.sh). Measured on 2 CPUs, release: 630 s with the end-to-end
  # tests one at a time and 3 processes, 287 s with them in parallel.
  if ! "${test_wrapper[@]}" meson test -C "$dir" --print-errorlogs --num-processes "$jobs" \
      ${flavour_test_args[@]+"${flavour_test_args[@]}"}; then
    status=1
  fi
  [ -n "$stress" ] && stop_load
  read -r ok bad < <(count_results "$dir/meson-logs/testlog.json")
  fault_summary "$dir/meson-logs/testlog.json" | sed "s/^/=== $name: /"
  echo "=== $name: $ok passed, $bad failed"
  passed=$((passed + ok))
  failed=$((failed + bad))
}

jobs=$(($(nproc) + 1))
flavour_test_args=()
run_flavour release -Dwerror=true -Dbuildtype=debugoptimized
# The sanitizer build runs every test but the GL-renderer repeats (suite 'gl-repeat': the same
# programs and flows as their cairo runs, which it does run, with only GTK's renderer
# changed); they take a quarter of its time. The stress run keeps them.
[ -z "$stress" ] && flavour_test_args=(--no-suite gl-repeat)
run_flavour sanitize -Dwerror=true -Dbuildtype=debug -Db_sanitize=address,undefined -Db_lundef=false

if [ -z "${KL_SKIP_FUZZ:-}" ]; then
  echo "=== fuzz: build the libFuzzer targets (clang) and run each for a short time"
  fuzz_dir="$top/_build/fuzz"
  if [ ! -f "$fuzz_dir/build.ninja" ]; then
    CC=clang meson setup "$fuzz_dir" -Dfuzzing=true -Dtests=false -Dwerror=true \
      -Db_sanitize=address,undefined -Db_lundef=false >/dev/null
  fi
  meson compile -C "$fuzz_dir"
  if ! bash build-aux/run-fuzzers.sh "$fuzz_dir" "${KL_FUZZ_SECONDS:-15}"; then
    status=1
    failed=$((failed + 1))
  else
    passed=$((passed + 1))
  fi
fi

echo "$passed passed, $failed failed"
exit $status
