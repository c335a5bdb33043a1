#!/usr/bin/python3
# test_crash.py — Keylink killed (SIGKILL, no chance to clean up) at four points of a setup,
# and started again each time: it resumes where the server says the project stands, never
# sends again what Atlas already carried out, and the finished setup has exactly one
# endpoint per region and the key on both clusters.
#
# The simulator is the standalone keylink-atlas-sim, so that Atlas's state outlives the app
# (the demo's simulator would die with it). Its clock is stopped (time scale 0): only the test
# moves it (POST /__sim/advance), so the states at each kill are exact. A service account
# signs in (bearer tokens: a fault rule hits the request itself, not a Digest challenge), and
# is remembered in the keyring; GSettings use the keyfile backend in the test's own
# XDG_CONFIG_HOME, so that “Continue with Payments” outlives each run. Three restarts take
# that row of the welcome page; one takes the saved profile, the project and Continue Setup.
#
# The kill points:
#  1. the Azure details typed, on the Review page, before Enable: nothing was sent; what was
#     typed is in the project's draft in GSettings, but for the Azure secret, which is never
#     outside memory or the keyring: the app resumes at the Azure Application page with the
#     details typed, says the secret must be typed again, and goes on with only that;
#  2. the PATCH that enables the key, carried out by Atlas but its answer never seen (a stall
#     after processing): the app resumes at Private Networking and does not PATCH again;
#  3. the endpoints being created, one POST answered, the other carried out by Atlas only
#     after the kill: the restarted app finds one PENDING_ACCEPTANCE and one INITIATING; the
#     endpoints page follows both and never POSTs again;
#  4. the cluster PATCHes (clusters UPDATING), one never answered: the Clusters page shows
#     them updating on the key and does not PATCH again.
#
# Copyright 2026 The Keylink authors
# SPDX-License-Identifier: GPL-3.0-or-later

import fnmatch
import os
import re
import signal
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import keylink_e2e as e2e  # noqa: E402
import keylink_steps as steps  # noqa: E402
from keylink_steps import GROUP, REGIONS  # noqa: E402

SETTINGS = {'GSETTINGS_BACKEND': 'keyfile'}
EAR_PATH = '/api/atlas/v2/groups/%s/encryptionAtRest' % GROUP
ENDPOINTS_PATH = EAR_PATH + '/AZURE/privateEndpoints'
CLUSTER_PATH = '/api/atlas/v2/groups/%s/clusters/*' % GROUP
AZURE_FIELDS = ('Directory (Tenant) ID', 'Application (Client) ID', 'Client Secret Value')
VAULT_FIELDS = ('Subscription ID', 'Resource Group', 'Key Vault Name', 'Key Identifier')
RESTORED = 'Restored from your last session. Type the client secret again.'
DRAFTED = (steps.TENANT_ID, steps.CLIENT_ID, steps.SUBSCRIPTION_ID, steps.RESOURCE_GROUP,
           steps.VAULT, steps.KEY_ID)
STATUS_ENDPOINTS = ('Private networking is required. EUROPE_WEST and US_EAST_2 still need an '
                    'active private endpoint.')


# ---- The simulator's request log -----------------------------------------------------------

def requests(sim):
    return sim.control('GET', '/__sim/requests')['requests']


def count(log, method, path):
    """How many requests of the log had this method and a path matching the glob."""
    return len([r for r in log if r['method'] == method and fnmatch.fnmatchcase(r['path'], path)])


def since(sim, mark):
    return requests(sim)[mark:]


def wait_fault_hit(sim, rule, what):
    """Waits until the stall rule has caught its request (a stall after processing: what the
    request does has happened by then)."""
    def hit():
        return [f for f in sim.faults() if f['id'] == rule['id'] and f['hits'] >= 1]
    e2e.wait_until(hit, timeout=30, what=what)


def release(sim, method, path, n):
    """Clears the faults, which answers the requests they held (into the dead app's closed
    connection), and waits until the log shows them: n requests of that kind in all."""
    sim.clear_faults()
    e2e.wait_until(lambda: count(requests(sim), method, path) == n,
                   what='%d %s requests in the log' % (n, method))
    e2e.note('released what the faults held')


# ---- Killing and starting again --------------------------------------------------------------

def start(sim):
    return e2e.App(['--atlas-url', sim.url], env=SETTINGS)


