#!/usr/bin/python3
# test_faults.py — Atlas fails in the middle of a setup (the simulator's fault injection): the
# connection drops on the PATCH that enables the key, after Atlas applied it; later the endpoint
# creation gets 503s, one of them for a POST that Atlas did carry out. Each time the page says
# what happened and what to do, the user tries again once Atlas is back, and nothing is lost:
# the typed answers are still there, and the server ends with exactly one endpoint per region.
#
# Signed in with a service account (bearer tokens: a fault rule hits the request itself, not
# a Digest challenge; src/sim/README.md).
#
# Copyright 2026 The Keylink authors
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import keylink_steps as steps  # noqa: E402
from keylink_steps import GROUP, REGIONS  # noqa: E402

EAR_PATH = '/api/atlas/v2/groups/*/encryptionAtRest'
ENDPOINTS_PATH = '/api/atlas/v2/groups/*/encryptionAtRest/*/privateEndpoints'
HTTP_503 = 'Atlas had a problem of its own (HTTP 503).'


def check_answers(app):
    """Back through the Azure pages: every typed answer is still there; then forward again."""
    app.press('Back')
    page = app.page('Key Vault and Key')
    shown = steps.entry_texts(app, page, ('Subscription ID', 'Resource Group', 'Key Vault Name',
                                          'Key Identifier'))
    assert shown == {'Subscription ID': steps.SUBSCRIPTION_ID,
                     'Resource Group': steps.RESOURCE_GROUP,
                     'Key Vault Name': steps.VAULT,
                     'Key Identifier': steps.KEY_ID}, shown
    app.press('Back')
    page = app.page('Azure Application')
    shown = steps.entry_texts(app, page, ('Directory (Tenant) ID', 'Application (Client) ID'))
    assert shown == {'Directory (Tenant) ID': steps.TENANT_ID,
                     'Application (Client) ID': steps.CLIENT_ID}, shown
    app.press('Next')
    app.page('Key Vault and Key')
    app.press('Next')
    # The secret too: the Review page still has one to send (masked), not “Not set”.
    return steps.check_review(app)


def test_server_faults():
    sim, api = steps.start_simulator()
    try:
        with steps.running(['--atlas-url', sim.url]) as app:
            steps.sign_in(app, api_key=False, remember=False)
            steps.choose_project(app, status=steps.STATUS_NOT_SET_UP)
            app.press('Set Up')
            steps.fill_azure_application(app)
            app.press('Next')
            steps.fill_key_vault(app)
            app.press('Next')
            page = steps.check_review(app)

            # Atlas answers every PATCH of the key settings with 503: that says nothing of
            # whether it applied it, so Keylink reads the project back, sees nothing applied,
            # and says Atlas may have applied it all the same.
            sim.add_fault(path=EAR_PATH, method='PATCH', kind='status', status=503)
            app.press('Enable')
            message = steps.page_error(app, page)
            assert 'Atlas may have applied the change all the same' in message, message
            assert app.current_page() == 'Review and Enable', app.current_page()
            app.screenshot('e2e-faults-enable-dropped')

            # Nothing typed is lost. Then the connection drops after Atlas applied the PATCH:
            # Keylink reads the project back, finds the key in place, and goes on.
            page = check_answers(app)
            sim.clear_faults()
            sim.add_fault(path=EAR_PATH, method='PATCH', kind='drop', afterProcessing=True)
            app.press('Enable')
            page = app.page('Private Networking', timeout=30)
            sim.clear_faults()
            akv = api.encryption_at_rest(GROUP)['azureKeyVault']
            assert akv.get('enabled') and akv.get('valid'), akv
            app.press('Turn On')

            # Endpoint creation: the first POST is carried out but answered 503, later ones 503.
            page = app.page('Private Endpoints', timeout=30)
            app.button('Create Endpoints')
            sim.add_fault(path=ENDPOINTS_PATH, method='POST', kind='status', status=503,
                          afterProcessing=True, count=1)
            sim.add_fault(path=ENDPOINTS_PATH, method='POST', kind='status', status=503)
            app.press('Create Endpoints')
            message = steps.page_error(app, page)
            assert message.startswith(HTTP_503) and 'try again' in message, message
            # The region still to create says so too, and can be created again.
            app.label(HTTP_503 + ' Wait a moment and try again; if it keeps happening, check the '
                      'MongoDB Cloud status page.', root=page)
            app.button('Create Endpoints')
            app.screenshot('e2e-faults-endpoints-503')
            created = api.endpoints(GROUP)
            assert len(created) == 1, created

            # Atlas is back: Create Endpoints again; the region that has one keeps it.
            sim.clear_faults()
            app.press('Create Endpoints')
            steps.wait_endpoints(app, page, 'Waiting for approval in Azure')
            steps.page_error_gone(app, page)
            endpoints = api.endpoints(GROUP)
            assert sorted(e['regionName'] for e in endpoints) == sorted(REGIONS), endpoints
            assert created[0]['id'] in [e['id'] for e in endpoints], (created, endpoints)

            for endpoint in endpoints:
                sim.approve(GROUP, endpoint['id'])
            steps.wait_endpoints(app, page, 'Active')
            endpoints = api.endpoints(GROUP)
            assert len(endpoints) == len(REGIONS), endpoints
            assert all(e['status'] == 'ACTIVE' for e in endpoints), endpoints
            app.screenshot('e2e-faults-recovered')
    finally:
        sim.stop()


if __name__ == '__main__':
    steps.run_tap('server-faults', test_server_faults)
