#!/usr/bin/python3
# test_demo_i18n.py — `LANGUAGE=<lang> keylink --demo`: the real app, in the language given by
# KL_TEST_LANGUAGE (tests/meson.build runs it once per translation, with a locale built for
# the test under LOCPATH), walks the demo from the project list back to the welcome page, then on to the region
# endpoints. On
# each page the headings, labels and buttons a person reads are the translation (looked up in
# the build's own catalog, and different from the English), and a screenshot
# (demo-<lang>-<page>.png) shows them.
#
# Copyright 2026 The Keylink authors
# SPDX-License-Identifier: GPL-3.0-or-later

import gettext
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import keylink_e2e as e2e  # noqa: E402
import keylink_steps as steps  # noqa: E402

LANGUAGE = os.environ['KL_TEST_LANGUAGE']
CATALOG = gettext.translation('keylink', localedir=os.environ['KEYLINK_LOCALEDIR'],
                              languages=[LANGUAGE])


def _(msgid):
    """The translation of msgid; fails if the catalog has none (the test would prove nothing)."""
    translated = CATALOG.gettext(msgid)
    assert translated != msgid, 'no %s translation for “%s”' % (LANGUAGE, msgid)
    return translated


def m(msgid):
    """The translation of a label with a mnemonic, as a person reads it (and AT-SPI names it)."""
    return _(msgid).replace('_', '')


def no_english(app, page, msgids):
    """None of these English texts is on screen in the page."""
    shown = set(app.texts(root=page))
    left = [m for m in msgids if m in shown]
    assert not left, 'untranslated on screen: %s' % left


def shot(app, name):
    app.screenshot('demo-%s-%s' % (LANGUAGE, name))


def without_animations():
    """No GTK animations in this session (its own XDG_CONFIG_HOME): a screenshot never catches
    an entry row's title half-way through its move."""
    directory = os.path.join(os.environ['XDG_CONFIG_HOME'], 'gtk-4.0')
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, 'settings.ini'), 'w') as settings:
        settings.write('[Settings]\ngtk-enable-animations=false\n')


def test_demo_translated():
    without_animations()
    with steps.running(['--demo']) as app:
        app.find('label', _('Demo mode: nothing real is changed'))

        # The demo signs in by itself: the project list.
        page = app.page(_('Choose a Project'), timeout=30)
        app.find(steps.PROJECT_ROW, 'Payments', root=page, mapped=True)
        no_english(app, page, ['Choose a Project'])
        shot(app, 'project')

        # Back to where the demo started: the welcome page (the demo signed in for itself, so
        # the sign-in page is not on the way).
        app.press(m('_Back'))
        page = app.page(_('Welcome to Keylink'))
        no_english(app, page, ['Welcome to Keylink'])
        shot(app, 'welcome')

        # And forward again, to the project and its state.
        app.press(m('_Next'))
        page = app.page(_('Choose a Project'), timeout=30)
        app.activate(app.find(steps.PROJECT_ROW, 'Payments', root=page, mapped=True))
        app.label(_('Encryption at rest with your own Azure key is not set up yet.'), root=page,
                  timeout=30)
        shot(app, 'project-state')
        app.press(m('_Set Up'))

        page = app.page(_('Azure Application'))
        app.click('push button', m('Fill _Demo Values'))
        tenant = app.find('text', m('Directory (_Tenant) ID'), root=page)
        e2e.wait_until(lambda: app.text_of(tenant), what='the demo values to be filled in')
        no_english(app, page, ['Azure Application', 'Client Secret Value'])
        shot(app, 'azure-app')
        app.press(m('_Next'))
        app.page(_('Key Vault and Key'))
        app.press(m('_Next'))
        app.page(_('Review and Enable'))
        app.press(m('_Enable'))

        page = app.page(_('Private Networking'), timeout=60)
        app.press(m('_Turn On'))
        page = app.page(_('Private Endpoints'), timeout=60)
        app.press(m('_Create Endpoints'))
        # Each region's row reads its status (“<status> · <since when>”), in the language too:
        # wait for Azure's turn, where the page shows the approval command.
        waiting = _('Waiting for approval in Azure') + '\u00a0· '
        e2e.wait_until(lambda: len([n for n in app.texts(root=page) if n.startswith(waiting)]) == 2,
                       timeout=60, what='both endpoints to read “%s”' % waiting)
        no_english(app, page, ['Private Endpoints', 'Endpoints'])
        shot(app, 'endpoints')


if __name__ == '__main__':
    steps.run_tap('demo-translated-' + LANGUAGE, test_demo_translated)
