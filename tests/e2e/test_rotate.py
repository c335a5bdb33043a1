#!/usr/bin/python3
# test_rotate.py — the key of a finished setup is rotated to a new version in the same vault,
# from the Project page: an identifier in another vault is refused on the page, the new one is
# sent, and the summary shows it verified (enabled, valid, the new identifier); the server
# agrees.
#
# The finished setup is made through the Atlas API first (test_setup.py walks it in the app).
#
# Copyright 2026 The Keylink authors
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import keylink_e2e as e2e  # noqa: E402
import keylink_steps as steps  # noqa: E402

OTHER_VAULT_KEY_ID = \
    'https://kl-other-vault.vault.azure.net/keys/atlas-key/fedcba9876543210fedcba9876543210'
SAME_VAULT = 'A rotated key must stay in the vault “%s”' % steps.VAULT


def test_rotate_key():
    sim, api = steps.start_simulator()
    try:
        steps.prepare_done(api, sim)
        with steps.running(['--atlas-url', sim.url]) as app:
            steps.sign_in(app, api_key=True, remember=False)
            steps.choose_project(app, status=steps.STATUS_DONE)
            steps.project_action(app, 'Rotate the Key')

            page = app.page('Rotate the Key')
            app.label(steps.KEY_ID, root=page)

            # A key in another vault is refused before anything is sent.
            app.type_into('New Key Identifier', OTHER_VAULT_KEY_ID, root=page)
            app.label(steps.regex(SAME_VAULT), root=page)
            button = app.button('Rotate Key', sensitive=False)
            assert not e2e.has_state(button, e2e.Atspi.StateType.SENSITIVE), \
                'Rotate Key is offered for a key in another vault'

            # A new version of the key, in the same vault.
            app.type_into('New Key Identifier', steps.NEW_KEY_ID, root=page)
            app.gone('label', steps.regex(SAME_VAULT), root=page)
            app.screenshot('e2e-rotate-new-key')
            app.press('Rotate Key')
            # Asked once more, Cancel the default.
            app.press('Rotate Now')

            # Verified: Atlas took the new identifier and can use the key; the summary says so.
            page = app.page('Key Rotated', timeout=30)
            app.label(steps.regex('The key was rotated'), root=page)
            app.label(steps.NEW_KEY_ID, root=page)
            app.label('On, and Atlas can use the key', root=page)
            assert steps.KEY_ID not in e2e.names(page), 'the summary still shows the old key'
            app.screenshot('e2e-rotate-verified')
            steps.check_done(api, key_id=steps.NEW_KEY_ID)
    finally:
        sim.stop()


if __name__ == '__main__':
    steps.run_tap('rotate-key', test_rotate_key)
