# keylink_e2e.py — drive the real Keylink through the accessibility tree, as a person or a
# screen reader would.
#
# Copyright 2026 The Keylink authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Runs inside build-aux/test-session.sh (Xvfb, private session bus, unlocked keyring). Waiting is
# always on the GLib main loop with a deadline: AT-SPI events wake it up, and a short main-loop
# timer re-checks conditions that raise no event. Nothing here sleeps.

import json
import os
import subprocess
import sys
import urllib.request

import gi
gi.require_version('Atspi', '2.0')
from gi.repository import Atspi, GLib  # noqa: E402

BUILD_DIR = os.environ.get('KL_BUILD_DIR', '')
SCREENSHOT_DIR = os.environ.get('KL_SCREENSHOT_DIR', '/tmp/keylink-screenshots')


class Timeout(AssertionError):
    pass


def wait_until(predicate, timeout=20.0, what='condition', events=('object:', 'window:')):
    """Runs the main loop until predicate() returns a true value, or fails after timeout."""
    loop = GLib.MainLoop()
    result = {'value': None}

    def check(*_args):
        try:
            value = predicate()
        except GLib.Error:
            value = None
        if value:
            result['value'] = value
            loop.quit()
            return False
        return True

    if check():
        listener = Atspi.EventListener.new(lambda ev: check())
        for ev in events:
            listener.register(ev)
        poll = GLib.timeout_add(50, check)
        expired = {'yes': False}

        def on_deadline():
            expired['yes'] = True
            loop.quit()
            return False

        deadline = GLib.timeout_add(int(timeout * 1000), on_deadline)
        loop.run()
        for ev in events:
            listener.deregister(ev)
        if not expired['yes']:
            GLib.source_remove(deadline)
        if result['value'] is None:
            GLib.source_remove(poll)
            raise Timeout('timed out after %.0f s waiting for %s' % (timeout, what))
    return result['value']


def walk(node, depth=0, max_depth=40):
    if node is None or depth > max_depth:
        return
    yield node
    try:
        n = node.get_child_count()
    except GLib.Error:
        return
    for i in range(n):
        try:
            child = node.get_child_at_index(i)
        except GLib.Error:
            continue
        yield from walk(child, depth + 1, max_depth)


def showing(node):
    # GTK 4.8 sets SHOWING on toplevels only; VISIBLE tracks gtk_widget_get_visible().
    try:
        states = node.get_state_set()
        return states.contains(Atspi.StateType.VISIBLE) or states.contains(Atspi.StateType.SHOWING)
    except GLib.Error:
        return False


def find_all(root, role=None, name=None, only_showing=True):
    found = []
    for node in walk(root):
        try:
            if role is not None and node.get_role_name() != role:
                continue
            if name is not None and node.get_name() != name:
                continue
        except GLib.Error:
            continue
        if only_showing and not showing(node):
            continue
        found.append(node)
    return found


def dump(node, depth=0, out=sys.stderr):
    for n in walk(node):
        pass
    _dump(node, 0, out)


def _dump(node, depth, out):
    try:
        out.write('%s%s %r%s\n' % ('  ' * depth, node.get_role_name(), node.get_name(),
                                   '' if showing(node) else ' (hidden)'))
        for i in range(node.get_child_count()):
            _dump(node.get_child_at_index(i), depth + 1, out)
    except GLib.Error:
        pass


class App:
    """A running Keylink, found in the AT-SPI tree."""

    def __init__(self, args, env=None):
        self.env = dict(os.environ)
        self.env['GTK_A11Y'] = 'atspi'
        self.env['G_DEBUG'] = os.environ.get('KL_APP_G_DEBUG', '')
        self.env['GSETTINGS_SCHEMA_DIR'] = os.path.join(BUILD_DIR, 'data')
        if env:
            self.env.update(env)
        exe = os.path.join(BUILD_DIR, 'src', 'keylink')
        self.proc = subprocess.Popen([exe] + list(args), env=self.env)
        self.root = wait_until(self._find_app, timeout=30, what='Keylink on the accessibility bus')

    def _find_app(self):
        desk = Atspi.get_desktop(0)
        for i in range(desk.get_child_count()):
            app = desk.get_child_at_index(i)
            try:
                if app is not None and app.get_process_id() == self.proc.pid:
                    if find_all(app, role='frame'):
                        return app
            except GLib.Error:
                continue
        return None

    def find(self, role, name, timeout=20.0):
        return wait_until(lambda: (find_all(self.root, role, name) or [None])[0],
                          timeout=timeout, what='%s “%s”' % (role, name))

    def gone(self, role, name, timeout=20.0):
        wait_until(lambda: not find_all(self.root, role, name), timeout=timeout,
                   what='%s “%s” to go away' % (role, name))

    def actionable(self, role, name, timeout=20.0):
        """The matching node that has an action (GtkMenuButton nests a button in a button)."""
        def pick():
            for node in find_all(self.root, role, name):
                action = node.get_action_iface()
                if action is not None and action.get_n_actions() > 0:
                    return node
            return None
        return wait_until(pick, timeout=timeout, what='clickable %s “%s”' % (role, name))

    def click(self, role, name, timeout=20.0):
        node = self.actionable(role, name, timeout)
        wait_until(lambda: node.get_state_set().contains(Atspi.StateType.SENSITIVE),
                   timeout=timeout, what='%s “%s” to become sensitive' % (role, name))
        node.get_action_iface().do_action(0)
        return node

    def type_into(self, name, text, role='text', timeout=20.0):
        node = self.find(role, name, timeout)
        editable = node.get_editable_text_iface()
        assert editable is not None, '“%s” is not editable' % name
        node.get_component_iface().grab_focus()
        editable.set_text_contents(text)
        return node

    def text_of(self, node):
        t = node.get_text_iface()
        return t.get_text(0, t.get_character_count()) if t else node.get_name()

    def dump(self):
        _dump(self.root, 0, sys.stderr)

    def screenshot(self, name):
        os.makedirs(SCREENSHOT_DIR, exist_ok=True)
        path = os.path.join(SCREENSHOT_DIR, name + '.png')
        subprocess.run(['import', '-window', 'root', path], check=True)
        return path

    def quit(self, timeout=20.0):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def kill(self):
        self.proc.kill()
        self.proc.wait()


class Simulator:
    """The standalone keylink-atlas-sim, with its control API."""

    def __init__(self, *args):
        exe = os.path.join(BUILD_DIR, 'src', 'sim', 'keylink-atlas-sim')
        self.proc = subprocess.Popen([exe, '--port', '0'] + list(args),
                                     stdout=subprocess.PIPE, text=True)
        self.url = self.proc.stdout.readline().strip()
        assert self.url.startswith('http://127.0.0.1:'), self.url

    def control(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.url + path, data=data, method=method,
                                     headers={'Content-Type': 'application/json'})
        with urllib.request.urlopen(req, timeout=10) as resp:
            raw = resp.read()
            return json.loads(raw) if raw else None

    def stop(self):
        self.proc.terminate()
        self.proc.wait(10)


class Tap:
    """Minimal TAP output for meson."""

    def __init__(self):
        self.n = 0
        self.failed = 0

    def run(self, name, func):
        self.n += 1
        try:
            func()
            print('ok %d %s' % (self.n, name), flush=True)
        except Exception as e:  # noqa: BLE001 — every failure is a test failure
            self.failed += 1
            print('not ok %d %s' % (self.n, name), flush=True)
            for line in ('%s: %s' % (type(e).__name__, e)).splitlines():
                print('# ' + line, flush=True)

    def done(self):
        print('1..%d' % self.n, flush=True)
        return 1 if self.failed else 0
