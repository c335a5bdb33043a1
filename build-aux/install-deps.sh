#!/bin/bash
# install-deps.sh — installs everything Keylink needs to build, run and test on Debian 12.
# Idempotent; run as root (or with sudo available).
set -eu

packages=(
  # build
  meson ninja-build pkg-config gcc clang libclang-rt-14-dev gettext
  libglib2.0-dev libglib2.0-dev-bin libgtk-4-dev libadwaita-1-dev libsoup-3.0-dev
  libjson-glib-dev libsecret-1-dev python3 python3-yaml
  # data validators
  desktop-file-utils appstream yelp-tools flatpak-builder
  # test session: X server, D-Bus, a real keyring, accessibility
  xvfb xauth dbus dbus-x11 gnome-keyring libsecret-tools at-spi2-core xdg-desktop-portal
  # GTK's default GL renderer under Xvfb: Mesa's software GL (llvmpipe)
  libgl1-mesa-dri libegl-mesa0 libglx-mesa0
  python3-gi gir1.2-atspi-2.0 imagemagick x11-utils
  # benchmarks: GNOME's default font (the start-up is judged with it; tests never ask for it)
  fonts-cantarell
)

sudo=
if [ "$(id -u)" != 0 ]; then
  sudo=sudo
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
