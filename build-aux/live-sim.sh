#!/bin/bash
# live-sim.sh [BUILD_DIR [MESON-TEST-OPTION...]] — runs the live suite (tests/live/test-live.c) against Keylink's own
# simulator instead of Atlas, through the same KEYLINK_LIVE_* variables a maintainer sets for
# Atlas, with KEYLINK_LIVE_WRITE=1 and the simulator at 0.001 of real time, so the whole setup
# and teardown take a second or two. The recording goes to KEYLINK_LIVE_RECORD (default: the
# build directory's tests/live/live-recording.jsonl); to remake the one the replay test plays:
#
#   KEYLINK_LIVE_RECORD=$PWD/tests/live/data/sim-recording.jsonl bash build-aux/live-sim.sh
#
# KEYLINK_LIVE_AUTH=api-key uses an API key (HTTP Digest) instead of a service account. The
# credentials and Azure values are the simulator's own made-up ones, never real secrets.
# Options after BUILD_DIR go to meson test (e.g. --no-rebuild).
set -eu
cd "$(dirname "$0")/.."
build=${1:-_build/release}
shift || true
sim="$build/src/sim/keylink-atlas-sim"
[ -x "$sim" ] || { echo "build first: meson compile -C $build" >&2; exit 2; }

client_id=mdb_sa_id_65f0000000000000000000cd
client_secret=mdb_sa_sk_live-sim-secret
public_key=klliveapikey
private_key=5e2d7c1a-0b9f-4c3e-8d6a-7f1e2b3c4d5e

coproc SIM { exec "$sim" --port 0 --time-scale 0.001 --seed 7 \
  --service-account "$client_id:$client_secret" --api-key "$public_key:$private_key"; }
sim_pid=$SIM_PID
trap 'kill "$sim_pid" 2>/dev/null; wait "$sim_pid" 2>/dev/null || true' EXIT
read -r url <&"${SIM[0]}"
echo "# keylink-atlas-sim at $url"

if [ "${KEYLINK_LIVE_AUTH:-service-account}" = api-key ]; then
  export KEYLINK_LIVE_PUBLIC_KEY=$public_key KEYLINK_LIVE_PRIVATE_KEY=$private_key
  unset KEYLINK_LIVE_CLIENT_ID KEYLINK_LIVE_CLIENT_SECRET
else
  export KEYLINK_LIVE_CLIENT_ID=$client_id KEYLINK_LIVE_CLIENT_SECRET=$client_secret
  unset KEYLINK_LIVE_PUBLIC_KEY KEYLINK_LIVE_PRIVATE_KEY
fi
export KEYLINK_LIVE_ATLAS_URL=$url
export KEYLINK_LIVE_GROUP_ID=65f0000000000000000000a1   # Payments (src/sim/README.md)
export KEYLINK_LIVE_WRITE=1
export KEYLINK_LIVE_AZURE_TENANT_ID=1d2e3f40-5a6b-4c7d-8e9f-0a1b2c3d4e5f
export KEYLINK_LIVE_AZURE_CLIENT_ID=8a3c1f52-7d4e-4b6a-9c1d-2e5f7a9b0c31
export KEYLINK_LIVE_AZURE_SECRET=made-up-azure-secret-for-the-sim
export KEYLINK_LIVE_AZURE_SUBSCRIPTION_ID=9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a
export KEYLINK_LIVE_AZURE_RESOURCE_GROUP=rg-keylink
export KEYLINK_LIVE_AZURE_VAULT=klsimvault
export KEYLINK_LIVE_AZURE_KEY_ID=https://klsimvault.vault.azure.net/keys/atlas-cmk/0123456789abcdef0123456789abcdef
export KEYLINK_LIVE_AZURE_REGION=US_EAST_2
export KEYLINK_LIVE_POLL_MS=${KEYLINK_LIVE_POLL_MS:-20}
export KEYLINK_LIVE_DEADLINE_MINUTES=${KEYLINK_LIVE_DEADLINE_MINUTES:-2}

meson test -C "$build" --suite live --print-errorlogs -v "$@" live
