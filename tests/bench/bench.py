#!/usr/bin/python3
# bench.py BUILD_DIR — Keylink's benchmarks. Prints each figure beside its reference, measured
# side by side in the same run, and the ratio. Not part of the test suite's pass/fail.
#
#  1. cold start to first frame, its CPU time and peak RSS, against a bare libadwaita window
#     (tests/bench/bare-window.c), both with the same GSK renderer, for each renderer named;
#  2. the setup flow (tests/bench/bench-flow.c: the core objects the pages use, against the
#     simulator with 150 ms per request and time-scaled transitions): wall time against the
#     critical path computed from the simulator's request log, the requests against the
#     minimum the flow needs, and every request repeated without a state change in between;
#  3. the main loop's longest stall during that flow (a G_PRIORITY_HIGH 1 ms timer);
#  4. the polling cost of a watch on endpoints that never change, against a fixed 2 s poll;
#  5. a 5,000-project organization in the real window (tests/bench/bench-projects.c, under the
#     tests' cairo renderer unless GSK_RENDERER says otherwise): the time from the last page of
#     projects answered to the list on screen, the main loop's longest stall meanwhile, one
#     search keystroke and clearing the search, and the peak RSS;
#  6. waiting CPU: the real window (tests/bench/bench-waiting.c, animations on) left on the
#     Endpoints page (two endpoints PENDING_ACCEPTANCE, never approved) and on the Clusters page
#     (both clusters UPDATING, never done), KL_BENCH_WAIT_S seconds each (default 60) after a 5 s
#     warm-up, per GSK renderer: the process's CPU time (every thread but the simulator's) as a
#     percentage of one core;
#  7. soak: the Endpoints page watching two endpoints that never change (clusters idle) for 24
#     simulated hours at time scale KL_BENCH_SOAK_SCALE (default 0.0005: ~43 s), the simulator's
#     clock and the watch's intervals scaled alike: RSS and open descriptors after a simulated
#     hour of warm-up and at the end.
#
# Environment: KL_BENCH_RUNS (start-up runs, default 15), KL_BENCH_RENDERERS (GSK_RENDERER
# values for the start-up, default "gl,cairo": under Xvfb, gl is Mesa's llvmpipe, which
# compiles shaders on the CPU; cairo is what the tests use), KL_BENCH_TIME_SCALE (flow, default
# 0.05), KL_BENCH_POLL_SCALE (polling, default 0.01), KL_BENCH_ONLY (comma-separated subset of
# startup,flow,polling,projects,waiting,soak; waiting and soak are run only when named),
# KL_BENCH_WAIT_RENDERERS (waiting, default "cairo,gl"), KL_BENCH_PROJECTS (projects, default 5000), KL_BENCH_VERBOSE=1 (print the whole request log of the flow),
# KL_BENCH_FONTS (comma-separated GTK font names for the start-up, "none" for no setting;
# default "Cantarell 11,none").
#
# Copyright 2026 The Keylink authors
# SPDX-License-Identifier: GPL-3.0-or-later

import json
import os
import resource
import statistics
import subprocess
import sys
import time

BUILD = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else '_build/release')
RUNS = int(os.environ.get('KL_BENCH_RUNS', '15'))
RENDERERS = list(filter(None, os.environ.get('KL_BENCH_RENDERERS', 'gl,cairo').split(',')))
TIME_SCALE = float(os.environ.get('KL_BENCH_TIME_SCALE', '0.05'))
POLL_SCALE = float(os.environ.get('KL_BENCH_POLL_SCALE', '0.01'))
LATENCY_MS = 150
POLL_WINDOW_S = 600           # simulated: ten minutes of a page left open
NAIVE_INTERVAL_S = 2.0        # the reference: a fixed poll every 2 s
# The start-up's fonts: GNOME's default (Cantarell 11, fonts-cantarell), on which the target
# is judged, then no font setting at all (GTK's "Sans 10", DejaVu Sans here), reported only.
FONTS = [f if f != 'none' else None for f in
         filter(None, os.environ.get('KL_BENCH_FONTS', 'Cantarell 11,none').split(','))]
ONLY = set(filter(None, os.environ.get('KL_BENCH_ONLY',
                                       'startup,flow,polling,projects').split(',')))
WAIT_S = int(os.environ.get('KL_BENCH_WAIT_S', '60'))
WAIT_RENDERERS = list(filter(None, os.environ.get('KL_BENCH_WAIT_RENDERERS',
                                                  'cairo,gl').split(',')))
SOAK_SCALE = float(os.environ.get('KL_BENCH_SOAK_SCALE', '0.0005'))
N_PROJECTS = int(os.environ.get('KL_BENCH_PROJECTS', '5000'))
VERBOSE = os.environ.get('KL_BENCH_VERBOSE') == '1'

