# keylink_e2e.py — drive the real Keylink through the accessibility tree, as a person or a
# screen reader would.
#
# Copyright 2026 The Keylink authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Runs inside build-aux/test-session.sh (Xvfb, private session bus, unlocked keyring). Waiting is
# always on the GLib main loop with a deadline: AT-SPI events wake it up, and a short main-loop
# timer re-checks conditions that raise no event. Nothing here sleeps.
#
# What GTK 4.8 gives an AT-SPI client, and how this harness copes:
# - SHOWING is set on toplevels only, and VISIBLE follows gtk_widget_get_visible(): the pages of
#   a GtkStack that are not shown, and the children of a closed GtkRevealer, are VISIBLE too.
#   on_screen() asks Component.Contains at the middle of a node's extents, which GTK answers
#   with gtk_widget_contains(): false for anything not mapped. Extents alone are stale (an
#   unmapped widget keeps its last allocation).
# - Component.GrabFocus is not implemented: focus moves with Tab, as on a keyboard (focus()).
# - Screen coordinates are not supported (asking for them prints a Gtk-WARNING, which is fatal
#   under G_DEBUG=fatal-warnings): only WINDOW coordinates are used here.
# - Entries take text through EditableText without focus; search entries cannot be activated
#   and list rows have no action: press Enter where the focus is.
# - A button with a mnemonic is named by its text twice, mnemonic included (“_Next Next”): a
#   person sees its label child, which press() looks for.
# - No Cache interface: every question is a D-Bus round trip, so searches are scoped to the
#   current page where they can be, and hidden subtrees are not walked.

import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request

import gi
gi.require_version('Atspi', '2.0')
from gi.repository import Atspi, GLib  # noqa: E402

BUILD_DIR = os.environ.get('KL_BUILD_DIR', '')
SCREENSHOT_DIR = os.environ.get('KL_SCREENSHOT_DIR', '/tmp/keylink-screenshots')

KEY_TAB = 0xff09
KEY_RETURN = 0xff0d
KEY_SPACE = 0x0020
KEY_DOWN = 0xff54
KEY_UP = 0xff52
KEY_SHIFT_L = 0xffe1

# The simulator's seeded organization (src/sim/kl-sim.h).
GROUP_READY = '65f0000000000000000000a1'   # Payments: two Azure clusters, M30 and M10


class Timeout(AssertionError):
    pass


_START = time.monotonic()

# Deadlines catch what never happens; they are not measures of speed. As in the C tests
# (tests/common/kl-test-utils.h): KL_TEST_TIME_SCALE (tests/meson.build: 4 in the sanitizer build)
# times a margin of 3 for a machine as busy again as the tests, twice over.
FLAVOUR_SCALE = max(float(os.environ.get('KL_TEST_TIME_SCALE') or 1), 1.0)
LOAD_MARGIN = 3
TIME_SCALE = FLAVOUR_SCALE * LOAD_MARGIN


def note(message):
    """A TAP comment with the time since the start: where a slow test spends its time."""
    print('# [%6.1f s] %s' % (time.monotonic() - _START, message), flush=True)


def wait_until(predicate, timeout=20.0, what='condition', events=('object:', 'window:'),
               scaled=True):
    """Runs the main loop until predicate() returns a true value, or fails after timeout
    (times TIME_SCALE, unless scaled is false: a probe that scales its own).

    The predicate runs at once, then after AT-SPI events (coalesced: at most one check per
    main-loop iteration) and every 100 ms."""
    if scaled:
        timeout *= TIME_SCALE
    state = {'value': None, 'pending': False, 'expired': False}
    loop = GLib.MainLoop()

    def check():
        state['pending'] = False
        if state['value'] or state['expired']:
            return False
        try:
            value = predicate()
        except GLib.Error:
            value = None
        if value:
            state['value'] = value
            loop.quit()
        return False

    check()
    if state['value']:
        return state['value']

    def on_event(_event):
        if not state['pending']:
            state['pending'] = True
            GLib.idle_add(check)

    def on_deadline():
        state['expired'] = True
        loop.quit()
        return False

    listener = Atspi.EventListener.new(on_event)
    for ev in events:
        listener.register(ev)
    sources = [GLib.timeout_add(100, lambda: check() or True),
               GLib.timeout_add(int(timeout * 1000), on_deadline)]
    loop.run()
    for ev in events:
        listener.deregister(ev)
    for source_id in sources:
        source = GLib.main_context_default().find_source_by_id(source_id)
        if source is not None and not source.is_destroyed():
            GLib.source_remove(source_id)
    # An idle check still queued finds the value or the deadline and does nothing.
    state['expired'] = True
    if not state['value']:
        raise Timeout('timed out after %.0f s waiting for %s' % (timeout, what))
    return state['value']


