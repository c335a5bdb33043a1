#!/usr/bin/python3
# test_mixed.py — safe advice for the projects real organisations have, through the
# accessibility tree only, against the standalone simulator:
#  - "Analytics" mixes Azure, AWS and Google Cloud clusters (and ineligible ones): only the
#    Azure cluster is proposed; choosing the AWS one says first that it reaches the key over
#    the public internet; the summary says exactly how each cluster reaches the key, and the
#    next steps keep the vault's public access on instead of advising to turn it off.
#  - "Expansion" has a cluster in CHILE_CENTRAL, a region Keylink's own list does not know: it
#    is proposed for an endpoint under its Atlas code, created, approved and followed to
#    ACTIVE, and counted before the page calls every endpoint active.
#
# Copyright 2026 The Keylink authors
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import keylink_e2e as e2e  # noqa: E402
import keylink_steps as steps  # noqa: E402

CHECKED = e2e.Atspi.StateType.CHECKED
KEY_SPACE = 0x20
KEY_ESCAPE = 0xff1b
TITLES = {'US_EAST_2': 'East US 2 (US_EAST_2)', 'CHILE_CENTRAL': 'CHILE_CENTRAL'}
MIXED = '65f0000000000000000000a2'        # "Analytics" (src/sim/kl-sim.h)
NEW_REGION = '65f0000000000000000000a4'   # "Expansion"


def enable_key(api, sim, group_id, regions):
    """Key on and valid, private networking required, an ACTIVE endpoint in each region: what
    the earlier pages leave, made through the Atlas API (Azure's side through the simulator)."""
    api.call('PATCH', '/groups/%s/encryptionAtRest' % group_id, {'azureKeyVault': {
        'enabled': True, 'azureEnvironment': 'AZURE', 'clientID': steps.CLIENT_ID,
        'tenantID': steps.TENANT_ID, 'secret': steps.AZURE_SECRET,
        'subscriptionID': steps.SUBSCRIPTION_ID, 'resourceGroupName': steps.RESOURCE_GROUP,
        'keyVaultName': steps.VAULT, 'keyIdentifier': steps.KEY_ID}})
    api.call('PATCH', '/groups/%s/encryptionAtRest' % group_id,
             {'azureKeyVault': {'requirePrivateNetworking': True}})
    for region in regions:
        api.call('POST', '/groups/%s/encryptionAtRest/AZURE/privateEndpoints' % group_id,
                 {'regionName': region})
    sim.advance(90)
    for endpoint in api.endpoints(group_id):
        sim.approve(group_id, endpoint['id'])
    sim.advance(180)
    assert all(e['status'] == 'ACTIVE' for e in api.endpoints(group_id))


def test_mixed_project():
    sim, api = steps.start_simulator()
    try:
        enable_key(api, sim, MIXED, ('EUROPE_NORTH', 'US_WEST_2'))
        with steps.running(['--atlas-url', sim.url]) as app:
            steps.sign_in(app, api_key=True, remember=False)
            steps.choose_project(app, name='Analytics')
            app.press('Continue Setup')

            # Only the Azure cluster is proposed; AWS and Google Cloud say how they would
            # reach the key.
            page = app.page('Clusters', timeout=30)
            azure = app.find('check box', 'Use your key on “analytics-azure”', root=page,
                             mapped=True)
            assert e2e.has_state(azure, CHECKED), 'the Azure cluster is not proposed'
            for name in ('analytics-aws', 'analytics-gcp'):
                box = app.find('check box', 'Use your key on “%s”' % name, root=page, mapped=True)
                assert not e2e.has_state(box, CHECKED), '%s is chosen by default' % name
            app.label(steps.regex('Would reach your key over the public internet only'),
                      root=page)

            # Choosing the AWS cluster (keyboard: Tab to it, Space) says what follows before
            # anything is sent.
            aws = app.find('check box', 'Use your key on “analytics-aws”', root=page, mapped=True)
            app.focus(aws)
            e2e.key(KEY_SPACE)
            e2e.wait_until(lambda: e2e.has_state(aws, CHECKED), what='the AWS cluster chosen')
            app.label(steps.regex('This cluster will reach your key over the public internet'),
                      root=page)
            app.screenshot('e2e-clusters-mixed')
            assert all(c.get('encryptionAtRestProvider') != 'AZURE'
                       for c in api.clusters(MIXED)), 'a cluster changed before Next'
            app.press('Use Key on 2 Clusters')

            # The summary is exact, and the next steps keep public access on.
            page = app.page('All Set', timeout=60)
            app.label(steps.regex('Done: 1 cluster reaches your Azure key over Private Link. '
                                  '“analytics-aws” reaches it over the public internet.'),
                      root=page, timeout=60)
            app.label('Keep public access to the vault on', root=page)
            assert 'Turn off public access to the vault' not in e2e.names(page,
                                                                          on_screen_only=False)
            app.screenshot('e2e-done-mixed')
            clusters = {c['name']: c for c in api.clusters(MIXED)}
            assert clusters['analytics-aws']['encryptionAtRestProvider'] == 'AZURE'
            assert clusters['analytics-gcp']['encryptionAtRestProvider'] != 'AZURE'
    finally:
        sim.stop()


