#!/usr/bin/python3
# test_teardown.py — a finished setup is torn down completely from the Project page (“Turn Off
# Your Key”): the steps in order, confirmed by typing the project's name (a wrong name does not
# confirm), every step done, and the server left with no endpoint, every cluster on Atlas's
# own keys and the Azure key turned off; the summary follows by itself.
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
from keylink_steps import GROUP  # noqa: E402

# In this order, but the endpoints in the order Atlas lists them.
DELETIONS = ['Delete the private endpoint in East US 2 (US_EAST_2)',
             'Delete the private endpoint in West Europe (EUROPE_WEST)']
STEPS = DELETIONS + [
    'Wait until Atlas has removed every private endpoint',
    'Stop using your key on cluster “payments-eu”',
    'Stop using your key on cluster “payments-us”',
    'Wait until every cluster has finished updating',
    'Turn off encryption at rest with your key for the project',
]
SUMMARY = 'Encryption Turned Off'
SENSITIVE = e2e.Atspi.StateType.SENSITIVE


def step_states(page):
    """{step: its subtitle} for the rows of the Steps list."""
    result = {}
    for row in e2e.find_all(page, 'list item'):
        if row.get_name() in STEPS:
            labels = [n.get_name() for n in e2e.find_all(row, 'label') if e2e.on_screen(n)]
            result[row.get_name()] = labels[-1] if len(labels) > 1 else None
    return result


def test_teardown():
    sim, api = steps.start_simulator()
    try:
        steps.prepare_done(api, sim)
        with steps.running(['--atlas-url', sim.url]) as app:
            steps.sign_in(app, api_key=True, remember=False)
            steps.choose_project(app, status=steps.STATUS_DONE)
            steps.project_action(app, 'Turn Off Your Key')

            # Every step, in the safe order, before anything is done.
            page = app.page('Turn Off Your Key')
            app.label(steps.regex('Never disable or delete the key in Azure'), root=page)

            def in_order():
                shown = list(step_states(page))
                return sorted(shown[:2]) == DELETIONS and shown[2:] == STEPS[2:]
            try:
                e2e.wait_until(in_order, what='the seven steps in order')
            except e2e.Timeout as e:
                raise e2e.Timeout('%s: %s' % (e, list(step_states(page)))) from None

            # Confirmed only by the project's exact name.
            app.label('To confirm, type the project’s name, “%s”, exactly. Keep the key '
                      'enabled in Azure until every step is done.' % steps.PROJECT, root=page)
            # The one primary button is the assistant's, in its action bar, not the page's.
            button = app.button('Turn Off Your Key', sensitive=False)
            app.type_into('Project Name', steps.PROJECT.lower(), root=page)
            assert not e2e.has_state(button, SENSITIVE), 'confirmed with the wrong name'
            app.type_into('Project Name', steps.PROJECT, root=page)
            e2e.wait_until(lambda: e2e.has_state(button, SENSITIVE), what='the confirmation')
            app.focus(button)  # with the keyboard, as a person would
            app.screenshot('e2e-teardown-confirm')
            assert api.endpoints(GROUP), 'something was deleted before the confirmation'
            app.press('Turn Off Your Key')

            # Every step done: the summary follows by itself, saying the key is off (the steps'
            # page is left, out of the accessibility tree's reach).
            summary = app.page(SUMMARY, timeout=90)
            app.label('Off: Atlas manages the keys', root=summary)
            app.screenshot('e2e-teardown-done')

            # The server: no endpoint, every cluster on Atlas's keys, the Azure key off.
            assert api.endpoints(GROUP) == [], api.endpoints(GROUP)
            for cluster in api.clusters(GROUP):
                if cluster['name'] in steps.CLUSTERS:
                    assert cluster.get('encryptionAtRestProvider') == 'NONE', cluster
                    assert cluster['stateName'] == 'IDLE', cluster
            akv = api.encryption_at_rest(GROUP)['azureKeyVault']
            assert not akv.get('enabled'), akv
            assert not akv.get('requirePrivateNetworking'), akv
    finally:
        sim.stop()


if __name__ == '__main__':
    steps.run_tap('teardown', test_teardown)
