# keylink_steps.py — what an admin does in Keylink, step by step, for the end-to-end tests;
# and the server state they need, prepared or checked through the Atlas API.
#
# Copyright 2026 The Keylink authors
# SPDX-License-Identifier: GPL-3.0-or-later

import contextlib
import re
import sys

import keylink_e2e as e2e

# The simulator's made-up credentials (never real secrets).
PUBLIC_KEY = 'kltestpk'
PRIVATE_KEY = '5c0ffee0-1234-4abc-9def-0123456789ab'
SA_CLIENT_ID = 'mdb_sa_id_65f0e2e0000000000000e2e0'
SA_SECRET = 'mdb_sa_sk_e2etestsecret0123456789'
PROFILE_NAME = 'E2E Admin'

GROUP = e2e.GROUP_READY
PROJECT = 'Payments'
CLUSTERS = ('payments-eu', 'payments-us')
REGIONS = {'EUROPE_WEST': 'West Europe (EUROPE_WEST)', 'US_EAST_2': 'East US 2 (US_EAST_2)'}

# Azure answers; any well-formed value is accepted by the simulator.
TENANT_ID = '72f988bf-86f1-41af-91ab-2d7cd011db47'
CLIENT_ID = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d'
AZURE_SECRET = 'e2e-azure-client-secret'
SUBSCRIPTION_ID = '3f2b6c1d-9a8e-4f7b-b6c5-d4e3f2a1b0c9'
RESOURCE_GROUP = 'rg-keylink-e2e'
VAULT = 'kl-e2e-vault'
KEY_ID = 'https://kl-e2e-vault.vault.azure.net/keys/atlas-key/0123456789abcdef0123456789abcdef'
NEW_KEY_ID = 'https://kl-e2e-vault.vault.azure.net/keys/atlas-key/fedcba9876543210fedcba9876543210'

MASKED = '••••••••'
STATUS_DONE = 'Done: all 2 clusters that use your Azure key reach it over Private Link.'
STATUS_NOT_SET_UP = 'Encryption at rest with your own Azure key is not set up yet.'


def start_simulator(time_scale='0.002'):
    """keylink-atlas-sim with an API key and a service account; fast simulated time."""
    sim = e2e.Simulator('--api-key', '%s:%s' % (PUBLIC_KEY, PRIVATE_KEY),
                        '--service-account', '%s:%s' % (SA_CLIENT_ID, SA_SECRET),
                        '--time-scale', time_scale)
    # No IDLE-after-PATCH delay (the simulator's default, as real Atlas can): these tests drive
    # the pages (and freeze the clock to see clusters UPDATING); the delay and the client's
    # answer to it are tests/core/test-clusters.c's.
    sim.control('POST', '/__sim/cluster-propagation', {'seconds': 0})
    return sim, e2e.AtlasApi(sim.url, PUBLIC_KEY, PRIVATE_KEY)


def approval_command(*connection_names):
    """HACKING.md, Approving in Azure, as the Endpoints page shows it: one command for every
    connection that waits (names in the order of their regions' titles), a loop for several."""
    if len(connection_names) == 1:
        return ('az keyvault private-endpoint-connection approve --subscription %s '
                '--resource-group %s --vault-name %s --name %s '
                '--description "MongoDB Atlas encryption at rest"' %
                (SUBSCRIPTION_ID, RESOURCE_GROUP, VAULT, connection_names[0]))
    return ('for name in %s; do az keyvault private-endpoint-connection approve --subscription %s '
            '--resource-group %s --vault-name %s --name "$name" '
            '--description "MongoDB Atlas encryption at rest"; done' %
            (' '.join(connection_names), SUBSCRIPTION_ID, RESOURCE_GROUP, VAULT))


# ---- In the app ----------------------------------------------------------------------------

