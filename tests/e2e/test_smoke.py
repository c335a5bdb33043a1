#!/usr/bin/python3
# test_smoke.py — Keylink starts, shows a GNOME window with its menu, and quits on Ctrl+Q.
#
# Copyright 2026 The Keylink authors
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import keylink_e2e as e2e  # noqa: E402
import keylink_steps as steps  # noqa: E402


def test_menu_and_about():
    with steps.running(['--demo']) as app:
        app.find('frame', 'Keylink')
        app.find('label', 'Demo mode: nothing real is changed', mapped=True)
        # The menu's popover is built when first opened (kl-window.c).
        app.click('push button', 'Main Menu')
        app.click('menu item', 'About Keylink')
        app.find('frame', 'About')
        app.find('label', 'Keylink')
        app.screenshot('smoke-about')


def test_version():
    import subprocess
    out = subprocess.run([os.path.join(e2e.BUILD_DIR, 'src', 'keylink'), '--version'],
                         capture_output=True, text=True, check=True).stdout
    assert out.startswith('Keylink '), out


if __name__ == '__main__':
    tap = e2e.Tap()
    tap.run('version', test_version)
    tap.run('menu-and-about', test_menu_and_about)
    sys.exit(tap.done())