API = '/api/atlas/v2/groups'


# --------------------------------------------------------------------------------------------
# 1. Start-up

def start_once(argv, env):
    """Cold start to first painted frame (µs), CPU time (µs, all threads) and peak RSS (KiB)
    of one run."""
    env = dict(env, KL_BENCH_FIRST_FRAME='1')
    t0 = time.monotonic_ns() // 1000
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, text=True)
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    frame = [int(line.split()[1]) for line in out.splitlines()
             if line.startswith('first-frame-us ')]
    if proc.returncode != 0 or not frame:
        raise SystemExit('benchmark run failed: %s (exit %d)' % (argv[0], proc.returncode))
    cpu = (usage.ru_utime + usage.ru_stime) * 1e6
    return frame[0] - t0, cpu, usage.ru_maxrss


def font_config_home(font):
    """An XDG_CONFIG_HOME whose gtk-4.0/settings.ini names the font, as a GNOME session's
    XSETTINGS would (Xvfb has none)."""
    family = font.rsplit(' ', 1)[0]
    found = subprocess.run(['fc-list', family], stdout=subprocess.PIPE, text=True).stdout
    if not found.strip():
        raise SystemExit('font "%s" is not installed (build-aux/install-deps.sh installs it)'
                         % family)
    path = os.path.join(os.environ.get('XDG_RUNTIME_DIR', '/tmp'),
                        'kl-bench-font-' + font.replace(' ', '-'))
    os.makedirs(os.path.join(path, 'gtk-4.0'), exist_ok=True)
    with open(os.path.join(path, 'gtk-4.0', 'settings.ini'), 'w') as f:
        f.write('[Settings]\ngtk-font-name=%s\n' % font)
    return path


def bench_startup_with(renderer, font):
    # Both programs get the same environment, the renderer named explicitly: GTK's default
    # under Xvfb is GL on llvmpipe, the tests' (tests/meson.build) is cairo. The font: GNOME's
    # default (what Keylink's users see), or none, where GTK falls back to "Sans 10".
    env = dict(os.environ, GSETTINGS_SCHEMA_DIR=os.path.join(BUILD, 'data'),
               GSETTINGS_BACKEND='memory', GSK_RENDERER=renderer)
    if font:
        env['XDG_CONFIG_HOME'] = font_config_home(font)
    label = '%s, %s' % (renderer, font or 'no font set')
    app = [os.path.join(BUILD, 'src', 'keylink')]
    ref = [os.path.join(BUILD, 'tests', 'bench', 'bench-bare-window')]
    a_t, a_c, a_m, r_t, r_c, r_m = [], [], [], [], [], []
    # Two warm-ups each (page cache, Mesa's shader cache), then alternate so that both see
    # the same machine.
    for _ in range(2):
        start_once(app, env)
        start_once(ref, env)
    for _ in range(RUNS):
        t, c, m = start_once(app, env)
        a_t.append(t)
        a_c.append(c)
        a_m.append(m)
        t, c, m = start_once(ref, env)
        r_t.append(t)
        r_c.append(c)
        r_m.append(m)
    # The ratio of each alternating pair, too: less sensitive to the load drifting meanwhile.
    pairs = sorted(a / r for a, r in zip(a_t, r_t))
    print('== Start-up, GSK_RENDERER=%s, font %s: %d runs each, alternating; first frame (ms),'
          ' Keylink / bare:' % (renderer, font or 'not set', RUNS))
    print('   ' + ' '.join('%.0f/%.0f' % (a / 1000, r / 1000) for a, r in zip(a_t, r_t)))
    print('   ratio of each pair: min %.2f, median %.2f, max %.2f' % (pairs[0],
                                                                     statistics.median(pairs),
                                                                     pairs[-1]))
    print()
    return [
        ('first frame, %s (median of %d, ms)' % (label, RUNS),
         statistics.median(a_t) / 1000, statistics.median(r_t) / 1000, 1.2 if font else None),
        ('start-up CPU time, %s (ms)' % label,
         statistics.median(a_c) / 1000, statistics.median(r_c) / 1000, None),
        ('peak RSS, %s (MiB)' % label,
         statistics.median(a_m) / 1024, statistics.median(r_m) / 1024, 1.2 if font else None),
    ]


def bench_startup():
    rows = []
    for font in FONTS:
        for renderer in RENDERERS:
            rows += bench_startup_with(renderer, font)
    return rows


# --------------------------------------------------------------------------------------------
# 2. The setup flow

