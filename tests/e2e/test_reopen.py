#!/usr/bin/python3
# test_reopen.py — Keylink opened again (same HOME and XDG dirs, same keyring, same simulator)
# offers the profile saved in the keyring on its welcome page, and the project resumes where the
# server says it stands: Done.
#
# The project's finished setup is made through the Atlas API first (test_setup.py walks it in
# the app); the first run signs in with an API key remembered in the keyring and chooses the
# project, the second only continues. GSettings use the keyfile backend in the test's own
# XDG_CONFIG_HOME, so that the last profile and project outlive the first run.
#
# Copyright 2026 The Keylink authors
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import keylink_e2e as e2e  # noqa: E402
import keylink_steps as steps  # noqa: E402

SETTINGS = {'GSETTINGS_BACKEND': 'keyfile'}


def keyfile_path():
    config = os.environ.get('XDG_CONFIG_HOME', os.path.expanduser('~/.config'))
    return os.path.join(config, 'glib-2.0', 'settings', 'keyfile')


def test_reopen_resumes_at_done():
    assert 'kl-test.' in os.environ.get('XDG_CONFIG_HOME', ''), \
        'run this under build-aux/test-session.sh: it writes GSettings to XDG_CONFIG_HOME'
    sim, api = steps.start_simulator()
    try:
        steps.prepare_done(api, sim)

        # First run: sign in, remembered in the keyring; the project, at Done.
        with steps.running(['--atlas-url', sim.url], env=SETTINGS) as app:
            steps.sign_in(app, api_key=True, remember=True, profile_name=steps.PROFILE_NAME)
            steps.choose_project(app, status=steps.STATUS_DONE)
            app.close()

        # What outlives the run: the profile's id and the project in GSettings, never a key.
        with open(keyfile_path(), encoding='utf-8') as f:
            saved = f.read()
        assert steps.GROUP in saved and steps.PROJECT in saved, saved
        for secret in (steps.PRIVATE_KEY, steps.AZURE_SECRET):
            assert secret not in saved, 'a secret is in the GSettings keyfile'

        # Second run: the welcome page offers the saved profile and where it left off.
        with steps.running(['--atlas-url', sim.url], env=SETTINGS) as app:
            page = app.page('Welcome to Keylink')
            profile = app.find('list item', steps.PROFILE_NAME, root=page, mapped=True)
            app.label('API key · %s' % sim.url, root=profile)
            resume = app.find('list item', steps.PROJECT, root=page, mapped=True)
            app.label('Where you left off, with “%s”' % steps.PROFILE_NAME, root=resume)
            app.screenshot('e2e-reopen-welcome')

            # Continue, the page's primary button: the secret comes from the keyring, and the
            # project resumes at Done.
            app.press('Continue with %s' % steps.PROJECT)
            page = app.page('All Set', timeout=30)
            app.label(steps.STATUS_DONE, root=page)
            app.label(steps.KEY_ID, root=page)
            e2e.wait_until(lambda: e2e.names(page).count('Uses your key over Private Link\u00a0· Idle') == 2,
                           what='both clusters on the key')
            app.screenshot('e2e-reopen-done')
            steps.check_done(api)
    finally:
        sim.stop()


if __name__ == '__main__':
    steps.run_tap('reopen-resumes-at-done', test_reopen_resumes_at_done)
