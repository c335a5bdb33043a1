#!/bin/bash
# test-session.sh CMD [ARGS...]
#
# Runs one test the way style.md asks: isolated HOME and XDG dirs, its own Xvfb display and a
# private D-Bus session bus that holds a real, unlocked gnome-keyring. meson uses it as the
# exe_wrapper of the default test setup, so every test gets a fresh world.
#
#   KL_TEST_NO_KEYRING=1  the bus has no Secret Service at all, not even one it could start on
#                         demand (D-Bus activation): the keyring error paths
#   KL_TEST_NO_X=1        no X server (pure core tests may skip it to save time)
#   KL_TEST_KEEP=1        keep the temporary directory for a look afterwards
set -u

tmp=$(mktemp -d "${TMPDIR:-/tmp}/kl-test.XXXXXX")
xvfb_pid=
bus_pid=
keyring_pid=
cleanup () {
  [ -n "$keyring_pid" ] && kill "$keyring_pid" 2>/dev/null
  [ -n "$bus_pid" ] && kill "$bus_pid" 2>/dev/null
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null
  [ -z "${KL_TEST_KEEP:-}" ] && rm -rf "$tmp" 2>/dev/null
  true
}
trap cleanup EXIT

export HOME="$tmp/home"
export XDG_CONFIG_HOME="$tmp/config"
export XDG_DATA_HOME="$tmp/data"
export XDG_CACHE_HOME="$tmp/cache"
export XDG_STATE_HOME="$tmp/state"
export XDG_RUNTIME_DIR="$tmp/runtime"
mkdir -p "$HOME" "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME" "$XDG_STATE_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
unset WAYLAND_DISPLAY DBUS_SESSION_BUS_ADDRESS

if [ -z "${KL_TEST_NO_X:-}" ]; then
  mkfifo "$tmp/displayfd"
  Xvfb -displayfd 3 -screen 0 1280x1024x24 -nolisten tcp -noreset 3>"$tmp/displayfd" >/dev/null 2>&1 &
  xvfb_pid=$!
  # Xvfb writes its display number once it accepts connections.
  if ! read -r -t 60 display <"$tmp/displayfd"; then
    echo "test-session: Xvfb did not start" >&2
    exit 99
  fi
  export DISPLAY=":$display"
fi

# A private session bus. Services it activates write to a log file, never to the test's
# stdout (that is TAP).
bus_config=(--session)
if [ -n "${KL_TEST_NO_KEYRING:-}" ]; then
  # The standard session bus would start gnome-keyring-daemon on the first call to
  # org.freedesktop.secrets (D-Bus activation): give this bus every activatable service but the
  # Secret Service ones, so that there is truly no keyring.
  mkdir "$tmp/dbus-services"
  IFS=: read -r -a data_dirs <<<"${XDG_DATA_DIRS:-/usr/local/share:/usr/share}"
  for dir in "${data_dirs[@]}"; do
    for service in "$dir"/dbus-1/services/*.service; do
      [ -f "$service" ] || continue
      [ -e "$tmp/dbus-services/${service##*/}" ] && continue
      grep -qE '^Name=org\.freedesktop\.secrets$|^Exec=.*gnome-keyring-daemon' "$service" && continue
      ln -s "$service" "$tmp/dbus-services/"
    done
  done
  cat >"$tmp/bus.conf" <<EOF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <keep_umask/>
  <listen>unix:tmpdir=$tmp</listen>
  <auth>EXTERNAL</auth>
  <servicedir>$tmp/dbus-services</servicedir>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
EOF
  bus_config=(--config-file="$tmp/bus.conf")
fi
mkfifo "$tmp/busfd"
# The daemons (and the services the bus starts, such as gcr-prompter) run without the test's
# G_DEBUG=fatal-warnings: a warning of theirs (e.g. gnome-keyring's "couldn't create system
# prompt" when no prompter can start) must not abort them in the middle of a test.
env -u G_DEBUG dbus-daemon "${bus_config[@]}" --nofork --nopidfile --print-address=3 3>"$tmp/busfd" >"$tmp/bus.log" 2>&1 &
bus_pid=$!
if ! read -r -t 60 address <"$tmp/busfd"; then
  echo "test-session: dbus-daemon did not start" >&2
  exit 99
fi
export DBUS_SESSION_BUS_ADDRESS="$address"

if [ -z "${KL_TEST_NO_KEYRING:-}" ]; then
  printf '%s' "keylink-test-password" |
    env -u G_DEBUG gnome-keyring-daemon --foreground --unlock --components=secrets >"$tmp/keyring.log" 2>&1 &
  keyring_pid=$!
  # Block until the daemon owns its name on our bus (no sleeps).
  if ! gdbus wait --session --timeout 30 org.freedesktop.secrets; then
    echo "test-session: gnome-keyring-daemon did not start" >&2
    exit 99
  fi
fi

"$@"