def cpu_jiffies():
    """(busy, total) jiffies of all CPUs, from /proc/stat."""
    with open('/proc/stat') as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    idle = fields[3] + fields[4]
    return sum(fields) - idle, sum(fields)


def run_bench_flow(mode, *args):
    argv = [os.path.join(BUILD, 'tests', 'bench', 'bench-flow'), mode] + list(args)
    busy0, total0 = cpu_jiffies()
    own0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.run(argv, stdout=subprocess.PIPE, text=True,
                          env=dict(os.environ, GIO_USE_PROXY_RESOLVER='dummy'))
    own1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    busy1, total1 = cpu_jiffies()
    if proc.returncode != 0:
        raise SystemExit('benchmark run failed: %s (exit %d)' % (' '.join(argv), proc.returncode))
    d = json.loads(proc.stdout)
    # How busy the machine was meanwhile, and how much of it was this benchmark.
    hz = os.sysconf('SC_CLK_TCK')
    total = max(1, total1 - total0)
    own = (own1.ru_utime + own1.ru_stime - own0.ru_utime - own0.ru_stime) * hz
    d['machineBusy'] = (busy1 - busy0) / total
    d['othersBusy'] = max(0.0, (busy1 - busy0 - own) / total)
    return d


def short(path, group):
    return path.replace(API + '/' + group, '{group}')


def ms(us):
    return us / 1000.0


class Req:
    def __init__(self, index, r, group):
        self.index = index
        self.method = r['method']
        self.path = r['path']
        self.name = short(r['path'], group)
        self.status = r['status']
        self.start = r['startUs']
        self.end = r['endUs']
        self.step = None        # the step of the minimal flow it fills, if any
        self.verdict = None     # why it was made again, if it repeats an earlier one

    @property
    def duration(self):
        return self.end - self.start

    @property
    def key(self):
        return (self.method, self.path)

    def __str__(self):
        return '#%-3d %-6s %-52s %3d  %9.1f  %9.1f' % (self.index, self.method, self.name,
                                                     self.status, ms(self.start), ms(self.end))