def states(node):
    try:
        return node.get_state_set()
    except GLib.Error:
        return None


def has_state(node, state):
    s = states(node)
    return s is not None and s.contains(state)


def showing(node):
    # GTK 4.8 sets SHOWING on toplevels only; VISIBLE tracks gtk_widget_get_visible().
    s = states(node)
    return s is not None and (s.contains(Atspi.StateType.VISIBLE) or
                              s.contains(Atspi.StateType.SHOWING))


def on_screen(node):
    """Mapped: what a person can actually see (or scroll to). See the header."""
    try:
        component = node.get_component_iface()
        if component is None:
            return False
        e = component.get_extents(Atspi.CoordType.WINDOW)
        if e.width <= 0 or e.height <= 0:
            return False
        return component.contains(e.x + e.width // 2, e.y + e.height // 2,
                                  Atspi.CoordType.WINDOW)
    except GLib.Error:
        return False


def walk(node, depth=0, max_depth=40, prune_hidden=False):
    """The subtree in document order; with prune_hidden, not below a node that is not VISIBLE."""
    if node is None or depth > max_depth:
        return
    yield node
    if prune_hidden and depth > 0 and not showing(node):
        return
    try:
        n = node.get_child_count()
    except GLib.Error:
        return
    for i in range(n):
        try:
            child = node.get_child_at_index(i)
        except GLib.Error:
            continue
        yield from walk(child, depth + 1, max_depth, prune_hidden)


def _matches(value, pattern):
    if pattern is None:
        return True
    if callable(pattern):
        return bool(pattern(value))
    if isinstance(pattern, re.Pattern):
        return pattern.search(value or '') is not None
    return value == pattern


def find_all(root, role=None, name=None, only_showing=True):
    """Nodes under root with this role and name (a string, a compiled regex or a predicate)."""
    found = []
    for node in walk(root, prune_hidden=only_showing):
        try:
            if role is not None and node.get_role_name() != role:
                continue
            if name is not None and not _matches(node.get_name(), name):
                continue
        except GLib.Error:
            continue
        if only_showing and not showing(node):
            continue
        found.append(node)
    return found


def names(root, role='label', on_screen_only=True):
    """The names of the nodes of a role under root, for assertions and failure messages."""
    return [n.get_name() for n in find_all(root, role)
            if not on_screen_only or on_screen(n)]


def dump(node, out=sys.stderr):
    _dump(node, 0, out)


def _dump(node, depth, out):
    try:
        out.write('%s%s %r%s\n' % ('  ' * depth, node.get_role_name(), node.get_name(),
                                   '' if showing(node) else ' (hidden)'))
        for i in range(node.get_child_count()):
            _dump(node.get_child_at_index(i), depth + 1, out)
    except GLib.Error:
        pass


def key(keysym, synth=Atspi.KeySynthType.PRESSRELEASE):
    Atspi.generate_keyboard_event(keysym, None, synth | Atspi.KeySynthType.SYM)


