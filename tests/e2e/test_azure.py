#!/usr/bin/python3
# test_azure.py — end to end, through the accessibility tree only: a new admin in the
# demo (its simulated Atlas and, linked to it, its simulated Azure) sets up Payments with the
# Azure values filled in but one wrong client secret; "Check in Azure" on the Key Vault page
# names the secret before anything is sent to Atlas; the fixed secret passes every finding;
# Enable, private networking, and the endpoints: each one's Azure side reads Pending, "Approve
# in Azure" approves it in the simulated Azure (the ARM PUT), and Atlas sees them ACTIVE.
#
# Copyright 2026 The Keylink authors
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import keylink_e2e as e2e  # noqa: E402
import keylink_steps as steps  # noqa: E402
from keylink_steps import REGIONS  # noqa: E402

# The demo's simulated Azure, its seeded world (src/sim/kl-azure-sim.h, KL_AZURE_SIM_*).
SIM_TENANT_ID = '5a5a5a5a-1111-4222-8333-444455556666'
SIM_CLIENT_ID = 'c1c1c1c1-2222-4333-8444-555566667777'
SIM_SUBSCRIPTION_ID = '11111111-2222-3333-4444-555555555555'
SIM_RESOURCE_GROUP = 'rg-kl'
SIM_VAULT = 'kv-kl'
SIM_KEY_ID = 'https://kv-kl.vault.azure.net/keys/kl-key/0123456789abcdef0123456789abcdef'
# Shaped like an Azure secret value, but not the application's.
WRONG_SECRET = 'Wrong~Secret~Value~9876543210fedcbaQRS'

KEY_CONTROL_L = 0xffe3
KEY_END = 0xff57

FINDINGS = 'What Keylink found in Azure'
SIGN_IN_FAILED = 'Failed: The application could not sign in'
SIGN_IN_PASSED = 'Passed: The application signs in with this secret'
# What to do, Azure's cause quoted (bidi-isolated, as every server-derived text is).
WRONG_SECRET_ACTION = ('What to do: \u2068The client secret is wrong. Paste the secret’s Value '
                       '(not its Secret ID) from the app registration’s Certificates & secrets '
                       'page, or create a new secret there.\u2069')
SUMMARY_ONE_FAILURE = ('Atlas would fail on 1 thing in Azure. Fix it as said below, then check '
                       'again.')
SUMMARY_ALL_GOOD = 'Everything Atlas needs is in place in Azure.'
# Every finding of a vault and key that Atlas can use, in the check's order (kl-azure-check.h).
ALL_PASSED = [
    SIGN_IN_PASSED,
    'Passed: The key vault “kv-kl” is in the resource group “rg-kl”',
    'Passed: The application can read the key',
    'Passed: The key vault takes traffic from all networks',
    'Passed: Microsoft.Network is registered in the subscription',
    'Passed: The key “kl-key” exists',
    'Passed: The key is an RSA key',
    'Passed: The key is enabled',
    'Passed: The key is valid for more than 48 hours',
    'Passed: The key allows Encrypt and Decrypt',
]

AZURE_PENDING = 'In Azure: Pending. Not approved yet.'
AZURE_APPROVED_WAITING = ('In Azure: Approved. Waiting for Atlas to notice, which can take a '
                          'few minutes.')
AZURE_APPROVED = 'In Azure: Approved.'


def finding_rows(app, page):
    """The names of the check's rows on screen (“<verdict>: <what was found>”), in order."""
    lists = [n for n in e2e.find_all(page, 'list', FINDINGS) if e2e.on_screen(n)]
    if not lists:
        return []
    return [n.get_name() for n in e2e.find_all(lists[0], 'list item') if e2e.on_screen(n)]


def row_labels(app, page, name):
    """The labels on screen of the check's row named name."""
    row = app.find('list item', name, root=page, mapped=True)
    return e2e.names(row)