def analyse_flow(d):
    group = d['groupId']
    ear = API + '/' + group + '/encryptionAtRest'
    eps = ear + '/AZURE/privateEndpoints'
    clusters = API + '/' + group + '/clusters'
    flex = API + '/' + group + '/flexClusters'
    reqs = sorted((Req(i, r, group) for i, r in enumerate(d['requests'])),
                  key=lambda r: (r.start, r.end))
    for i, r in enumerate(reqs):
        r.index = i + 1

    def ok(r):
        return 200 <= r.status < 300

    # The server-side waits, from the requests (or approvals) that started them. The simulator
    # applies a request after its latency, just before it answers: its end is when it acted.
    posts = [r for r in reqs if r.method == 'POST' and r.path == eps and ok(r)]
    patches = [r for r in reqs if r.method == 'PATCH' and r.path.startswith(clusters + '/')
               and ok(r)]
    approvals = d['approvals']
    w_init, w_act, w_upd = d['initiatingUs'], d['activationUs'], d['clusterUpdateUs']
    # After a cluster PATCH the simulator answers IDLE for w_prop, then UPDATING for w_upd (as
    # real Atlas can): the client counts a cluster done only after it saw UPDATING.
    w_prop = d['clusterPropagationUs']
    if len(posts) != 3 or len(approvals) != 3 or len(patches) != 2:
        raise SystemExit('bench-flow: unexpected flow (%d POSTs, %d approvals, %d cluster PATCHes)'
                         % (len(posts), len(approvals), len(patches)))
    transitions = ([(p.end + w_init, eps) for p in posts] +
                   [(a['atUs'] + w_act, eps) for a in approvals] +
                   [(p.end + w_prop, clusters) for p in patches] +
                   [(p.end + w_prop + w_upd, clusters) for p in patches])
    gate_pending = max(p.end for p in posts) + w_init
    gate_active = max(a['atUs'] for a in approvals) + w_act
    gate_idle = max(p.end for p in patches) + w_prop + w_upd
    windows = {eps: [(min(p.end for p in posts), gate_pending),
                     (min(a['atUs'] for a in approvals), gate_active)],
               clusters: [(min(p.end for p in patches), gate_idle)]}

    # The minimal flow: what it cannot do without, in order. Each step's requests can all be
    # in flight together; a step starts when the one before has answered.
    any_ = None
    steps = [
        ('sign in: access token', [('POST', '/api/oauth/token', any_)]),
        ('sign in: list projects', [('GET', API, any_)]),
        ('choose project: refresh', [('GET', ear, any_), ('GET', eps, any_),
                                     ('GET', clusters, any_), ('GET', flex, any_)]),
        ('enable the key (PATCH, valid on the answer)', [('PATCH', ear, any_)]),
        ('require private networking', [('PATCH', ear, any_)]),
        ('list endpoints once before creating', [('GET', eps, any_)]),
        ('create 3 endpoints in parallel', [('POST', eps, any_)] * 3),
        ('poll that sees all PENDING_ACCEPTANCE', [('GET', eps, gate_pending)]),
        ('poll that sees all ACTIVE', [('GET', eps, gate_active)]),
        ('CMK on 2 clusters in parallel', [('PATCH', clusters + '/payments-eu', any_),
                                           ('PATCH', clusters + '/payments-us', any_)]),
        ('poll that sees both IDLE', [('GET', clusters, gate_idle)]),
        ('final refresh for Done', [('GET', ear, any_), ('GET', eps, any_),
                                    ('GET', clusters, any_), ('GET', flex, any_)]),
    ]
    minimum = sum(len(m) for _, m in steps)
    cursor = 0
    step_rows = []
    critical = 0
    for name, matchers in steps:
        chosen = []
        for method, path, gate in matchers:
            for r in reqs:
                if (r.step is None and r.start >= cursor and r.method == method and
                        r.path == path and (gate is None or r.end >= gate)):
                    r.step = name
                    chosen.append((r, gate))
                    break
            else:
                raise SystemExit('bench-flow: no request for step "%s"' % name)
        # A poll that was sent before the transition but answered after it counts from the
        # transition on: the time before is already in the wait.
        longest = max(r.end - max(r.start, gate or 0) for r, gate in chosen)
        critical += longest
        step_rows.append((name, chosen, longest))
        cursor = min(r.start for r, _ in chosen)
    waits = [('INITIATING, from the last endpoint POST', w_init),
             ('activation, from the last approval', w_act),
             ('cluster update, from the last cluster PATCH (IDLE, then UPDATING)',
              w_prop + w_upd)]
    critical += sum(w for _, w in waits)
    wall = d['flowEndUs'] - d['flowStartUs']

    # Every request made again (same method and path) with nothing changed on the server since
    # the earlier one was answered: a write, an approval or a transition of the simulator.
    base_us = d['baseIntervalMs'] * 1000
    writes = [r.end for r in reqs if r.method != 'GET' and ok(r)]
    changes = sorted(writes + [t for t, _ in transitions] + [a['atUs'] for a in approvals])
    previous = {}
    repeats = []
    for r in reqs:
        # Writes carry bodies the log does not show (three POSTs for three regions): only reads
        # and deletions can repeat one another.
        if r.method not in ('GET', 'DELETE'):
            continue
        p = previous.get(r.key)
        previous[r.key] = r
        if p is None:
            continue
        if p.end > r.start:
            r.verdict = ('unjustified', 'in flight together with #%d' % p.index)
        elif any(p.end < c <= r.end for c in changes):
            continue
        elif r.step == 'final refresh for Done':
            r.verdict = ('justified', 'final refresh: the Done page reads the server back '
                                      '(HACKING.md, Layers), unchanged since #%d' % p.index)
        elif (r.method == 'GET' and r.path in windows and
              any(s <= r.end < e for s, e in windows[r.path]) and r.start - p.end >= base_us * 0.9):
            r.verdict = ('poll', 'poll while waiting for a transition, %.0f ms after #%d'
                         % (ms(r.start - p.end), p.index))
        elif r.step is not None:
            r.verdict = ('justified', 'the poll that sees the transition')
        else:
            r.verdict = ('unjustified', 'nothing changed since #%d, answered %.0f ms earlier'
                         % (p.index, ms(r.start - p.end)))
        repeats.append(r)

    unjustified = [r for r in repeats if r.verdict[0] == 'unjustified']
    polls = [r for r in repeats if r.verdict[0] == 'poll']
    extra = [r for r in reqs if r.step is None]
    # Polls of a watched list during a wait that follow a change (the client's own writes or
    # approvals, a transition seen): not repeats, but not in the minimum either.
    after_change = [r for r in extra if r.verdict is None and r.method == 'GET' and
                    any(s <= r.end < e for s, e in windows.get(r.path, []))]

    # The client's own overhead, by cause.
    lag = [('polling lag after INITIATING', gate_pending, step_rows[7][1][0][0]),
           ('polling lag after activation', gate_active, step_rows[8][1][0][0]),
           ('polling lag after the cluster update', gate_idle, step_rows[10][1][0][0])]

    print('== Setup flow (bench-flow flow): time scale %g, %d ms per request, watches %d ms base / '
          '%d ms cap (2 s / 60 s x scale)' % (d['timeScale'], d['latencyMs'], d['baseIntervalMs'],
                                               d['maxIntervalMs']))
    print('   Project stage at the end: %s; %d requests, flow %.2f s.' % (d['stage'], len(reqs),
                                                                           wall / 1e6))
    print()
    print('Critical path = the sum, over the steps the flow cannot do without (below: each is one')
    print('round of requests in flight together, the next needing the answer of the one before),')
    print('of the step\'s longest request in the simulator\'s log [startUs, endUs], plus the')
    print('server-side waits the flow must sit out (simulated duration x time scale, from the end')
    print('of the request or the approval that started them; a poll counts only from the')
    print('transition it observes on). Requests outside these steps, gaps between rounds and the')
    print('lag between a transition and the poll that sees it are the client\'s overhead.')
    print()
    print('   %-46s %5s %10s' % ('step', 'reqs', 'counts ms'))
    for name, chosen, longest in step_rows:
        print('   %-46s %5d %10.1f   %s' % (name, len(chosen), ms(longest),
                                           ' '.join('#%d' % r.index for r, _ in chosen)))
    for name, w in waits:
        print('   %-46s %5s %10.1f' % ('wait: ' + name, '', ms(w)))
    print('   %-46s %5d %10.1f' % ('critical path', minimum, ms(critical)))
    print('   %-46s %5d %10.1f   ratio %.3f' % ('wall time (flow start to Done)', len(reqs),
                                                 ms(wall), wall / critical))
    print()
    print('Overhead (wall - critical path = %.1f ms), the main parts:' % ms(wall - critical))
    for name, gate, r in lag:
        print('   %-46s %10.1f   transition at %.1f, poll #%d sent at %.1f'
              % (name, ms(max(0, r.start - gate)), ms(gate), r.index, ms(r.start)))
    print('   %-46s %10.1f' % ('requests outside the minimal flow (time)',
                               ms(sum(r.duration for r in extra if not any(
                                   s <= r.end < e for s, e in windows.get(r.path, [])))))
          + '   (polls inside a wait cost no time)')
    print()
    print('Minimum requests = %d: 1 token + 1 list of projects + 4 refresh reads (encryptionAtRest,'
          % minimum)
    print('endpoints, clusters and, since Flex clusters left the clusters API, Flex clusters; all')
    print('in parallel, so the Flex read costs no time on the critical path) + 1 PATCH (key,')
    print('valid read on its answer) + 1 PATCH (private networking) + 1 endpoint list (never POST')
    print('for a region that has one) + 3 POSTs + 2 endpoint polls (one to see them')
    print('PENDING_ACCEPTANCE, one to see them ACTIVE: the three move within ms of each other) +')
    print('2 cluster PATCHes + 1 cluster poll (to see both IDLE) + 4 final refresh reads.')
    print('Made: %d = %d of those + %d polls while waiting (nothing changed since the one before)'
          % (len(reqs), minimum, len(polls)))
    print('+ %d polls right after a change (after the POSTs, the approvals, the cluster PATCHes:'
          % len(after_change))
    print('the first of each wait) + %d others%s.'
          % (len(extra) - len(polls) - len(after_change),
             '' if len(extra) == len(polls) + len(after_change) else
             ' (' + ', '.join('#%d' % r.index for r in extra
                              if r not in polls and r not in after_change) + ')'))
    print()
    print('Requests repeated (same method and path) with no state change since the earlier one'
          ' was answered:')
    shown = [r for r in repeats if r.verdict[0] != 'poll']
    for r in shown:
        print('   %s  %s: %s' % (r, r.verdict[0].upper(), r.verdict[1]))
    print('   … and %d polls while waiting for a transition (the watches\' schedule: at least the'
          % len(polls))
    print('   base interval apart; counted in "polling cost" below).')
    if not unjustified:
        print('   None is unjustified.')
    if VERBOSE:
        print()
        print('Request log (ms since the simulator started; * = outside the minimal flow):')
        for r in reqs:
            print('   %s %s %s' % ('*' if r.step is None else ' ', r,
                                   '' if r.verdict is None else r.verdict[1]))
    print()

    late = d['lateness']
    busy = d['latenessBusy']
    own = d['latenessOwn']
    idle = d['idleLateness']
    print('== Main loop during the flow: a G_PRIORITY_HIGH 1 ms timer measures its own lateness '
          '(%d samples).' % late['samples'])
    print('   lateness max %.2f ms, p99 %.2f ms, p50 %.2f ms; of it, the main thread running (its '
          'own work):' % (ms(late['maxUs']), ms(late['p99Us']), ms(late['p50Us'])))
    print('   max %.2f ms, p99 %.2f ms. Own stall = the lateness less the time the main thread'
          % (ms(busy['maxUs']), ms(busy['p99Us'])))
    if d.get('schedstat'):
        print('   waited, ready, for a CPU (kernel schedstat: other processes had the cores) and'
              ' the time it')
        print('   slept in an idle poll() past its timeout (woken late: the kernel or the host,'
              ' nothing of ours);')
        print('   it keeps the time blocked (system calls, locks): max %.2f ms, p99 %.2f ms.'
              % (ms(own['maxUs']), ms(own['p99Us'])))
    else:
        print('   waited for a CPU: no schedstat in this kernel, so only the running part: '
              'max %.2f ms.' % ms(own['maxUs']))
    worst = d['latenessMax']
    if worst['waitingUs'] >= 0:
        print('   The longest (%.2f ms, at %.1f ms): running %.2f ms, waiting for a CPU %.2f ms,'
              % (ms(late['maxUs']), ms(d['latenessMaxAtUs']), ms(worst['runningUs']),
                 ms(worst['waitingUs'])))
        print('   asleep past its poll() timeout %.2f ms (overlaps the wait for a CPU), blocked'
              ' %.2f ms.' % (ms(worst['wokeLateUs']),
                             ms(max(0, late['maxUs'] - worst['runningUs'] -
                                    max(worst['waitingUs'], worst['wokeLateUs'])))))
    print('   Reference: the same timer on the idle main loop for 2 s before the flow:')
    print('   lateness max %.2f ms, p99 %.2f ms (what the machine itself adds: other processes,'
          ' the scheduler,' % (ms(idle['maxUs']), ms(idle['p99Us'])))
    print('   late wake-ups); own stall max %.2f ms.' % ms(d['idleLatenessOwn']['maxUs']))
    print('   The machine\'s %d CPUs were %.0f %% busy during the run, %.0f %% of it other'
          ' processes than this one.' % (os.cpu_count(), 100 * d['machineBusy'],
                                         100 * d['othersBusy']))
    print()

    return [
        ('setup flow: wall time / critical path (s)', wall / 1e6, critical / 1e6, 1.15),
        ('setup flow: requests / minimum', len(reqs), minimum, None),
        ('setup flow: repeated without a reason', len(unjustified), 0, ('max', 0)),
        ('main loop: longest stall (max lateness, ms)', ms(late['maxUs']), ms(idle['maxUs']),
         ('max', 8.0)),
        ('main loop: p99 lateness (ms)', ms(late['p99Us']), ms(idle['p99Us']), ('max', 8.0)),
        ('main loop: longest stall, own (ms)', ms(own['maxUs']),
         ms(d['idleLatenessOwn']['maxUs']), ('max', 8.0)),
    ]


