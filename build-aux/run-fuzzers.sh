#!/bin/bash
# run-fuzzers.sh BUILD_DIR SECONDS
#
# Runs every libFuzzer target of BUILD_DIR (configured with -Dfuzzing=true, see
# tests/fuzz/meson.build) for SECONDS each. Target fuzz-<name> starts from the seed corpus
# tests/fuzz/corpus/<name>/ and the dictionary tests/fuzz/<name>.dict when there is one.
# The corpus is copied to a temporary directory first: new inputs and crash files never land
# in the source tree. Fails when a target crashes, leaks, hangs or breaks an invariant, and
# when there is no target at all. A crashing input is kept (its path is printed).
set -u

if [ $# -ne 2 ]; then
  echo "usage: $0 BUILD_DIR SECONDS" >&2
  exit 2
fi
build=$1
seconds=$2
case "$seconds" in
  ''|*[!0-9]*|0) echo "run-fuzzers: SECONDS must be a positive whole number, not “$seconds”" >&2; exit 2 ;;
esac

fuzz_src=$(cd "$(dirname "$0")/../tests/fuzz" && pwd) || exit 2
targets=()
for exe in "$build"/tests/fuzz/fuzz-*; do
  [ -f "$exe" ] && [ -x "$exe" ] && targets+=("$exe")
done
if [ ${#targets[@]} -eq 0 ]; then
  echo "run-fuzzers: no fuzz targets in $build/tests/fuzz (configure it with -Dfuzzing=true)" >&2
  exit 2
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/kl-fuzz.XXXXXX")
failed=0

# Undefined behaviour is a crash too; GLib criticals abort.
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:abort_on_error=1:print_stacktrace=1}
export G_DEBUG=fatal-warnings

for exe in "${targets[@]}"; do
  exe=$(cd "$(dirname "$exe")" && pwd)/$(basename "$exe")
  name=$(basename "$exe")
  target=${name#fuzz-}
  dir="$work/$target"
  mkdir -p "$dir/corpus" "$dir/artifacts"
  if [ -d "$fuzz_src/corpus/$target" ]; then
    cp -R "$fuzz_src/corpus/$target/." "$dir/corpus/"
  else
    echo "run-fuzzers: $name has no seed corpus in tests/fuzz/corpus/$target" >&2
  fi
  args=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
        -artifact_prefix="$dir/artifacts/")
  [ -f "$fuzz_src/$target.dict" ] && args+=(-dict="$fuzz_src/$target.dict")

  echo "== $name: ${seconds}s from $(ls "$dir/corpus" | wc -l) seeds"
  (cd "$dir" && "$exe" "${args[@]}" "$dir/corpus") >"$dir/log" 2>&1
  rc=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/log" | tail -n 1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$dir/log" | tail -n 1)
  cov=$(grep -o 'cov: [0-9]*' "$dir/log" | tail -n 1)
  if [ $rc -ne 0 ] || [ -n "$(ls -A "$dir/artifacts")" ]; then
    failed=1
    echo "FAIL $name (exit $rc)"
    tail -n 60 "$dir/log"
    for input in "$dir"/artifacts/*; do
      [ -f "$input" ] || continue
      echo "-- crashing input $input:"
      od -c "$input" | head -n 20
    done
  else
    echo "ok   $name: ${runs:-?} executions (${rate:-?}/s), ${cov:-cov: ?}, $(ls "$dir/corpus" | wc -l) corpus entries, 0 crashes"
  fi
done

if [ $failed -ne 0 ]; then
  echo "run-fuzzers: a target failed; its inputs and log are kept in $work" >&2
  exit 1
fi
rm -rf "$work"