def test_pause_confirmation():
    sim, api = steps.start_simulator()
    try:
        api.call('PATCH', '/groups/%s/encryptionAtRest' % MIXED, {'azureKeyVault': {
            'enabled': True, 'azureEnvironment': 'AZURE', 'clientID': steps.CLIENT_ID,
            'tenantID': steps.TENANT_ID, 'secret': steps.AZURE_SECRET,
            'subscriptionID': steps.SUBSCRIPTION_ID, 'resourceGroupName': steps.RESOURCE_GROUP,
            'keyVaultName': steps.VAULT, 'keyIdentifier': steps.KEY_ID}})
        with steps.running(['--atlas-url', sim.url]) as app:
            steps.sign_in(app, api_key=True, remember=False)
            steps.choose_project(app, name='Analytics')
            app.press('Continue Setup')

            # The cluster the change pauses is named first, and the button says what it does.
            page = app.page('Private Networking', timeout=30)
            app.label('analytics-multicloud', root=page)
            app.press('Turn On and Pause 1 Cluster')

            # A confirmation names it; declining sends nothing.
            app.label(steps.regex('Requiring private networking pauses “analytics-multicloud”'))
            app.screenshot('e2e-pause-confirmation', settle_page=False)
            # Escape answers the dialog with Cancel (the bar's own Cancel would stop the page).
            e2e.key(KEY_ESCAPE)
            app.gone('label', steps.regex('Requiring private networking pauses'))
            akv = api.encryption_at_rest(MIXED)['azureKeyVault']
            assert not akv.get('requirePrivateNetworking'), akv

            app.press('Turn On and Pause 1 Cluster')
            app.label(steps.regex('Requiring private networking pauses “analytics-multicloud”'))
            app.press('Turn On and Pause')
            app.page('Private Endpoints', timeout=30)
            akv = api.encryption_at_rest(MIXED)['azureKeyVault']
            assert akv.get('requirePrivateNetworking'), akv
            clusters = {c['name']: c for c in api.clusters(MIXED)}
            assert clusters['analytics-multicloud']['paused'], clusters['analytics-multicloud']
    finally:
        sim.stop()


def test_unknown_region():
    sim, api = steps.start_simulator()
    try:
        enable_key(api, sim, NEW_REGION, ())
        with steps.running(['--atlas-url', sim.url]) as app:
            steps.sign_in(app, api_key=True, remember=False)
            steps.choose_project(app, name='Expansion')
            app.press('Continue Setup')

            # Both cluster regions are proposed, the unknown one under its Atlas code.
            page = app.page('Private Endpoints', timeout=30)
            app.find('list item', lambda n: n and n.startswith('CHILE_CENTRAL'), root=page,
                     mapped=True)
            app.label(steps.regex('Not created yet. Keylink does not know this region'),
                      root=page)
            app.press('Create Endpoints')

            steps.wait_endpoints(app, page, 'Waiting for approval in Azure', titles=TITLES)
            endpoints = api.endpoints(NEW_REGION)
            assert sorted(e['regionName'] for e in endpoints) == ['CHILE_CENTRAL', 'US_EAST_2']
            names = [e['privateEndpointConnectionName'] for e in
                     sorted(endpoints, key=lambda e: TITLES[e['regionName']])]
            app.label(steps.approval_command(*names), root=page)
            for endpoint in endpoints:
                sim.approve(NEW_REGION, endpoint['id'])
            steps.wait_endpoints(app, page, 'Active', titles=TITLES)
            app.label('Every endpoint is active: Atlas reaches the key vault privately in each '
                      'of these regions.', root=page)
            assert all(e['status'] == 'ACTIVE' for e in api.endpoints(NEW_REGION))
            app.screenshot('e2e-endpoints-unknown-region')
    finally:
        sim.stop()


if __name__ == '__main__':
    tap = e2e.Tap()
    tap.run('mixed-project', test_mixed_project)
    tap.run('unknown-region', test_unknown_region)
    tap.run('pause-confirmation', test_pause_confirmation)
    sys.exit(tap.done())