def azure_sides(app, page):
    """{region title: the row's “In Azure: …” line} of the Endpoints list, as on screen."""
    result = {}
    for row in e2e.find_all(page, 'list item'):
        title = row.get_name()
        if title not in REGIONS.values():
            continue
        lines = [n for n in e2e.names(row) if n.startswith('In Azure: ')]
        if lines:
            result[title] = lines[0]
    return result


def wait_azure_sides(app, page, text, timeout=60):
    """Waits until every region's row reads text for its Azure side."""
    def all_there():
        shown = azure_sides(app, page)
        return len(shown) == len(REGIONS) and all(t == text for t in shown.values()) and shown
    try:
        return e2e.wait_until(all_there, timeout=timeout,
                              what='every endpoint’s Azure side to read “%s”' % text)
    except e2e.Timeout as e:
        raise e2e.Timeout('%s (shown: %s)' % (e, azure_sides(app, page))) from None


def bottom_shown(app, page, node):
    """Whether node's bottom edge is inside the page's scrolled view."""
    panes = [n for n in e2e.find_all(page, 'scroll pane') if e2e.on_screen(n)]
    if not panes:
        return False
    view = panes[0].get_component_iface().get_extents(e2e.Atspi.CoordType.WINDOW)
    extents = node.get_component_iface().get_extents(e2e.Atspi.CoordType.WINDOW)
    return view.y <= extents.y and extents.y + extents.height <= view.y + view.height


def scroll_to_check(app, page):
    """Scrolls the page to its end, as a keyboard user does (the focus on “Check in Azure”,
    then Ctrl+End), until the check's last row is in view: for the screenshots."""
    app.focus(app.button('Check in Azure', root=page))
    rows = [n for n in e2e.find_all(page, 'list item') if e2e.on_screen(n)]
    last = rows[-1]
    e2e.key(KEY_CONTROL_L, e2e.Atspi.KeySynthType.PRESS)
    e2e.key(KEY_END)
    e2e.key(KEY_CONTROL_L, e2e.Atspi.KeySynthType.RELEASE)
    e2e.wait_until(lambda: bottom_shown(app, page, last), what='the check’s last row in view')


def tall_window_settings():
    """GSettings in the test's own XDG_CONFIG_HOME (build-aux/test-session.sh), with a window
    tall enough for the screenshots to show the check's rows and both endpoints."""
    config = os.environ.get('XDG_CONFIG_HOME', '')
    assert 'kl-test.' in config, 'run this under build-aux/test-session.sh'
    directory = os.path.join(config, 'glib-2.0', 'settings')
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, 'keyfile'), 'w', encoding='utf-8') as f:
        f.write('[io/github/keylink/Keylink]\nwindow-size=(720, 1000)\n')
    return {'GSETTINGS_BACKEND': 'keyfile'}


