#!/usr/bin/python3
# test_setup.py — a new admin sets up the Payments project from nothing, through the
# accessibility tree only, against the standalone simulator: sign in with an API key
# (remembered in the keyring), choose the project, Azure details (a mistake first, flagged on
# the page, then fixed), enable, require private networking, an endpoint in each of the two
# cluster regions, approved in "Azure" (the simulator's control API), seen ACTIVE in the app,
# the key on both clusters, and Done.
#
# Copyright 2026 The Keylink authors
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import keylink_e2e as e2e  # noqa: E402
import keylink_steps as steps  # noqa: E402
from keylink_steps import GROUP, REGIONS  # noqa: E402

SENSITIVE = e2e.Atspi.StateType.SENSITIVE
CHECKED = e2e.Atspi.StateType.CHECKED


def marked_invalid(node):
    # GTK 4.8 reports GTK_ACCESSIBLE_STATE_INVALID as AT-SPI's INVALID, not INVALID_ENTRY.
    return (e2e.has_state(node, e2e.Atspi.StateType.INVALID_ENTRY) or
            e2e.has_state(node, e2e.Atspi.StateType.INVALID))


def test_new_admin_setup():
    sim, api = steps.start_simulator()
    try:
        with steps.running(['--atlas-url', sim.url]) as app:
            page = app.page('Welcome to Keylink')
            app.label('No saved profiles yet', root=page)

            steps.sign_in(app, api_key=True, remember=True)
            steps.choose_project(app, status=steps.STATUS_NOT_SET_UP)
            app.press('Set Up')

            # Azure application: the tenant ID pasted one character short is flagged on the page.
            page = steps.fill_azure_application(app, tenant_id=steps.TENANT_ID[:-1])
            message = app.label(steps.regex('The tenant ID is not valid.'), root=page).get_name()
            assert 'has 35' in message, message
            tenant = app.find('text', 'Directory (Tenant) ID', root=page)
            assert marked_invalid(tenant), 'the tenant field is not marked invalid'
            next_button = app.button('Next', sensitive=False)
            assert not e2e.has_state(next_button, SENSITIVE), 'Next is offered with an invalid ID'
            app.screenshot('e2e-setup-azure-mistake')

            app.type_into('Directory (Tenant) ID', steps.TENANT_ID, root=page)
            app.gone('label', steps.regex('The tenant ID is not valid.'), root=page)
            e2e.wait_until(lambda: not marked_invalid(tenant), what='the field to be valid')
            app.press('Next')

            steps.fill_key_vault(app)
            app.press('Next')
            steps.check_review(app)
            app.press('Enable')

            # Private networking: what it freezes, then Turn On.
            page = app.page('Private Networking', timeout=30)
            app.label(steps.VAULT, root=page)
            app.label(steps.RESOURCE_GROUP, root=page)
            app.press('Turn On')

            # Endpoints: the two cluster regions are proposed; create them.
            page = app.page('Private Endpoints', timeout=30)
            for title in REGIONS.values():
                app.find('list item', lambda n, t=title: n and n.startswith(t), root=page,
                         mapped=True)
            app.press('Create Endpoints')

            # Azure waits for approval: one command for both, with the connection names Atlas
            # gives, and a copy button.
            steps.wait_endpoints(app, page, 'Waiting for approval in Azure')
            endpoints = api.endpoints(GROUP)
            assert sorted(e['regionName'] for e in endpoints) == sorted(REGIONS), endpoints
            for endpoint in endpoints:
                assert endpoint['status'] == 'PENDING_ACCEPTANCE', endpoint
            names = [e['privateEndpointConnectionName'] for e in
                     sorted(endpoints, key=lambda e: REGIONS[e['regionName']])]
            app.label(steps.approval_command(*names), root=page)
            app.find('push button', 'Copy approval command', root=page, mapped=True)
            app.screenshot('e2e-setup-approval')

            for endpoint in endpoints:
                sim.approve(GROUP, endpoint['id'])
            steps.wait_endpoints(app, page, 'Active')
            app.label('Every endpoint is active: Atlas reaches the key vault privately in each '
                      'of these regions.', root=page)
            assert all(e['status'] == 'ACTIVE' for e in api.endpoints(GROUP))
            app.screenshot('e2e-setup-endpoints-active')
            app.press('Next')

            # Clusters: both are eligible and chosen.
            page = app.page('Clusters', timeout=30)
            for name in steps.CLUSTERS:
                box = app.find('check box', 'Use your key on “%s”' % name, root=page, mapped=True)
                assert e2e.has_state(box, CHECKED), '%s is not chosen' % name
            app.press('Use Key on 2 Clusters')

            # Done.
            page = app.page('All Set', timeout=60)
            app.label(steps.STATUS_DONE, root=page)
            app.label('On, and Atlas can use the key', root=page)
            app.label(steps.KEY_ID, root=page)
            e2e.wait_until(lambda: e2e.names(page).count('Uses your key over Private Link\u00a0· Idle') == 2,
                           what='both clusters on the key')
            e2e.wait_until(lambda: e2e.names(page).count('Active') == 2,
                           what='both endpoints active')
            app.screenshot('e2e-setup-done')
            steps.check_done(api)
    finally:
        sim.stop()


if __name__ == '__main__':
    steps.run_tap('new-admin-setup', test_new_admin_setup)
