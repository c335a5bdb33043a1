#!/bin/bash
# test-degraded.sh WRAPPER CORE-TEST KEYRING-TEST WIDGET-TEST FILE-KEYRING-TEST
#
# Proves build-aux/test-session.sh's degraded mode, the one flatpak-builder's run-tests gets: in
# a Flatpak build sandbox (FLATPAK_ID set here) with Xvfb and gnome-keyring-daemon hidden from
# PATH, then with dbus-daemon hidden too. A core test still passes; a test that needs an X
# server or the keyring is skipped (TAP's "1..0 # SKIP reason", exit 0) with its reason,
# never failed; a test of the
# no-keyring world still runs on a private bus. TAP on stdout.
set -u

wrapper=$1
core_test=$2
keyring_test=$3
widget_test=$4
file_keyring_test=$5

tmp=$(mktemp -d "${TMPDIR:-/tmp}/kl-degraded.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# A PATH with every program of this one but the hidden ones.
make_path () {
  local dir=$tmp/bin-$1 entry name
  shift
  mkdir "$dir"
  IFS=: read -r -a entries <<<"$PATH"
  for entry in "${entries[@]}"; do
    for program in "$entry"/*; do
      name=${program##*/}
      [ -x "$program" ] && [ ! -e "$dir/$name" ] || continue
      case " $* " in *" $name "*) continue ;; esac
      ln -s "$program" "$dir/$name"
    done
  done
  echo "$dir"
}
no_x_keyring=$(make_path a Xvfb gnome-keyring-daemon)
no_bus=$(make_path b Xvfb gnome-keyring-daemon dbus-daemon)

n=0
failed=0
echo "1..13"
# First the sandbox as FLATPAK_ID tells it, then (below) as /.flatpak-info does.
runner=()
flatpak_id=(FLATPAK_ID=io.github.keylink.Keylink)

# check DESCRIPTION WANTED-STATUS WANTED-STDERR-TEXT PATH [VAR=VALUE...] -- COMMAND...
check () {
  local what=$1 wanted=$2 text=$3 path=$4 status
  local -a vars=()
  shift 4
  while [ "$1" != -- ]; do
    vars+=("$1")
    shift
  done
  shift
  n=$((n + 1))
  "${runner[@]}" env PATH="$path" "${flatpak_id[@]}" "${vars[@]}" \
    "$wrapper" "$@" >"$tmp/out" 2>"$tmp/err"
  status=$?
  # "skip": TAP's skip plan, the one meson's TAP protocol counts as a skip, and exit 0.
  if [ "$wanted" = skip ]; then
    head -n 1 "$tmp/out" | grep -q '^1\.\.0 # SKIP ' || status="$status, no TAP skip plan"
    [ "$status" = 0 ] && status=skip
  fi
  if [ "$status" = "$wanted" ] && { [ -z "$text" ] || grep -qF -- "$text" "$tmp/err"; }; then
    echo "ok $n - $what"
  else
    echo "not ok $n - $what: exit $status, wanted $wanted${text:+ and \"$text\" on stderr}"
    sed 's/^/# /' "$tmp/out" "$tmp/err" | tail -n 20
    failed=1
  fi
}

check "a core test passes without Xvfb and gnome-keyring" 0 "" "$no_x_keyring" -- \
  "$core_test" --tap
check "a widget test is skipped: no X server" skip "needs an X server and there is no Xvfb" \
  "$no_x_keyring" KL_TEST_NEEDS_X=1 -- "$widget_test" --tap
check "the skip names the Flatpak build sandbox" skip "(Flatpak build sandbox)" \
  "$no_x_keyring" KL_TEST_NEEDS_X=1 -- "$widget_test" --tap
check "a keyring test is skipped: no gnome-keyring-daemon" skip \
  "needs gnome-keyring-daemon on a private D-Bus session bus, and gnome-keyring-daemon is missing" \
  "$no_x_keyring" KL_TEST_NEEDS_KEYRING=1 -- "$keyring_test" --tap