def test_check_in_azure_and_approve():
    with steps.running(['--demo'], env=tall_window_settings()) as app:
        app.find('label', 'Demo mode: nothing real is changed')
        app.page('Choose a Project', timeout=30)
        steps.choose_project(app, 'Payments', status=steps.STATUS_NOT_SET_UP)
        app.press('Set Up')

        # Azure application: the demo's values (its simulated Azure's), then a wrong secret
        # typed over the right one.
        page = app.page('Azure Application')
        app.click('push button', 'Fill Demo Values')
        tenant = app.find('text', 'Directory (Tenant) ID', root=page)
        e2e.wait_until(lambda: app.text_of(tenant) == SIM_TENANT_ID,
                       what='the demo values to be filled in')
        assert steps.entry_texts(app, page, ['Application (Client) ID']) == \
            {'Application (Client) ID': SIM_CLIENT_ID}
        app.type_into('Client Secret Value', WRONG_SECRET, root=page)
        app.press('Next')

        # Key Vault: filled in too; the check signs in with the wrong secret and says so,
        # before anything is sent to Atlas.
        page = app.page('Key Vault and Key')
        fields = {'Subscription ID': SIM_SUBSCRIPTION_ID, 'Resource Group': SIM_RESOURCE_GROUP,
                  'Key Vault Name': SIM_VAULT, 'Key Identifier': SIM_KEY_ID}
        assert steps.entry_texts(app, page, list(fields)) == fields, \
            steps.entry_texts(app, page, list(fields))
        app.press('Check in Azure', root=page)
        app.label(SUMMARY_ONE_FAILURE, root=page, timeout=30)
        rows = finding_rows(app, page)
        assert rows == [SIGN_IN_FAILED], rows
        labels = row_labels(app, page, SIGN_IN_FAILED)
        assert labels == ['The application could not sign in', WRONG_SECRET_ACTION], \
            'the failing row does not name the secret: %s' % labels
        assert WRONG_SECRET not in ' '.join(e2e.names(page)), 'the secret is shown in clear'
        scroll_to_check(app, page)
        app.screenshot('e2e-azure-check-failed')

        # Back: the demo's values again, the right secret over the wrong one.
        app.press('Back')
        page = app.page('Azure Application')
        app.click('push button', 'Fill Demo Values')
        app.press('Next')

        # Checked again: every finding passes.
        page = app.page('Key Vault and Key')
        app.press('Check in Azure', root=page)
        app.label(SUMMARY_ALL_GOOD, root=page, timeout=30)
        e2e.wait_until(lambda: finding_rows(app, page) == ALL_PASSED,
                       what='every finding to pass')
        app.gone('label', SUMMARY_ONE_FAILURE, root=page)
        scroll_to_check(app, page)
        app.screenshot('e2e-azure-check-ok')
        app.press('Next')

        # Review and Enable: the simulated Atlas is given kv-kl, so the endpoints' connections
        # appear in the simulated Azure's vault.
        page = app.page('Review and Enable')
        shown = app.texts(page)
        for value in (SIM_TENANT_ID, SIM_CLIENT_ID, SIM_SUBSCRIPTION_ID, SIM_RESOURCE_GROUP,
                      SIM_VAULT, SIM_KEY_ID, steps.MASKED):
            assert value in shown, '%s is not on the Review page: %s' % (value, shown)
        app.press('Enable')

        page = app.page('Private Networking', timeout=60)
        app.label(SIM_VAULT, root=page)
        app.label(SIM_RESOURCE_GROUP, root=page)
        app.press('Turn On')

        # Endpoints: each one's Azure side beside Atlas's.
        page = app.page('Private Endpoints', timeout=60)
        app.press('Create Endpoints')
        steps.wait_endpoints(app, page, 'Waiting for approval in Azure')
        wait_azure_sides(app, page, AZURE_PENDING)
        app.screenshot('e2e-azure-endpoints-pending')

        # Approve in Azure, one region after the other: the first is approved in Azure while
        # Atlas has not noticed yet, the second still pending.
        titles = list(REGIONS.values())
        for i, title in enumerate(titles):
            row = app.find('list item', title, root=page, mapped=True)
            app.press('Approve in Azure', root=row, timeout=30)
            e2e.wait_until(lambda t=title: azure_sides(app, page).get(t) in
                           (AZURE_APPROVED_WAITING, AZURE_APPROVED),
                           what='%s approved in Azure' % title)
            if i == 0:
                sides = azure_sides(app, page)
                statuses = steps.endpoint_statuses(app, page)
                if (sides.get(titles[0]) == AZURE_APPROVED_WAITING and
                        sides.get(titles[1]) == AZURE_PENDING):
                    app.screenshot('e2e-azure-endpoints-both-sides')
                e2e.note('after the first approval: %s %s' % (sides, statuses))

        # Atlas notices (the demo's clock is quick): ACTIVE, and Approved in Azure.
        steps.wait_endpoints(app, page, 'Active', timeout=120)
        wait_azure_sides(app, page, AZURE_APPROVED)
        app.label('Every endpoint is active: Atlas reaches the key vault privately in each '
                  'of these regions.', root=page)
        app.screenshot('e2e-azure-endpoints-active')
        app.press('Next')
        app.page('Clusters', timeout=30)


if __name__ == '__main__':
    steps.run_tap('check-in-azure-and-approve', test_check_in_azure_and_approve)