def kill(app, where):
    """SIGKILL: no close, no cancellation, no flush. The app must still have been running."""
    assert app.proc.poll() is None, 'Keylink ended by itself (%d) before the kill %s' % (
        app.proc.returncode, where)
    os.kill(app.proc.pid, signal.SIGKILL)
    app.proc.wait(10)
    app._forget()
    assert app.proc.returncode == -signal.SIGKILL, app.proc.returncode
    e2e.note('killed %s' % where)


def resume(app, title, timeout=30):
    """The welcome page of a restarted app offers to continue with the project; continuing
    signs in from the keyring and lands on the page the server's state resumes at."""
    app.page('Welcome to Keylink')
    # The page's primary action, the assistant's button, and its first focus.
    app.press('Continue with %s' % steps.PROJECT)
    return app.page(title, timeout=timeout)


def resume_by_hand(app, status, title):
    """The other way back: the saved profile, the project (chosen already, as last time), and
    Continue Setup, which skips to the page the server's state resumes at."""
    page = app.page('Welcome to Keylink')
    row = app.find('list item', steps.PROFILE_NAME, root=page, mapped=True)
    app.activate(row, backwards=True)
    steps.choose_project(app, status=status)
    app.press('Continue Setup')
    return app.page(title, timeout=30)


def plain_files_with(secrets):
    """The files of the test's HOME and XDG dirs (the keyring's own file is encrypted) that
    hold one of secrets in clear."""
    top = os.path.dirname(os.environ['HOME'])
    found = []
    for root, _dirs, files in os.walk(top):
        for name in files:
            path = os.path.join(root, name)
            if not os.path.isfile(path) or os.path.islink(path):
                continue
            try:
                with open(path, 'rb') as f:
                    data = f.read()
            except OSError:
                continue
            found += ['%s (%s)' % (path, s) for s in secrets if s.encode() in data]
    return found


def keyfile():
    config = os.environ.get('XDG_CONFIG_HOME', os.path.expanduser('~/.config'))
    with open(os.path.join(config, 'glib-2.0', 'settings', 'keyfile'), encoding='utf-8') as f:
        return f.read()


def fill_and_review(app):
    steps.fill_azure_application(app)
    app.press('Next')
    steps.fill_key_vault(app)
    app.press('Next')
    return steps.check_review(app)


def cluster_rows(page):
    """{cluster name: [its status lines]} of the Clusters page's rows."""
    result = {}
    for name in steps.CLUSTERS:
        for row in e2e.find_all(page, 'list item'):
            labels = [n.get_name() for n in e2e.find_all(row, 'label')]
            if name in labels:
                result[name] = [t for t in labels if '\u00a0· ' in t]
    return result


# ---- The test ----------------------------------------------------------------------------

