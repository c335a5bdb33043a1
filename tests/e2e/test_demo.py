#!/usr/bin/python3
# test_demo.py — `keylink --demo` signs in to its own simulator and runs the real flow, driven
# through the accessibility tree: the project list, a project's state, the Azure pages with demo
# values, and Enable.
#
# Copyright 2026 The Keylink authors
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import keylink_e2e as e2e  # noqa: E402
import keylink_steps as steps  # noqa: E402


def test_demo_signs_in_and_enables():
    with steps.running(['--demo']) as app:
        app.find('label', 'Demo mode: nothing real is changed')

        # Signed in by itself: the project list, searchable.
        page = app.page('Choose a Project', timeout=30)
        app.find(steps.PROJECT_ROW, 'Payments', root=page, mapped=True)
        app.find(steps.PROJECT_ROW, 'Archive', root=page, mapped=True)
        app.screenshot('demo-projects')
        # The search has the focus: type, and Enter chooses the one project left.
        app.type_into('Search projects', 'Payments', role='entry', root=page)
        app.gone(steps.PROJECT_ROW, 'Archive', root=page)
        e2e.press_enter()

        # Where it stands, and what can be done.
        app.label('Encryption at rest with your own Azure key is not set up yet.', root=page,
                  timeout=30)
        app.press('Set Up')

        # The Azure pages: the demo's values, those of its simulated Azure, its made-up client
        # secret too: nothing to type.
        page = app.page('Azure Application')
        app.click('push button', 'Fill Demo Values')
        app.press('Next')
        page = app.page('Key Vault and Key')
        app.press('Next')
        page = app.page('Review and Enable')
        app.press('Enable')

        # Enabled, read back from the simulator: on to private networking, which would fix
        # the demo's vault (the simulated Azure's).
        page = app.page('Private Networking', timeout=60)
        app.label('kv-kl', root=page)
        app.screenshot('demo-enabled')


if __name__ == '__main__':
    steps.run_tap('demo-signs-in-and-enables', test_demo_signs_in_and_enables)