def sign_in(app, api_key=True, remember=True, profile_name=PROFILE_NAME):
    """From the welcome page: Next, the sign-in form, Sign In; returns the project page."""
    app.page('Welcome to Keylink')
    app.press('Next')
    page = app.page('Sign In to Atlas')
    if api_key:
        app.choose(app.find('combo box', 'Sign In With', root=page), 'API key')
        app.type_into('Public Key', PUBLIC_KEY, root=page)
        app.type_into('Private Key', PRIVATE_KEY, root=page)
    else:
        app.type_into('Client ID', SA_CLIENT_ID, root=page)
        app.type_into('Client Secret', SA_SECRET, root=page)
    switch = app.find('check box', 'Remember in Keyring', root=page)
    checked = e2e.Atspi.StateType.CHECKED
    if e2e.has_state(switch, checked) != remember:
        app.click('check box', 'Remember in Keyring', root=page)
        e2e.wait_until(lambda: e2e.has_state(switch, checked) == remember,
                       what='Remember in Keyring turned %s' % ('on' if remember else 'off'))
    if remember:
        app.type_into('Profile Name', profile_name, root=page)
    app.press('Sign In')
    return app.page('Choose a Project', timeout=30)


# The project list is a grid of one column (kl-project-page.ui says why): a table of cells to
# assistive technologies.
PROJECT_LIST = 'table'
PROJECT_ROW = 'table cell'


def choose_project(app, name=PROJECT, status=None):
    """Search, Enter on the one project left; waits for its state (status, if given)."""
    page = app.page('Choose a Project')
    projects = app.find(PROJECT_LIST, 'Projects', root=page)
    app.type_into('Search projects', name, role='entry', root=page)
    app.gone(PROJECT_ROW, lambda n: n != name, root=projects)
    app.find(PROJECT_ROW, name, root=projects, mapped=True)
    e2e.press_enter()
    app.find('image', 'Chosen', root=page, mapped=True)
    if status is not None:
        app.label(status, root=page, timeout=30)
    return page


def project_action(app, title):
    """Activates one of the project page's “What to Do” rows with the keyboard."""
    page = app.page('Choose a Project')
    row = app.find('list item', title, root=page, mapped=True)
    app.activate(row)


def fill_azure_application(app, tenant_id=TENANT_ID):
    page = app.page('Azure Application')
    app.type_into('Directory (Tenant) ID', tenant_id, root=page)
    app.type_into('Application (Client) ID', CLIENT_ID, root=page)
    app.type_into('Client Secret Value', AZURE_SECRET, root=page)
    return page


def fill_key_vault(app):
    page = app.page('Key Vault and Key')
    app.type_into('Subscription ID', SUBSCRIPTION_ID, root=page)
    app.type_into('Resource Group', RESOURCE_GROUP, root=page)
    app.type_into('Key Vault Name', VAULT, root=page)
    app.type_into('Key Identifier', KEY_ID, root=page)
    return page


def entry_texts(app, page, fields):
    return {f: app.text_of(app.find('text', f, root=page)) for f in fields}


def check_review(app):
    """The Review page shows every answer, and the secret masked."""
    page = app.page('Review and Enable')
    shown = app.texts(page)
    for value in (TENANT_ID, CLIENT_ID, SUBSCRIPTION_ID, RESOURCE_GROUP, VAULT, KEY_ID, MASKED):
        assert value in shown, '%s is not on the Review page: %s' % (value, shown)
    assert AZURE_SECRET not in ' '.join(shown), 'the Azure secret is shown in clear'
    return page


def endpoint_statuses(app, page, titles=None):
    """{region title: status line} of the Endpoints list, as on screen (titles: {region: title}
    of the regions to read, by default those of the Payments project)."""
    shown_titles = list((titles or REGIONS).values())
    result = {}
    for row in e2e.find_all(page, 'list item'):
        title = row.get_name()
        if title not in shown_titles:
            continue
        labels = [n.get_name() for n in e2e.find_all(row, 'label')]
        if len(labels) >= 2 and labels[0] == title:
            result[title] = labels[1]
    return result