check "the no-keyring world still runs, on a private bus" 0 "" "$no_x_keyring" \
  KL_TEST_NO_KEYRING=1 -- "$keyring_test" --tap
check "a private session bus is there, and no display" 0 "" "$no_x_keyring" -- \
  bash -c '[ -z "${DISPLAY:-}" ] && case "$DBUS_SESSION_BUS_ADDRESS" in unix:*) ;; *) exit 1 ;; esac &&
           gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
             --method org.freedesktop.DBus.GetId >/dev/null'
check "no Secret Service can be activated on that bus" 0 "" "$no_x_keyring" -- \
  bash -c '! gdbus call --session --dest org.freedesktop.secrets \
             --object-path /org/freedesktop/secrets --method org.freedesktop.DBus.Peer.Ping'
check "the keyring through libsecret's file backend works without gnome-keyring" 0 "" \
  "$no_x_keyring" SECRET_BACKEND=file SECRET_FILE_TEST_PASSWORD=degraded-mode -- \
  "$file_keyring_test" --tap
check "and without dbus-daemon" 0 "" "$no_bus" SECRET_BACKEND=file \
  SECRET_FILE_TEST_PASSWORD=degraded-mode -- "$file_keyring_test" --tap
check "without dbus-daemon, a core test still passes" 0 "" "$no_bus" -- "$core_test" --tap
check "without dbus-daemon, a keyring test is skipped" skip "dbus-daemon is missing" "$no_bus" \
  KL_TEST_NEEDS_KEYRING=1 -- "$keyring_test" --tap

# Inside bubblewrap (what flatpak-builder runs the tests in): a /.flatpak-info file, no
# FLATPAK_ID, and no network but loopback. libsecret and KlCredentials read the same file to
# know they are sandboxed, so the keyring goes through the file backend there.
# The sandbox's root is bubblewrap's own tmpfs, with the host's directories bound into it one by
# one: binding the whole host root instead would make bubblewrap create /.flatpak-info (its
# mount point) on the host, where every GLib program would then believe it runs in Flatpak.
printf '[Application]\nname=io.github.keylink.Keylink\n' >"$tmp/flatpak-info"
runner=(bwrap --unshare-net --proc /proc --dev-bind /dev /dev)
for entry in /*; do
  case $entry in
    /proc | /dev | /lost+found) ;;
    *)
      if [ -L "$entry" ]; then
        runner+=(--symlink "$(readlink "$entry")" "$entry")
      elif [ -d "$entry" ]; then
        runner+=(--dev-bind "$entry" "$entry")
      fi
      ;;
  esac
done
# No D-Bus service to activate, as in the SDK (the host's would start xdg-desktop-portal,
# which libsecret then asks, in a sandbox, for a Secret portal there is none of).
[ -d /usr/share/dbus-1/services ] && runner+=(--tmpfs /usr/share/dbus-1/services)
runner+=(--ro-bind "$tmp/flatpak-info" /.flatpak-info --)
flatpak_id=()
if [ ! -e /.flatpak-info ] && "${runner[@]}" test -e /.flatpak-info 2>/dev/null &&
   [ ! -e /.flatpak-info ]; then
  check "in bubblewrap with /.flatpak-info, a widget test is skipped as in Flatpak" skip \
    "(Flatpak build sandbox)" "$no_x_keyring" KL_TEST_NEEDS_X=1 -- "$widget_test" --tap
  check "in bubblewrap with /.flatpak-info, the file-backend keyring works" 0 "" \
    "$no_x_keyring" SECRET_BACKEND=file SECRET_FILE_TEST_PASSWORD=degraded-mode -- \
    "$file_keyring_test" --tap
  if [ -e /.flatpak-info ]; then
    echo "# Bail out! the sandbox left /.flatpak-info on the host"
    failed=1
  fi
else
  for what in "widget test in bubblewrap" "file-backend keyring in bubblewrap"; do
    n=$((n + 1))
    echo "ok $n - $what # SKIP bwrap cannot make a sandbox here (or this is one)"
  done
fi

exit $failed
