#!/usr/bin/python3
# bench.py BUILD_DIR — Keylink's benchmarks. Prints each figure beside its reference, measured
# side by side in the same run, and the ratio. Not part of the test suite's pass/fail.
#
# Copyright 2026 The Keylink authors
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import statistics
import subprocess
import sys
import time

BUILD = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else '_build/release')
RUNS = int(os.environ.get('KL_BENCH_RUNS', '15'))


def start_once(argv, env):
    """Cold start to first painted frame (µs) and peak RSS (KiB) of one run."""
    env = dict(env, KL_BENCH_FIRST_FRAME='1')
    t0 = time.monotonic_ns() // 1000
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, text=True)
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    frame = [int(line.split()[1]) for line in out.splitlines() if line.startswith('first-frame-us ')]
    if proc.returncode != 0 or not frame:
        raise SystemExit('benchmark run failed: %s (exit %d)' % (argv[0], proc.returncode))
    return frame[0] - t0, usage.ru_maxrss


def bench_startup():
    env = dict(os.environ, GSETTINGS_SCHEMA_DIR=os.path.join(BUILD, 'data'),
               GSETTINGS_BACKEND='memory')
    app = [os.path.join(BUILD, 'src', 'keylink')]
    ref = [os.path.join(BUILD, 'tests', 'bench', 'bench-bare-window')]
    a_t, a_m, r_t, r_m = [], [], [], []
    # One warm-up each (page cache), then alternate so that both see the same machine.
    start_once(app, env)
    start_once(ref, env)
    for _ in range(RUNS):
        t, m = start_once(app, env)
        a_t.append(t)
        a_m.append(m)
        t, m = start_once(ref, env)
        r_t.append(t)
        r_m.append(m)
    return [
        ('start to first frame (median of %d, ms)' % RUNS,
         statistics.median(a_t) / 1000, statistics.median(r_t) / 1000, 1.2),
        ('peak RSS (median, MiB)',
         statistics.median(a_m) / 1024, statistics.median(r_m) / 1024, 1.2),
    ]


def main():
    rows = bench_startup()
    print('%-44s %12s %12s %8s %8s' % ('figure', 'Keylink', 'reference', 'ratio', 'target'))
    ok = True
    for name, value, ref, target in rows:
        ratio = value / ref if ref else float('inf')
        met = ratio <= target
        ok = ok and met
        print('%-44s %12.1f %12.1f %7.2fx %7.2fx %s' % (name, value, ref, ratio, target,
                                                        'met' if met else 'NOT MET'))
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