def wait_endpoints(app, page, status, timeout=60, titles=None):
    """Waits until every region's endpoint row reads status (e.g. “Active”)."""
    expected = len(titles or REGIONS)

    def all_there():
        found = endpoint_statuses(app, page, titles)
        return len(found) == expected and \
            all(s.startswith(status + '\u00a0·') for s in found.values()) and found
    try:
        return e2e.wait_until(all_there, timeout=timeout,
                              what='every endpoint to read “%s”' % status)
    except e2e.Timeout as e:
        raise e2e.Timeout('%s (shown: %s)' % (e, endpoint_statuses(app, page, titles))) from None


def page_error(app, page, timeout=60):
    """The error a page shows under its title (its label is named by the message)."""
    def shown():
        for image in e2e.find_all(page, 'image', 'Error'):
            box = image.get_parent()
            labels = [n for n in e2e.find_all(box, 'label') if n.get_name() != 'GtkLabel']
            if labels and e2e.on_screen(labels[0]):
                return labels[0].get_name()
        return None
    return e2e.wait_until(shown, timeout=timeout, what='an error on the page')


def page_error_gone(app, page, timeout=20):
    def gone():
        for image in e2e.find_all(page, 'image', 'Error'):
            if e2e.on_screen(image):
                return False
        return True
    e2e.wait_until(gone, timeout=timeout, what='the page error to go away')


# ---- On the server ------------------------------------------------------------------------

def prepare_done(api, sim, group_id=GROUP):
    """The project as a finished setup leaves it, made through the Atlas API (and Azure's side
    through the simulator): key enabled and valid, private networking required, an ACTIVE
    endpoint in each cluster region, both clusters on the key and IDLE."""
    api.call('PATCH', '/groups/%s/encryptionAtRest' % group_id, {'azureKeyVault': {
        'enabled': True, 'azureEnvironment': 'AZURE', 'clientID': CLIENT_ID,
        'tenantID': TENANT_ID, 'secret': AZURE_SECRET, 'subscriptionID': SUBSCRIPTION_ID,
        'resourceGroupName': RESOURCE_GROUP, 'keyVaultName': VAULT, 'keyIdentifier': KEY_ID}})
    api.call('PATCH', '/groups/%s/encryptionAtRest' % group_id,
             {'azureKeyVault': {'requirePrivateNetworking': True}})
    for region in REGIONS:
        api.call('POST', '/groups/%s/encryptionAtRest/AZURE/privateEndpoints' % group_id,
                 {'regionName': region})
    sim.advance(90)
    for endpoint in api.endpoints(group_id):
        sim.approve(group_id, endpoint['id'])
    for name in CLUSTERS:
        api.patch_cluster(group_id, name, 'AZURE')
    sim.advance(180)
    check_done(api, group_id)


def check_done(api, group_id=GROUP, key_id=KEY_ID):
    akv = api.encryption_at_rest(group_id)['azureKeyVault']
    assert akv.get('enabled') and akv.get('valid'), akv
    assert akv.get('requirePrivateNetworking'), akv
    assert akv.get('keyIdentifier') == key_id, akv
    endpoints = api.endpoints(group_id)
    assert sorted(e['regionName'] for e in endpoints) == sorted(REGIONS), endpoints
    assert all(e['status'] == 'ACTIVE' for e in endpoints), endpoints
    clusters = {c['name']: c for c in api.clusters(group_id)}
    for name in CLUSTERS:
        assert clusters[name].get('encryptionAtRestProvider') == 'AZURE', clusters[name]
        assert clusters[name]['stateName'] == 'IDLE', clusters[name]


def regex(text):
    """A pattern for a label that starts with text."""
    return re.compile('^' + re.escape(text))


@contextlib.contextmanager
def running(args, env=None):
    """The app started with args (and env added to the environment); on a failure its
    accessibility tree goes to stderr, and it is quit in any case (after App.close() too)."""
    app = e2e.App(args, env=env)
    try:
        yield app
    except Exception:
        app.dump()
        raise
    finally:
        app.quit()


def run_tap(name, test):
    """Runs test as the one TAP test name, and exits with its result."""
    tap = e2e.Tap()
    tap.run(name, test)
    sys.exit(tap.done())