def press_enter():
    """Enter on the keyboard, where the focus is (GTK 4.8 does not activate a search entry
    through AT-SPI, and gives list rows no action: people press Enter)."""
    key(KEY_RETURN)


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
        self.frame = find_all(self.root, 'frame')[0]
        self._focus_events = 0
        self._last_page = None
        self._stack = None
        self._focus_listener = Atspi.EventListener.new(self._on_focus)
        self._focus_listener.register('object:state-changed:focused')

    def _on_focus(self, _event):
        self._focus_events += 1

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

    # ---- Finding -------------------------------------------------------------------------

    def find(self, role, name, timeout=20.0, root=None, mapped=False):
        """The first VISIBLE (with mapped: on screen) node of that role and name under root."""
        def pick():
            for node in find_all(root or self.root, role, name):
                if not mapped or on_screen(node):
                    return node
            return None
        return wait_until(pick, timeout=timeout, what='%s “%s”' % (role, name))

    def gone(self, role, name, timeout=20.0, root=None):
        wait_until(lambda: not [n for n in find_all(root or self.root, role, name)
                                if on_screen(n)],
                   timeout=timeout, what='%s “%s” to go away' % (role, name))

    def headings(self):
        """The title of each assistant page (the first heading of each page of its stack)."""
        if self._stack is None:
            assistants = find_all(self.root, 'filler', 'KlAssistant')
            if not assistants:
                return find_all(self.root, 'heading')
            stacks = [n for n in walk(assistants[0], max_depth=3)
                      if n.get_role_name() == 'panel' and n.get_child_count() > 0 and
                      n.get_child_at_index(0).get_name() == 'GtkStackPage']
            if not stacks:
                return find_all(self.root, 'heading')
            self._stack = stacks[0]
        found = []
        for i in range(self._stack.get_child_count()):
            for node in walk(self._stack.get_child_at_index(i), max_depth=6):
                if node.get_role_name() == 'heading':
                    found.append(node)
                    break
        return found

    def current_page(self):
        """The title of the assistant page on screen (None during a transition)."""
        shown = [h for h in self.headings() if on_screen(h)]
        return shown[0].get_name() if len(shown) == 1 else None

    def page(self, title, timeout=20.0):
        """Waits until the page with this title is the one on screen, the transition over, and
        returns its node: scope searches to it (hidden pages stay VISIBLE in the tree)."""
        def pick():
            shown = [h for h in self.headings() if on_screen(h)]
            if len(shown) != 1 or shown[0].get_name() != title:
                return None
            node = shown[0]
            while node is not None and not (node.get_role_name() == 'panel' and
                                            node.get_name() == 'GtkStackPage'):
                node = node.get_parent()
            return node
        try:
            node = wait_until(pick, timeout=timeout, what='the page “%s”' % title)
        except Timeout as e:
            raise Timeout('%s (on screen: %s)' % (e, self.current_page())) from None
        if title != self._last_page:
            self._last_page = title
            note('page “%s”' % title)
        return node

    def label(self, text, root=None, timeout=20.0):
        """Waits for a label a person can see: text is a string, a regex or a predicate."""
        return self.find('label', text, timeout=timeout, root=root, mapped=True)

    def texts(self, root=None):
        return names(root or self.root, 'label')

    # ---- Acting --------------------------------------------------------------------------

    def actionable(self, role, name, timeout=20.0, root=None):
        """The matching node that has an action (GtkMenuButton nests a button in a button)."""
        def pick():
            for node in find_all(root or self.root, role, name):
                action = node.get_action_iface()
                if action is not None and action.get_n_actions() > 0:
                    return node
            return None
        return wait_until(pick, timeout=timeout, what='clickable %s “%s”' % (role, name))

    def click(self, role, name, timeout=20.0, root=None):
        node = self.actionable(role, name, timeout, root)
        wait_until(lambda: has_state(node, Atspi.StateType.SENSITIVE),
                   timeout=timeout, what='%s “%s” to become sensitive' % (role, name))
        node.get_action_iface().do_action(0)
        return node

    def button(self, text, root=None, timeout=20.0, sensitive=True):
        """The push button on screen whose label reads text (see the header on mnemonics)."""
        def pick():
            for label in find_all(root or self.root, 'label', text):
                button = label.get_parent()
                if button is None or button.get_role_name() != 'push button':
                    continue
                if sensitive and not has_state(button, Atspi.StateType.SENSITIVE):
                    continue
                if on_screen(button):
                    return button
            return None
        return wait_until(pick, timeout=timeout,
                          what='%sbutton “%s”' % ('sensitive ' if sensitive else '', text))

    def press(self, text, root=None, timeout=20.0):
        """Clicks the button that shows text, once it is on screen and sensitive."""
        button = self.button(text, root, timeout)
        button.get_action_iface().do_action(0)
        return button

    def type_into(self, name, text, role='text', timeout=20.0, root=None):
        """Replaces the text of the entry named name (GTK 4.8 takes it without focus)."""
        node = self.find(role, name, timeout, root)
        editable = node.get_editable_text_iface()
        assert editable is not None, '“%s” is not editable' % name
        editable.set_text_contents(text)
        return node

    def text_of(self, node):
        t = node.get_text_iface()
        return t.get_text(0, t.get_character_count()) if t else node.get_name()

    def focus(self, node, max_keys=80, backwards=False, what=None):
        """Moves the keyboard focus to node with Tab (Shift+Tab), as a keyboard user does."""
        for _ in range(max_keys):
            if has_state(node, Atspi.StateType.FOCUSED):
                return node
            seen = self._focus_events
            if backwards:
                key(KEY_SHIFT_L, Atspi.KeySynthType.PRESS)
                key(KEY_TAB)
                key(KEY_SHIFT_L, Atspi.KeySynthType.RELEASE)
            else:
                key(KEY_TAB)
            # Entries take the focus without telling (their text is not in the tree), but what
            # had it tells that it lost it: a Tab with no event at all within half a second
            # (times the flavour's factor: each Tab with no event costs that) went from an
            # entry to an entry.
            try:
                wait_until(lambda: self._focus_events > seen or
                           has_state(node, Atspi.StateType.FOCUSED),
                           timeout=0.5 * FLAVOUR_SCALE, scaled=False,
                           events=('object:state-changed:focused',))
            except Timeout:
                pass
        raise Timeout('could not move the focus to %s with the keyboard' %
                      (what or node.get_name()))

    def activate(self, node, backwards=False):
        """Focus and Enter: how a keyboard user activates a list row."""
        self.focus(node, backwards=backwards)
        press_enter()

    def choose(self, combo, item, timeout=20.0):
        """Chooses item in a combo row, with the keyboard: focus, Space, arrows, Enter."""
        self.focus(combo)
        key(KEY_SPACE)

        def popup_items():
            rows = []
            for node in find_all(combo, 'list item'):
                labels = [n.get_name() for n in find_all(node, 'label')]
                if labels:
                    rows.append((node, labels[0]))
            # The combo's own row shows the current choice; the popover lists them all.
            return rows[1:] if len(rows) > 1 else None

        rows = wait_until(popup_items, timeout=timeout, what='the choices of “%s”' %
                          combo.get_name())
        texts = [t for _, t in rows]
        assert item in texts, '“%s” is not among %s' % (item, texts)
        target = rows[texts.index(item)][0]
        for _ in range(len(rows) + 1):
            if has_state(target, Atspi.StateType.FOCUSED):
                break
            focused = [i for i, (n, _) in enumerate(rows) if has_state(n, Atspi.StateType.FOCUSED)]
            key(KEY_DOWN if not focused or focused[0] < texts.index(item) else KEY_UP)
            try:
                wait_until(lambda: has_state(target, Atspi.StateType.FOCUSED),
                           timeout=1.0 * FLAVOUR_SCALE, scaled=False,
                           events=('object:state-changed:focused',))
            except Timeout:
                pass
        press_enter()
        shown = [n for n in find_all(combo, 'list item')][:1]
        wait_until(lambda: item in [n.get_name() for n in find_all(shown[0], 'label')],
                   timeout=timeout, what='“%s” chosen in “%s”' % (item, combo.get_name()))

    # ---- Looking -------------------------------------------------------------------------

    def dump(self, node=None):
        _dump(node or self.root, 0, sys.stderr)

    def screenshot(self, name, settle_page=True):
        """Saves the main window under KL_SCREENSHOT_DIR/name.png (the whole screen if it
        cannot be found); with settle_page, first waits until one page is on screen (no slide
        in progress)."""
        if settle_page and self.headings():
            try:
                wait_until(lambda: self.current_page() is not None, timeout=5,
                           what='the page transition to end')
            except Timeout:
                pass
        os.makedirs(SCREENSHOT_DIR, exist_ok=True)
        path = os.path.join(SCREENSHOT_DIR, name + '.png')
        # ImageMagick cannot read the window itself (a 32-bit ARGB visual): the screen, cropped.
        cmd = ['import', '-window', 'root']
        geometry = self._window_geometry()
        if geometry:
            cmd += ['-crop', geometry, '+repage']
        # Written beside, then renamed: whoever reads the picture meanwhile (another test, the
        # README's copy) never sees half of it.
        partial = os.path.join(SCREENSHOT_DIR, '.%s.%d.png' % (name, os.getpid()))
        subprocess.run(cmd + [partial], check=True)
        os.replace(partial, path)
        note('screenshot %s' % name)
        return path

    def _window_geometry(self):
        """WxH+X+Y of this app's main window on the X screen (xwininfo, from x11-utils; there
        is no window manager), without the margin GTK keeps around its client-side decorated
        frame; None if it cannot be told."""
        try:
            info = subprocess.run(['xwininfo', '-name', self.frame.get_name()],
                                  capture_output=True, text=True, check=True).stdout
        except (OSError, subprocess.CalledProcessError):
            return None
        values = {}
        for field in ('Absolute upper-left X', 'Absolute upper-left Y', 'Width', 'Height'):
            m = re.search(r'%s:\s+(-?\d+)' % re.escape(field), info)
            if not m:
                return None
            values[field] = int(m.group(1))
        x, y = values['Absolute upper-left X'], values['Absolute upper-left Y']
        width, height = values['Width'], values['Height']
        try:
            frame = self.frame.get_component_iface().get_extents(Atspi.CoordType.WINDOW)
        except GLib.Error:
            frame = None
        if frame is not None and 0 < frame.width <= width and 0 < frame.height <= height:
            x += (width - frame.width) // 2
            y += (height - frame.height) // 2
            width, height = frame.width, frame.height
        return '%dx%d+%d+%d' % (width, height, x, y)

    # ---- Ending --------------------------------------------------------------------------

    def close(self, timeout=20.0):
        """Closes the window with its Close button, as a person would, and waits for the app
        to exit (so that what it saves on close, such as GSettings, is written)."""
        self.click('push button', 'Close', root=self.frame)
        try:
            self.proc.wait(timeout * TIME_SCALE)
        except subprocess.TimeoutExpired:
            raise Timeout('Keylink did not exit within %.0f s of closing its window' %
                          (timeout * TIME_SCALE))
        self._forget()
        assert self.proc.returncode == 0, 'Keylink exited with %d' % self.proc.returncode

    def quit(self, timeout=20.0):
        """Ends the app; fails if it had ended by itself (a crash, a fatal warning, an ASan
        report) in the meantime."""
        self._forget()
        ended = self.proc.poll()
        if ended is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout * TIME_SCALE)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        elif ended != 0:
            raise AssertionError('Keylink ended by itself during the test, with status %d' %
                                 ended)

    def kill(self):
        self.proc.kill()
        self.proc.wait()
        self._forget()

    def _forget(self):
        if self._focus_listener is not None:
            self._focus_listener.deregister('object:state-changed:focused')
            self._focus_listener = None