def bench_flow():
    flow = run_bench_flow('flow', '--time-scale', str(TIME_SCALE), '--latency', str(LATENCY_MS))
    rows = analyse_flow(flow)
    d = run_bench_flow('big-list')
    late, busy, own = d['lateness'], d['latenessBusy'], d['latenessOwn']
    print('== Main loop while a %d-project organization is listed (one page of about 140 KiB,'
          ' read on the main loop, parsed in a worker thread), %d times:'
          % (d['projects'], d['runs']))
    print('   lateness max %.2f ms (running %.2f ms, own stall %.2f ms). Pages of 32 KiB or more'
          % (ms(late['maxUs']), ms(busy['maxUs']), ms(own['maxUs'])))
    print('   are parsed off the main loop (parsed on it, this page took 3.4-7.8 ms).')
    print()
    return rows + [('main loop: 500-project list, own (ms)', ms(own['maxUs']),
                    ms(flow['idleLatenessOwn']['maxUs']), ('max', 8.0))]


# --------------------------------------------------------------------------------------------
# 4. Polling cost

def bench_polling():
    d = run_bench_flow('polling', '--time-scale', str(POLL_SCALE),
                       '--window', str(POLL_WINDOW_S))
    scale = d['timeScale']
    window_us = d['windowS'] * 1e6 * scale
    t0 = d['watchStartUs']
    polls = sorted(r['startUs'] - t0 for r in d['requests']
                   if r['method'] == 'GET' and r['path'].endswith('/privateEndpoints'))
    polls = [t for t in polls if t < window_us]
    gaps = [(b - a) / scale / 1e6 for a, b in zip(polls, polls[1:])]
    per_min = len(polls) / (d['windowS'] / 60)
    first_min = len([t for t in polls if t < 60e6 * scale])
    naive = (d['windowS'] / NAIVE_INTERVAL_S) / (d['windowS'] / 60)
    print('== Polling cost (bench-flow polling): 3 PENDING_ACCEPTANCE endpoints never approved,')
    print('   watched for %g simulated s at the default schedule (2 s base, 60 s cap) run %gx '
          'faster' % (d['windowS'], 1 / scale))
    print('   (watch %d ms / %d ms, %d ms per request). %d list requests: %d in the first minute, '
          'then' % (d['baseIntervalMs'], d['maxIntervalMs'], d['latencyMs'], len(polls), first_min))
    print('   %.2f per minute on average; steady state 1 per %.0f s. Gaps between polls '
          '(simulated s):' % (per_min, gaps[-1] if gaps else 0))
    print('   ' + ' '.join('%.1f' % g for g in gaps))
    print('   Reference: a fixed poll every %g s = %.0f requests per minute.' % (NAIVE_INTERVAL_S,
                                                                             naive))
    print()
    return [('polling: requests/min over 10 min vs 2 s poll', per_min, naive, 0.2)]


