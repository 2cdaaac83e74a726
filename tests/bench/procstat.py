#!/usr/bin/env python3
"""procstat.py — memory and CPU of a set of processes, from /proc; and a
command's wall time and peak memory.  Prints one JSON object on stdout.

  procstat.py mem  SET... [--xvfb PID] [--wm PID]
  procstat.py cpu  SECONDS SET... [--xvfb PID] [--wm PID]
  procstat.py run  -- COMMAND ARGS...

SET selects the program under test ("app"), as the union of:
  --tree PID                 PID and all its descendants
  --exe PREFIX --display :N  every process whose executable starts with PREFIX
                             and whose environment has DISPLAY=:N (catches the
                             Chromium helpers that re-parent themselves away)
mem: Rss, Pss, USS (Private_*), Pss_Anon/File/Shmem summed over
     /proc/PID/smaps_rollup, in KiB, per group (app, xvfb, wm) and per
     process kind (Chromium's --type=..., else the program's name).
cpu: utime+stime of each group over the window, as % of ONE core (a 2-core
     machine can show up to 200); processes born during the window count
     from 0, those that died are lost (reported in lost_pids).  Also the
     whole machine's busy % from /proc/stat, in the same unit.
run: wall_s, user_s, sys_s, maxrss_kib (wait4: the largest of the command
     and the descendants it waited for), exit status.  The command's own
     stdout/stderr pass through to our stderr, so stdout stays JSON."""
import json
import os
import resource
import subprocess
import sys
import time

HZ = os.sysconf('SC_CLK_TCK')


def _read(path, mode='r'):
    try:
        with open(path, mode) as f:
            return f.read()
    except OSError:
        return None


def _stat(pid):
    """(ppid, utime+stime ticks) or None if the process is gone."""
    s = _read(f'/proc/{pid}/stat')
    if s is None:
        return None
    f = s[s.rindex(')') + 2:].split()
    return int(f[1]), int(f[11]) + int(f[12])


def _kind(pid):
    cmd = (_read(f'/proc/{pid}/cmdline', 'rb') or b'').rstrip(b'\0').split(b'\0')
    if len(cmd) == 1:       # Chromium rewrites its argv as one space-separated string
        cmd = cmd[0].split(b' ')
    for a in cmd:
        if a.startswith(b'--type='):
            k = a[7:].decode()
            if k == 'utility':
                for b in cmd:
                    if b.startswith(b'--utility-sub-type='):
                        k += '(' + b[19:].decode().split('.')[-1] + ')'
            return k
    exe = os.path.basename(cmd[0].decode(errors='replace')) if cmd and cmd[0] else '?'
    return 'crashpad' if 'crashpad' in exe else exe


def select(args):
    """PIDs of the app set described by args (see module doc)."""
    pids = [int(p) for p in os.listdir('/proc') if p.isdigit()]
    ppid = {}
    for p in pids:
        st = _stat(p)
        if st:
            ppid[p] = st[0]
    out = set()
    roots = [int(v) for k, v in zip(args, args[1:]) if k == '--tree']
    for r in roots:
        if r in ppid:
            out.add(r)
    grew = True
    while grew:                     # descendants, to a fixed point
        grew = False
        for p, pp in ppid.items():
            if pp in out and p not in out:
                out.add(p)
                grew = True
    opt = dict(zip(args[::2], args[1::2]))
    if '--exe' in opt:
        want = b'DISPLAY=' + opt.get('--display', '').encode()
        for p in ppid:
            try:
                exe = os.readlink(f'/proc/{p}/exe')
            except OSError:
                continue
            env = (_read(f'/proc/{p}/environ', 'rb') or b'').split(b'\0')
            if exe.startswith(opt['--exe']) and want in env:
                out.add(p)
    return out


def groups(args):
    opt = dict(zip(args[::2], args[1::2]))
    g = {'app': select(args)}
    for name in ('xvfb', 'wm'):
        if '--' + name in opt:
            g[name] = {int(opt['--' + name])}
    return g


def mem(args):
    res = {}
    for name, pids in groups(args).items():
        g = res[name] = {'n': 0, 'rss_kib': 0, 'pss_kib': 0, 'uss_kib': 0,
                         'pss_anon_kib': 0, 'pss_file_kib': 0, 'pss_shmem_kib': 0, 'by_kind': {}}
        for p in sorted(pids):
            text = _read(f'/proc/{p}/smaps_rollup')
            if text is None:
                continue
            d = {}
            for line in text.splitlines():
                k, _, v = line.partition(':')
                v = v.split()
                if len(v) == 2 and v[1] == 'kB':
                    d[k] = int(v[0])
            g['n'] += 1
            g['rss_kib'] += d['Rss']
            g['pss_kib'] += d['Pss']
            g['uss_kib'] += d['Private_Clean'] + d['Private_Dirty']
            for k in ('Anon', 'File', 'Shmem'):
                g['pss_' + k.lower() + '_kib'] += d.get('Pss_' + k, 0)
            bk = g['by_kind'].setdefault(_kind(p), {'n': 0, 'pss_kib': 0})
            bk['n'] += 1
            bk['pss_kib'] += d['Pss']
    return res


def _busy():
    v = list(map(int, _read('/proc/stat').splitlines()[0].split()[1:9]))
    return sum(v), v[3] + v[4]


def cpu(seconds, args):
    g0 = groups(args)
    t0 = {p: _stat(p) for ps in g0.values() for p in ps}
    s0, w0 = _busy(), time.monotonic()
    time.sleep(seconds)
    g1 = groups(args)
    t1 = {p: _stat(p) for ps in g1.values() for p in ps}
    s1, w1 = _busy(), time.monotonic()
    wall = w1 - w0
    res = {'wall_s': round(wall, 3)}
    for name, pids in g1.items():
        g = res[name] = {'cpu_pct': 0.0, 'by_kind': {}, 'lost_pids': len(g0[name] - pids)}
        for p in pids:
            if t1.get(p) is None:
                continue
            before = t0.get(p)
            pct = 100.0 * (t1[p][1] - (before[1] if before else 0)) / HZ / wall
            g['cpu_pct'] = round(g['cpu_pct'] + pct, 2)
            k = _kind(p)
            g['by_kind'][k] = round(g['by_kind'].get(k, 0) + pct, 2)
    tot, idle = s1[0] - s0[0], s1[1] - s0[1]
    res['machine_busy_pct'] = round(100.0 * (tot - idle) / max(tot, 1) * os.cpu_count(), 2)
    return res


def run(cmd):
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, stdout=sys.stderr)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.monotonic() - t0
    return {'wall_s': round(wall, 3), 'user_s': round(ru.ru_utime, 3), 'sys_s': round(ru.ru_stime, 3),
            'maxrss_kib': ru.ru_maxrss, 'exit': os.waitstatus_to_exitcode(status),
            'end_epoch': round(time.time(), 6)}


def main(argv):
    if len(argv) >= 2 and argv[1] == 'mem':
        out = mem(argv[2:])
    elif len(argv) >= 3 and argv[1] == 'cpu':
        out = cpu(float(argv[2]), argv[3:])
    elif len(argv) >= 4 and argv[1] == 'run' and argv[2] == '--':
        out = run(argv[3:])
    else:
        sys.stderr.write(__doc__)
        return 2
    print(json.dumps(out, ensure_ascii=False))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
