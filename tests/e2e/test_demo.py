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


def find_named(app, name, timeout=20.0):
    return e2e.wait_until(lambda: (e2e.find_all(app.root, None, name) or [None])[0],
                          timeout=timeout, what='“%s”' % name)


def press(app, text, timeout=20.0):
    """Clicks the button that shows @text. GTK 4.8 names a button with a mnemonic by its label
    text and its label child both (“_Next Next”); a person sees the child."""
    def pick():
        for label in e2e.find_all(app.root, 'label', text):
            button = label.get_parent()
            if button is not None and button.get_role_name() == 'push button' and \
                    button.get_state_set().contains(e2e.Atspi.StateType.SENSITIVE):
                return button
        return None
    e2e.wait_until(pick, timeout=timeout, what='button “%s”' % text).get_action_iface().do_action(0)


def press_enter():
    """Enter on the keyboard, where the focus is (GTK 4.8 does not activate a search entry
    through AT-SPI, and gives list rows no action: people press Enter)."""
    e2e.Atspi.generate_keyboard_event(0xff0d, None, e2e.Atspi.KeySynthType.PRESSRELEASE |
                                      e2e.Atspi.KeySynthType.SYM)


def type_into(app, name, text, role='text'):
    node = app.find(role, name)
    node.get_editable_text_iface().set_text_contents(text)
    return node


def test_demo_signs_in_and_enables():
    app = e2e.App(['--demo'])
    try:
        app.find('label', 'Demo mode: nothing real is changed')

        # Signed in by itself: the project list, searchable.
        app.find('heading', 'Choose a Project')
        find_named(app, 'Payments')
        find_named(app, 'Archive')
        app.screenshot('demo-projects')
        # The search has the focus: type, and Enter chooses the one project left.
        type_into(app, 'Search projects', 'Payments', role='entry')
        app.gone('list item', 'Archive')
        press_enter()

        # Where it stands, and what can be done.
        find_named(app, 'Encryption at rest with your own Azure key is not set up yet.')
        press(app, 'Set Up')

        # The Azure pages: demo values, but the secret is the user's to type.
        app.find('heading', 'Azure Application')
        app.click('push button', 'Fill Demo Values')
        type_into(app, 'Client Secret Value', 'any-demo-secret')
        press(app, 'Next')
        app.find('heading', 'Key Vault and Key')
        press(app, 'Next')
        app.find('heading', 'Review and Enable')
        press(app, 'Enable')

        # Back on the project, read again from the simulator.
        find_named(app, 'Your Azure key is enabled and valid. Private networking is not '
                   'required yet.', timeout=60)
        app.screenshot('demo-enabled')
    except Exception:
        app.dump()
        raise
    finally:
        app.quit()


if __name__ == '__main__':
    tap = e2e.Tap()
    tap.run('demo-signs-in-and-enables', test_demo_signs_in_and_enables)
    sys.exit(tap.done())
