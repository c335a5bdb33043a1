#!/bin/bash
# run-tests.sh — installs the dependencies, builds Keylink twice (a plain -Dwerror=true build and
# an AddressSanitizer + UBSan build) and runs the whole test suite in each. Exits non-zero on any
# failure. Prints "N passed, N failed" as its last line.
set -eu
cd "$(dirname "$0")/.."
top=$PWD

bash build-aux/install-deps.sh

# The pyenv python on some machines lacks Debian's modules: prefer the system one.
export PATH="/usr/bin:$PATH"

passed=0
failed=0
status=0

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
  # The fault-injection suite's own summary line ("# faults tried: N, handled: N").
  /usr/bin/python3 - "$1" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    t = json.loads(line)
    for out in (t.get("stdout") or "").splitlines():
        if out.startswith("# faults tried:"):
            print(t["name"] + ": " + out[2:])
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
  if ! meson test -C "$dir" --print-errorlogs --num-processes 2; then
    status=1
  fi
  read -r ok bad < <(count_results "$dir/meson-logs/testlog.json")
  fault_summary "$dir/meson-logs/testlog.json" | sed "s/^/=== $name: /"
  echo "=== $name: $ok passed, $bad failed"
  passed=$((passed + ok))
  failed=$((failed + bad))
}

run_flavour release -Dwerror=true -Dbuildtype=debugoptimized
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