# --------------------------------------------------------------------------------------------
# 5. A big organization in the real window

def bench_projects():
    argv = [os.path.join(BUILD, 'tests', 'bench', 'bench-projects'), '--projects',
            str(N_PROJECTS)]
    env = dict(os.environ, GSETTINGS_SCHEMA_DIR=os.path.join(BUILD, 'data'),
               GSETTINGS_BACKEND='memory', GIO_USE_PROXY_RESOLVER='dummy',
               GSK_RENDERER=os.environ.get('GSK_RENDERER', 'cairo'))
    busy0, total0 = cpu_jiffies()
    proc = subprocess.run(argv, stdout=subprocess.PIPE, text=True, env=env)
    busy1, total1 = cpu_jiffies()
    if proc.returncode != 0:
        raise SystemExit('benchmark run failed: %s (exit %d)' % (' '.join(argv), proc.returncode))
    d = json.loads(proc.stdout)
    n = d['projects']
    shown = d['shownUs'] - d['lastPageEndUs']
    print('== %d projects in the real window (bench-projects, GSK_RENDERER=%s): signed in through'
          % (n, env['GSK_RENDERER']))
    print('   the sign-in page to the simulator (its own thread, pages of 500 projects).')
    print('   On screen %.1f ms after the last page was answered (to the first frame painted with'
          % ms(shown))
    print('   the list holding them all and rows of it on screen).')
    for key, what in (('list', 'from Sign In to 200 ms after the list is on screen'),
                      ('keystroke', 'one search keystroke ("7", %.0f ms from search-changed to'
                       ' the frame)' % ms(d['keystrokeUs'])),
                      ('clear', 'clearing the search (back to %d, %.0f ms from search-changed'
                       ' to the frame)' % (n, ms(d['clearUs'])))):
        late, busy, own = d[key], d[key + 'Busy'], d[key + 'Own']
        print('   Main loop, %s:' % what)
        print('      lateness max %.2f ms (running %.2f ms, own stall %.2f ms), %d samples.'
              % (ms(late['maxUs']), ms(busy['maxUs']), ms(own['maxUs']), late['samples']))
    print('   Peak RSS %.0f MiB. The machine\'s %d CPUs were %.0f %% busy meanwhile.'
          % (d['peakRssKiB'] / 1024, os.cpu_count(),
             100 * (busy1 - busy0) / max(1, total1 - total0)))
    print()
    label = '%d projects' % n
    return [
        ('%s: on screen after the last page (ms)' % label, ms(shown), 0, ('max', 1000)),
        ('%s: longest stall, own (ms)' % label, ms(d['listOwn']['maxUs']), 0, ('max', 50)),
        ('%s: longest stall (max lateness, ms)' % label, ms(d['list']['maxUs']), 0, None),
        ('%s: search keystroke (ms)' % label, ms(d['keystrokeUs']), 0, ('max', 50)),
        ('%s: clearing the search (ms)' % label, ms(d['clearUs']), 0, ('max', 50)),
        ('%s: keystroke, longest stall, own (ms)' % label,
         ms(max(d['keystrokeOwn']['maxUs'], d['clearOwn']['maxUs'])), 0, ('max', 50)),
        ('%s: peak RSS (MiB)' % label, d['peakRssKiB'] / 1024, 0, None),
    ]