def test_killed_and_resumed():
    assert 'kl-test.' in os.environ.get('XDG_CONFIG_HOME', ''), \
        'run this under build-aux/test-session.sh: it writes GSettings to XDG_CONFIG_HOME'
    sim, api = steps.start_simulator(time_scale='0')
    app = None
    try:
        # ---- 1. Typed, not sent ----
        app = start(sim)
        steps.sign_in(app, api_key=False, remember=True)
        steps.choose_project(app, status=steps.STATUS_NOT_SET_UP)
        app.press('Set Up')
        fill_and_review(app)
        # The draft is written a moment after the typing: the kill comes once it is on disk.
        e2e.wait_until(lambda: all(v in keyfile() for v in DRAFTED),
                       what='the draft of the Azure details in the GSettings keyfile')
        kill(app, 'on the Review page, before Enable')

        assert count(requests(sim), 'PATCH', EAR_PATH) == 0, 'something was sent before Enable'
        assert not api.encryption_at_rest(GROUP)['azureKeyVault'].get('enabled')
        leaked = plain_files_with((steps.AZURE_SECRET, steps.SA_SECRET))
        assert not leaked, 'a secret is on disk in clear: %s' % leaked
        saved = keyfile()
        assert GROUP in saved, saved
        assert 'azure-drafts' in saved, saved
        assert steps.AZURE_SECRET not in saved and 'client-secret' not in saved, saved

        # Started again: where the server stands, the Azure details, as typed, but for the
        # secret, which the page asks for again; Next waits for it.
        app = start(sim)
        page = resume(app, 'Azure Application')
        shown = steps.entry_texts(app, page, AZURE_FIELDS)
        assert shown == {'Directory (Tenant) ID': steps.TENANT_ID,
                         'Application (Client) ID': steps.CLIENT_ID,
                         'Client Secret Value': ''}, shown
        app.label(RESTORED, root=page)
        assert not e2e.has_state(app.button('Next', sensitive=False),
                                 e2e.Atspi.StateType.SENSITIVE), 'Next without the secret'
        app.type_into('Client Secret Value', steps.AZURE_SECRET, root=page)
        app.press('Next')
        page = app.page('Key Vault and Key')
        shown = steps.entry_texts(app, page, VAULT_FIELDS)
        assert shown == dict(zip(VAULT_FIELDS, (steps.SUBSCRIPTION_ID, steps.RESOURCE_GROUP,
                                                steps.VAULT, steps.KEY_ID))), shown
        app.press('Next')
        steps.check_review(app)
        leaked = plain_files_with((steps.AZURE_SECRET, steps.SA_SECRET))
        assert not leaked, 'a secret is on disk in clear: %s' % leaked

        # ---- 2. Enable carried out by Atlas, its answer never seen ----
        rule = sim.add_fault(path=EAR_PATH, method='PATCH', kind='stall', afterProcessing=True,
                             count=1)
        app.press('Enable')
        wait_fault_hit(sim, rule, 'the Enable PATCH to reach Atlas')
        akv = api.encryption_at_rest(GROUP)['azureKeyVault']
        assert akv.get('enabled') and akv.get('valid'), akv
        assert app.current_page() == 'Review and Enable', app.current_page()
        kill(app, 'while the Enable PATCH hangs')
        release(sim, 'PATCH', EAR_PATH, 1)
        # Enable's answer was never seen: the draft is still there...
        assert steps.KEY_ID in keyfile(), keyfile()

        app = start(sim)
        mark = len(requests(sim))
        page = resume(app, 'Private Networking')
        # ...until the restarted app reads that Atlas holds the settings.
        e2e.wait_until(lambda: steps.KEY_ID not in keyfile(),
                       what='the draft removed once Atlas holds the settings')
        app.label(steps.VAULT, root=page)
        # Back: what Atlas holds, read-only (Atlas never returns the secret); then on.
        app.press('Back')
        page = app.page('Review and Enable')
        shown = app.texts(page)
        for value in (steps.TENANT_ID, steps.CLIENT_ID, steps.VAULT, steps.KEY_ID):
            assert value in shown, '%s is not on the Review page: %s' % (value, shown)
        app.press('Next')
        page = app.page('Private Networking')
        assert count(since(sim, mark), 'PATCH', EAR_PATH) == 0, 'Enable was sent again'

        # ---- 3. Endpoints being created ----
        # One POST is answered, the other one is held before Atlas carries it out; the kill
        # comes while the page still creates them. Atlas carries the held one out only after
        # the kill, once the first endpoint waits for approval: the restarted app finds one
        # endpoint PENDING_ACCEPTANCE and one INITIATING, and must follow both.
        app.press('Turn On')
        page = app.page('Private Endpoints', timeout=30)
        rule = sim.add_fault(path=ENDPOINTS_PATH, method='POST', kind='stall', count=1)
        app.press('Create Endpoints')
        wait_fault_hit(sim, rule, 'an endpoint POST to reach Atlas')
        e2e.wait_until(lambda: [r for r in requests(sim) if r['method'] == 'POST' and
                                r['path'] == ENDPOINTS_PATH and r['status'] == 202],
                       what='the other endpoint POST answered')
        app.button('Create Endpoints', sensitive=False)
        kill(app, 'while the endpoints are being created')
        first = api.endpoints(GROUP)
        assert len(first) == 1 and first[0]['status'] == 'INITIATING', first
        sim.advance(90)
        release(sim, 'POST', ENDPOINTS_PATH, 2)
        endpoints = {e['regionName']: e for e in api.endpoints(GROUP)}
        assert sorted(endpoints) == sorted(REGIONS), endpoints
        assert sorted(e['status'] for e in endpoints.values()) == \
            ['INITIATING', 'PENDING_ACCEPTANCE'], endpoints
        created = sorted(e['id'] for e in endpoints.values())

        app = start(sim)
        mark = len(requests(sim))
        page = resume_by_hand(app, STATUS_ENDPOINTS, 'Private Endpoints')
        expected = {REGIONS[r]: 'Initiating' if e['status'] == 'INITIATING' else
                    'Waiting for approval in Azure' for r, e in endpoints.items()}

        def following():
            shown = steps.endpoint_statuses(app, page)
            return shown.keys() == expected.keys() and \
                all(shown[t].startswith(expected[t] + '\u00a0·') for t in expected)
        e2e.wait_until(following, what='the endpoints as Atlas has them: %s (shown: %s)' %
                       (expected, steps.endpoint_statuses(app, page)))
        app.gone('push button', 'Create Endpoints')
        # The one waiting for approval: the command with the connection name Atlas gave it.
        for endpoint in endpoints.values():
            if endpoint['status'] == 'PENDING_ACCEPTANCE':
                app.label(steps.approval_command(endpoint['privateEndpointConnectionName']),
                          root=page)
        app.screenshot('e2e-crash-resumed-endpoints')
        assert count(since(sim, mark), 'POST', ENDPOINTS_PATH) == 0, 'an endpoint POSTed again'

        sim.advance(90)
        steps.wait_endpoints(app, page, 'Waiting for approval in Azure')
        for endpoint in api.endpoints(GROUP):
            sim.approve(GROUP, endpoint['id'])
        sim.advance(180)
        steps.wait_endpoints(app, page, 'Active')
        assert sorted(e['id'] for e in api.endpoints(GROUP)) == created, api.endpoints(GROUP)
        assert count(since(sim, mark), 'POST', ENDPOINTS_PATH) == 0, 'an endpoint POSTed again'
        app.press('Next')

        # ---- 4. The cluster PATCHes, clusters UPDATING ----
        page = app.page('Clusters', timeout=30)
        rule = sim.add_fault(path=CLUSTER_PATH, method='PATCH', kind='stall',
                             afterProcessing=True, count=1)
        app.press('Use Key on 2 Clusters')
        wait_fault_hit(sim, rule, 'a cluster PATCH to reach Atlas')

        def both_updating():
            clusters = {c['name']: c for c in api.clusters(GROUP)}
            return all(clusters[n].get('encryptionAtRestProvider') == 'AZURE' and
                       clusters[n]['stateName'] == 'UPDATING' for n in steps.CLUSTERS)
        e2e.wait_until(both_updating, what='both clusters UPDATING on the key')
        kill(app, 'during the cluster PATCHes')
        release(sim, 'PATCH', CLUSTER_PATH, 2)

        app = start(sim)
        mark = len(requests(sim))
        page = resume(app, 'Clusters')
        updating = re.compile('^Updating…\u00a0· ')
        e2e.wait_until(lambda: all(any(updating.search(t) for t in texts)
                                   for texts in cluster_rows(page).values()) and
                       len(cluster_rows(page)) == len(steps.CLUSTERS),
                       what='both clusters shown updating (shown: %s)' % cluster_rows(page))
        app.screenshot('e2e-crash-resumed-clusters')
        assert count(since(sim, mark), 'PATCH', CLUSTER_PATH) == 0, 'a cluster PATCHed again'

        # Next follows them until they are idle on the key, as after the PATCHes it sent
        # itself (the page says it follows them), before the summary says all is set.
        app.press('Next')
        app.label('0 of 2 done', root=page)
        assert app.current_page() == 'Clusters', app.current_page()
        sim.advance(120)
        page = app.page('All Set', timeout=30)
        app.label(steps.STATUS_DONE, root=page)
        e2e.wait_until(lambda: e2e.names(page).count('Uses your key over Private Link\u00a0· Idle') == 2,
                       what='both clusters on the key')
        steps.check_done(api)

        # The whole run, across the four kills: each change was sent once.
        log = requests(sim)
        assert count(log, 'PATCH', EAR_PATH) == 2, [r for r in log if r['method'] == 'PATCH']
        assert count(log, 'POST', ENDPOINTS_PATH) == len(REGIONS), \
            [r for r in log if r['method'] == 'POST']
        assert count(log, 'PATCH', CLUSTER_PATH) == len(steps.CLUSTERS), \
            [r for r in log if r['method'] == 'PATCH']
        assert not [r for r in log if r['status'] == 409], [r for r in log if r['status'] == 409]
    except Exception:
        if app is not None and app.proc.poll() is None:
            app.dump()
        raise
    finally:
        if app is not None and app.proc.returncode is None:
            app.quit()
        sim.stop()


if __name__ == '__main__':
    tap = e2e.Tap()
    tap.run('killed-and-resumed', test_killed_and_resumed)
    sys.exit(tap.done())
