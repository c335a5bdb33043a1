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
#   KL_TEST_SECRET_PORTAL=1  also xdg-desktop-portal on the bus, with gnome-keyring as its
#                         org.freedesktop.impl.portal.Secret: libsecret's file backend then gets
#                         its master key from the Secret portal, as inside Flatpak
#   KL_TEST_KEEP=1        keep the temporary directory for a look afterwards
#
# Degraded mode. In a Flatpak build sandbox (flatpak-builder's run-tests: /.flatpak-info or
# FLATPAK_ID) there is no Xvfb and no gnome-keyring-daemon, and any machine may lack one of
# them. The wrapper then starts what it finds (a private dbus-daemon if there is one) and a
# test that declares a need it cannot meet is skipped the way its TAP protocol says (every such
# test is a TAP test, tests/meson.build; meson counts a non-zero exit of one as an error, 77
# included): the plan "1..0 # SKIP reason" on stdout, exit 0, and the reason on stderr:
#   KL_TEST_NEEDS_X=1        widget and end-to-end tests: an X server
#   KL_TEST_NEEDS_KEYRING=1  tests of the Secret Service world: gnome-keyring-daemon on a bus
# On a complete machine these change nothing. build-aux/test-degraded.sh proves the mode.
set -u

in_flatpak=
if [ -e /.flatpak-info ] || [ -n "${FLATPAK_ID:-}" ]; then
  in_flatpak=1
fi
have () {
  command -v "$1" >/dev/null 2>&1
}
skip () {
  local reason="$*${in_flatpak:+ (Flatpak build sandbox)}"
  echo "test-session: SKIP: $reason" >&2
  echo "1..0 # SKIP $reason"
  exit 0
}
if [ -z "${KL_TEST_NO_X:-}" ] && ! have Xvfb; then
  [ -n "${KL_TEST_NEEDS_X:-}" ] && skip "this test needs an X server and there is no Xvfb"
  KL_TEST_NO_X=1
  unset DISPLAY
fi
if [ -z "${KL_TEST_NO_KEYRING:-}" ] && { ! have gnome-keyring-daemon || ! have dbus-daemon; }; then
  [ -n "${KL_TEST_NEEDS_KEYRING:-}" ] &&
    skip "this test needs gnome-keyring-daemon on a private D-Bus session bus, and" \
         "$(have dbus-daemon && echo gnome-keyring-daemon || echo dbus-daemon) is missing"
  KL_TEST_NO_KEYRING=1
fi
if [ -n "${KL_TEST_SECRET_PORTAL:-}" ] && ! have "${KL_XDG_DESKTOP_PORTAL:=/usr/libexec/xdg-desktop-portal}"; then
  skip "this test needs xdg-desktop-portal ($KL_XDG_DESKTOP_PORTAL)"
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/kl-test.XXXXXX")
xvfb_pid=
bus_pid=
keyring_pid=
portal_pid=
cleanup () {
  [ -n "$portal_pid" ] && kill "$portal_pid" 2>/dev/null
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
# xdg-desktop-portal (which GTK starts for its settings, and KL_TEST_SECRET_PORTAL=1 below)
# would start the document portal, which mounts a FUSE file system in XDG_RUNTIME_DIR that can
# outlive the clean-up: no test needs it.
hidden_services='^Name=org\.freedesktop\.portal\.Documents$'
# Nor does any test but the Secret portal one (which starts xdg-desktop-portal itself) need the
# desktop portal: without it GTK's settings lookup at start-up is refused at once, where
# activating the portal and its backends can hold every GTK start-up for up to 25 s on a busy
# machine.
if [ -z "${KL_TEST_SECRET_PORTAL:-}" ]; then
  hidden_services+='|^Name=org\.freedesktop\.portal\.Desktop$|^Name=org\.freedesktop\.impl\.portal\.'
fi
if [ -n "${KL_TEST_NO_KEYRING:-}" ]; then
  hidden_services+='|^Name=org\.freedesktop\.secrets$|^Exec=.*gnome-keyring-daemon'
fi
if [ -n "$hidden_services" ]; then
  # The standard session bus would start gnome-keyring-daemon on the first call to
  # org.freedesktop.secrets (D-Bus activation): give this bus every activatable service but the
  # hidden ones (with KL_TEST_NO_KEYRING, the Secret Service ones too, so that there is truly no
  # keyring).
  mkdir "$tmp/dbus-services"
  IFS=: read -r -a data_dirs <<<"${XDG_DATA_DIRS:-/usr/local/share:/usr/share}"
  for dir in "${data_dirs[@]}"; do
    for service in "$dir"/dbus-1/services/*.service; do
      [ -f "$service" ] || continue
      [ -e "$tmp/dbus-services/${service##*/}" ] && continue
      grep -qE "$hidden_services" "$service" && continue
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
if ! have dbus-daemon; then
  # No bus at all: what needs none (the core tests) still runs.
  "$@"
  exit
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

if [ -n "${KL_TEST_SECRET_PORTAL:-}" ]; then
  # Only gnome-keyring's portal backend (UseIn=gnome): no other backend is activated.
  mkdir "$tmp/portals"
  cp /usr/share/xdg-desktop-portal/portals/gnome-keyring.portal "$tmp/portals/"
  env -u G_DEBUG XDG_CURRENT_DESKTOP=GNOME XDG_DESKTOP_PORTAL_DIR="$tmp/portals" \
    "$KL_XDG_DESKTOP_PORTAL" --replace >"$tmp/portal.log" 2>&1 &
  portal_pid=$!
  if ! gdbus wait --session --timeout 30 org.freedesktop.portal.Desktop; then
    echo "test-session: xdg-desktop-portal did not start" >&2
    exit 99
  fi
fi

"$@"