# --------------------------------------------------------------------------------------------
# 6. Waiting CPU, 7. soak: the real window while it only waits

def run_bench_waiting(renderer, *args):
    argv = [os.path.join(BUILD, 'tests', 'bench', 'bench-waiting')] + list(args)
    env = dict(os.environ, GSETTINGS_SCHEMA_DIR=os.path.join(BUILD, 'data'),
               GSETTINGS_BACKEND='memory', GIO_USE_PROXY_RESOLVER='dummy',
               GSK_RENDERER=renderer)
    busy0, total0 = cpu_jiffies()
    proc = subprocess.run(argv, stdout=subprocess.PIPE, text=True, env=env)
    busy1, total1 = cpu_jiffies()
    if proc.returncode != 0:
        raise SystemExit('benchmark run failed: %s (exit %d)' % (' '.join(argv), proc.returncode))
    d = json.loads(proc.stdout)
    d['machineBusy'] = (busy1 - busy0) / max(1, total1 - total0)
    return d


def bench_waiting():
    rows = []
    targets = {'cairo': 2.0, 'gl': 10.0}
    print('== Waiting CPU (bench-waiting): the real window left waiting, %d s after a 5 s warm-up;'
          % WAIT_S)
    print('   CPU time of the process (every thread but the simulator\'s) / wall time, as % of a'
          ' core.')
    for renderer in WAIT_RENDERERS:
        for page, what in (('endpoints', 'Endpoints page, 2 endpoints PENDING_ACCEPTANCE'),
                           ('clusters', 'Clusters page, 2 clusters UPDATING')):
            d = run_bench_waiting(renderer, page, '--seconds', str(WAIT_S))
            pct = 100.0 * d['cpuUs'] / d['wallUs']
            print('   %-6s %-48s %5.2f %% (main thread %5.2f %%), %d frames (%.1f/s), %d spinners'
                  ' spinning, %d requests; machine %.0f %% busy'
                  % (renderer, what, pct, 100.0 * d['mainCpuUs'] / d['wallUs'], d['frames'],
                     d['frames'] / (d['wallUs'] / 1e6), d['spinning'], d['requests'],
                     100 * d['machineBusy']))
            rows.append(('waiting CPU, %s, %s (%% of a core)' % (page, renderer), pct, 0,
                         ('max', targets.get(renderer, 10.0))))
    print()
    return rows