class Simulator:
    """The standalone keylink-atlas-sim, with its control API (src/sim/README.md)."""

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

    def approve(self, group_id, endpoint_id):
        """Azure's side: the vault's owner approves the private endpoint connection."""
        return self.control('POST', '/__sim/groups/%s/privateEndpoints/%s/approve' %
                            (group_id, endpoint_id))

    def advance(self, seconds):
        return self.control('POST', '/__sim/advance', {'seconds': seconds})

    def add_fault(self, **rule):
        return self.control('POST', '/__sim/faults', rule)

    def faults(self):
        return self.control('GET', '/__sim/faults')['faults']

    def clear_faults(self):
        self.control('DELETE', '/__sim/faults')

    def stop(self):
        self.proc.terminate()
        self.proc.wait(10)


class AtlasApi:
    """The Atlas Admin API of the simulator, with an API key (HTTP Digest), for checking the
    server's state and for preparing it; never used to drive what the test is about."""

    def __init__(self, base_url, public_key, private_key):
        self.base_url = base_url
        passwords = urllib.request.HTTPPasswordMgr()
        passwords.add_password('MMS Public API', base_url, public_key, private_key)
        self.opener = urllib.request.build_opener(urllib.request.HTTPDigestAuthHandler(passwords))

    def call(self, method, path, body=None, version='2023-01-01'):
        media_type = 'application/vnd.atlas.%s+json' % version
        headers = {'Accept': media_type}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers['Content-Type'] = media_type
        req = urllib.request.Request(self.base_url + '/api/atlas/v2' + path, data=data,
                                     method=method, headers=headers)
        try:
            with self.opener.open(req, timeout=10) as resp:
                raw = resp.read()
        except urllib.error.HTTPError as e:
            raise AssertionError('%s %s: HTTP %d %s' % (method, path, e.code,
                                                        e.read().decode(errors='replace')))
        return json.loads(raw) if raw else None

    def encryption_at_rest(self, group_id):
        return self.call('GET', '/groups/%s/encryptionAtRest' % group_id)

    def endpoints(self, group_id):
        return self.call('GET', '/groups/%s/encryptionAtRest/AZURE/privateEndpoints' %
                         group_id)['results']

    def clusters(self, group_id):
        return self.call('GET', '/groups/%s/clusters' % group_id, version='2024-08-05')['results']

    def patch_cluster(self, group_id, name, provider):
        return self.call('PATCH', '/groups/%s/clusters/%s' % (group_id, name),
                         {'encryptionAtRestProvider': provider}, version='2024-10-23')


class Tap:
    """Minimal TAP output for meson, with each test's run time."""

    def __init__(self):
        self.n = 0
        self.failed = 0

    def run(self, name, func):
        self.n += 1
        start = time.monotonic()
        try:
            func()
            print('ok %d %s' % (self.n, name), flush=True)
            print('# %s took %.1f s' % (name, time.monotonic() - start), flush=True)
        except Exception as e:  # noqa: BLE001 — every failure is a test failure
            self.failed += 1
            print('not ok %d %s' % (self.n, name), flush=True)
            for line in ('%s: %s' % (type(e).__name__, e)).splitlines():
                print('# ' + line, flush=True)
            import traceback
            for line in traceback.format_exc().splitlines():
                print('# ' + line, flush=True)

    def done(self):
        print('1..%d' % self.n, flush=True)
        return 1 if self.failed else 0