def bench_soak():
    d = run_bench_waiting(os.environ.get('GSK_RENDERER', 'cairo'), 'soak', '--time-scale',
                          str(SOAK_SCALE))
    samples = d['samples']
    first, last = samples[0], samples[-1]
    print('== Soak (bench-waiting soak, GSK_RENDERER=%s): the Endpoints page watching 2'
          ' PENDING_ACCEPTANCE' % d['renderer'])
    print('   endpoints that never change, clusters idle, %g simulated hours at time scale %g'
          ' (%.1f s;' % (last['hours'], d['timeScale'], d['wallUs'] / 1e6))
    print('   watch %d ms / %d ms), after %g simulated hour(s) of warm-up: %d polls, %d requests.'
          % (d['baseIntervalMs'], d['maxIntervalMs'], d['warmUpHours'], d['polls'],
             d['requests']))
    print('   RSS (MiB) each simulated hour: ' +
          ' '.join('%.1f' % (s['rssKiB'] / 1024) for s in samples))
    print('   open descriptors each simulated hour: ' + ' '.join('%d' % s['fds'] for s in samples))
    print('   The machine was %.0f %% busy meanwhile.' % (100 * d['machineBusy']))
    print()
    return [
        ('soak %g h: RSS growth (MiB)' % last['hours'],
         (last['rssKiB'] - first['rssKiB']) / 1024, 0, ('max', 2)),
        ('soak %g h: open descriptors growth' % last['hours'], last['fds'] - first['fds'], 0,
         ('max', 0)),
    ]


# --------------------------------------------------------------------------------------------

def main():
    rows = []
    if 'flow' in ONLY:
        rows += bench_flow()
    if 'polling' in ONLY:
        rows += bench_polling()
    if 'projects' in ONLY:
        rows += bench_projects()
    if 'waiting' in ONLY:
        rows += bench_waiting()
    if 'soak' in ONLY:
        rows += bench_soak()
    if 'startup' in ONLY:
        rows = bench_startup() + rows
    print('%-50s %10s %10s %8s %8s' % ('figure', 'Keylink', 'reference', 'ratio', 'target'))
    ok = True
    for name, value, ref, target in rows:
        ratio = value / ref if ref else float('inf')
        if target is None:
            met, target_text, status = True, '-', 'info'
        elif isinstance(target, tuple):
            met = value <= target[1]
            target_text = '<=%g' % target[1]
            status = 'met' if met else 'NOT MET'
        else:
            met = ratio <= target
            target_text = '%.2fx' % target
            status = 'met' if met else 'NOT MET'
        ok = ok and met
        ratio_text = '%7.2fx' % ratio if ref else '%8s' % '-'
        print('%-50s %10.2f %10.2f %s %8s %s' % (name, value, ref, ratio_text, target_text,
                                                   status))
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
