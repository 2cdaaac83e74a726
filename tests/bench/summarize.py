#!/usr/bin/env python3
"""summarize.py — the bench's table from the files bench.sh left in RUNS_DIR:
medians with min–max over the runs, the ratio Noticeboard / Chromium, the
target from issue 8 and whether it is met; then the details (per-process
shares, per-run values) that explain a figure.

  summarize.py RUNS_DIR        prints the report (bench.sh tees it to
                               build/bench/results.txt)

Python 3 standard library only."""
import glob
import json
import os
import re
import statistics
import subprocess
import sys

TARGETS = ['noticeboard', 'chromium']
REFRESH_HZ = 60     # what a 60 Hz panel shows; Xvfb itself has no refresh


def read(path):
    try:
        with open(path, encoding='utf-8', errors='replace') as f:
            return f.read()
    except OSError:
        return None


def kv(text):
    """'a=1 b=2' lines or 'key value' lines → dict of floats (last wins)."""
    out = {}
    for line in (text or '').splitlines():
        for k, v in re.findall(r'(\w+)=([-\d.]+)', line):
            out[k] = float(v)
        parts = line.split()
        if len(parts) >= 2 and '=' not in line:
            try:
                out.setdefault(parts[0], float(parts[1]))
            except ValueError:
                pass
    return out


def split_ir(path):
    """Where a layout pass spends its instructions (inclusive, millions):
    breaking and fitting vs rasterising, and FreeType's glyph loading."""
    try:
        text = subprocess.run(['callgrind_annotate', '--inclusive=yes', path], capture_output=True,
                              text=True, timeout=120).stdout
    except (OSError, subprocess.SubprocessError):
        return '(callgrind_annotate unavailable)'
    parts = []
    for fn in ('text_fit', 'm_width', 'fonts_render', 'TTF_RenderUTF8_Blended', 'FT_Load_Glyph',
               'TTF_OpenFontIndexDPIRW'):
        m = re.search(r'^\s*([\d,]+) \([\s\d.]+%\)\s+\S*:' + fn + r' ', text, re.M)
        if m:
            parts.append(f'{fn} {int(m.group(1).replace(",", "")) / 1e6:.1f}M')
    return ', '.join(parts) or '(no breakdown)'


def collect(root):
    """values[(target, figure)] = [per-run values]; detail lines."""
    values, detail, busy = {}, [], []

    def add(target, fig, v):
        if v is not None:
            values.setdefault((target, fig), []).append(v)

    for d in sorted(glob.glob(os.path.join(root, '*-*-*'))):
        name = os.path.basename(d)
        target, mode, run = name.rsplit('-', 2)
        if target not in TARGETS:
            continue
        launch = kv(read(f'{d}/launch.txt')).get('launch')
        paint = kv(read(f'{d}/paint.txt'))
        ff = (paint['complete'] - launch) * 1000 if launch and 'complete' in paint else None
        if mode == 'ticker':
            add(target, 'first_frame_ms', ff)
        add(target, f'first_frame_ms_{mode}', ff)
        bands = ' '.join(f'{b}={(paint[b] - launch) * 1000:.0f}' for b in ('first',)
                         if b in paint and launch)
        bl = re.findall(r'^band (\w+) ([\d.]+)', read(f'{d}/paint.txt') or '', re.M)
        bands += ' ' + ' '.join(f'{b}={(float(t) - launch) * 1000:.0f}' for b, t in bl) if launch else ''
        cpu = json.loads(read(f'{d}/cpu.json') or 'null')
        mem = json.loads(read(f'{d}/mem.json') or 'null')
        line = f'{name:24s} first frame {ff:.0f} ms ({bands.strip()})' if ff else \
            f'{name:24s} first frame: none within 30 s ({bands.strip()})'
        if cpu and 'app' in cpu:
            app, x, wm = cpu['app']['cpu_pct'], cpu['xvfb']['cpu_pct'], cpu.get('wm', {}).get('cpu_pct', 0)
            add(target, f'cpu_{mode}', app + x)
            add(target, f'cpu_app_{mode}', app)
            add(target, f'cpu_x_{mode}', x)
            other = cpu['machine_busy_pct'] - app - x - wm
            if other > 15:      # not ours: another process competed during the window
                busy.append(f'{name} ({other:.0f} %)')
            kinds = ', '.join(f'{k} {v:.1f}' for k, v in sorted(cpu['app']['by_kind'].items(),
                                                                key=lambda i: -i[1])[:5])
            line += (f'; CPU app {app:.2f} % + Xvfb {x:.2f} % (+ WM {wm:.2f} %; machine '
                     f'{cpu["machine_busy_pct"]:.1f} %) [{kinds}]')
        if mem and 'app' in mem:
            a = mem['app']
            if mode == 'ticker':
                add(target, 'pss_mib', a['pss_kib'] / 1024)
                add(target, 'rss_mib', a['rss_kib'] / 1024)
                add(target, 'uss_mib', a['uss_kib'] / 1024)
                add(target, 'x_pss_mib', mem['xvfb']['pss_kib'] / 1024)
            line += (f'; PSS {a["pss_kib"] / 1024:.1f} MiB in {a["n"]} processes (anon '
                     f'{a["pss_anon_kib"] / 1024:.1f}, file {a["pss_file_kib"] / 1024:.1f}, shmem '
                     f'{a["pss_shmem_kib"] / 1024:.1f}), RSS {a["rss_kib"] / 1024:.1f}, Xvfb PSS '
                     f'{mem["xvfb"]["pss_kib"] / 1024:.1f}')
        tk = kv(read(f'{d}/ticker.txt'))
        if tk:
            add(target, 'ticker_ups', tk.get('updates_per_s'))
            add(target, 'ticker_stall_ms', tk.get('max_gap_ms'))
            add(target, 'ticker_over20', tk.get('gaps_over_20ms'))
            add(target, 'ticker_hole_ms', tk.get('max_sample_hole_ms'))
            line += '; ticker ' + (read(f'{d}/ticker.txt') or '').strip()
        m = re.search(r'renderer (\w+)', read(f'{d}/app.log') or '')
        if m and target == 'noticeboard':
            line += f'; renderer {m.group(1)}'
        if 'exited early' in (read(f'{d}/launch.txt') or ''):
            line += '; EXITED EARLY (see app.log)'
        detail.append(line)

    for d in sorted(glob.glob(os.path.join(root, 'sync-*'))):
        imp = json.loads(read(f'{d}/import.json') or 'null')
        if imp:
            if imp['exit'] == 0:
                add('noticeboard', 'import_s', imp['wall_s'])
                add('noticeboard', 'import_mib', imp['maxrss_kib'] / 1024)
            detail.append(f'{os.path.basename(d):24s} big import: exit {imp["exit"]}, {imp["wall_s"]:.1f} s '
                          f'(user {imp["user_s"]:.1f} s, sys {imp["sys_s"]:.1f} s), peak RSS '
                          f'{imp["maxrss_kib"] / 1024:.1f} MiB')
        sw = kv(read(f'{d}/switch.txt'))
        if 'complete' in sw and 'import_end' in sw:
            add('noticeboard', 'switch_ms', (sw['complete'] - sw['import_end']) * 1000)
            detail.append(f'{os.path.basename(d):24s} new feed on screen '
                          f'{(sw["complete"] - sw["import_end"]) * 1000:.0f} ms after import returned '
                          f'({(sw["complete"] - sw["import_start"]) * 1000:.0f} ms after it started)')
        elif sw:
            detail.append(f'{os.path.basename(d):24s} new feed: header did not change within 30 s')

    lay = {}
    for line in (read(f'{root}/layout.txt') or '').splitlines():
        m = re.match(r'case=(\w+) (.*)', line)
        if m:
            lay[m.group(1)] = kv(m.group(2))
    for c in ('announcement', 'honors'):
        for m in ('cold', 'warm'):
            if c in lay:
                add('noticeboard', f'layout_{c}_{m}_ms', lay[c].get(f'{m}_ms'))
            out = read(f'{root}/callgrind-{c}-{m}.out') or ''
            ir = re.search(r'^(?:summary|totals): (\d+)', out, re.M)
            if ir:
                add('noticeboard', f'layout_{c}_{m}_ir', int(ir.group(1)) / 1e6)
                detail.append(f'callgrind {c:12s} {m}: {split_ir(f"{root}/callgrind-{c}-{m}.out")}')
        if c in lay:
            detail.append(f'layout {c:14s} ' + ' '.join(f'{k}={v:g}' for k, v in lay[c].items()))
    if busy:
        detail.insert(0, 'WARNING: other load above 15 % of a core during the CPU window of: ' +
                      ', '.join(busy) + ' — those figures are less trustworthy')
    return values, detail


def fmt(v):
    return f'{v:.0f}' if abs(v) >= 100 else f'{v:.1f}' if abs(v) >= 1 else f'{v:.2f}'


def cell(v):
    if not v:
        return '–'
    med = statistics.median(v)
    return f'{fmt(med)} ({fmt(min(v))}–{fmt(max(v))})' if len(v) > 1 else fmt(med)


def report(root):
    values, detail = collect(root)
    med = lambda t, f: statistics.median(values[(t, f)]) if values.get((t, f)) else None
    meta = (read(f'{root}/meta.txt') or '').strip()
    out = ['Noticeboard vs a Chromium kiosk, same feed, same machine, one run (make bench)', meta, '',
           f'{"figure":52s} {"Noticeboard":22s} {"Chromium":22s} {"NB/Chr":7s} target']

    def row(label, fig, target='', ratio_max=None, nb_ok=None):
        nb, ch = med('noticeboard', fig), med('chromium', fig)
        ratio = nb / ch if nb is not None and ch else None
        verdict = ''
        if ratio_max is not None and ratio is not None:
            verdict = 'ok' if ratio <= ratio_max else 'MISS'
        if nb_ok is not None and nb is not None:
            verdict = 'ok' if nb_ok(nb) else 'MISS'
        out.append(f'{label:52s} {cell(values.get(("noticeboard", fig))):22s} '
                   f'{cell(values.get(("chromium", fig))):22s} '
                   f'{(f"{ratio:.3f}" if ratio is not None else "–"):7s} {target} {verdict}'.rstrip())

    row('1  launch → first complete frame, ms', 'first_frame_ms', '≤ 0.1', 0.1)
    row('2  PSS after 60 s, MiB (Chromium: all procs)', 'pss_mib', '≤ 0.1', 0.1)
    row('   RSS after 60 s, MiB', 'rss_mib')
    row('   Xvfb PSS (not counted above), MiB', 'x_pss_mib')
    row('3a CPU, ticker, % of 1 core (app + Xvfb)', 'cpu_ticker', '≤ 0.25', 0.25)
    row('3b CPU, slides + clock, no ticker', 'cpu_slides', '≤ 0.125', 0.125)
    row('3c CPU, one static slide', 'cpu_static', '≈ 0 (≤ 0.5 %)', nb_ok=lambda v: v <= 0.5)
    row('   of which the app (3a / 3b / 3c)', 'cpu_app_ticker')
    row('', 'cpu_app_slides')
    row('', 'cpu_app_static')
    row('4  ticker updates per second', 'ticker_ups', f'{REFRESH_HZ} Hz',
        nb_ok=lambda v: v >= REFRESH_HZ * 0.95)
    row('   ticker longest stall, ms', 'ticker_stall_ms', '≤ 20 ms', nb_ok=lambda v: v <= 20)
    row('   gaps over 20 ms in the probe window', 'ticker_over20')
    row("   the probe's own longest pause, ms", 'ticker_hole_ms')
    row('5  import 1000/2000/5000 + 200×12 MP photos, s', 'import_s', '< 60 s', nb_ok=lambda v: v < 60)
    row('   import peak memory (max RSS), MiB', 'import_mib', '< 200 MiB', nb_ok=lambda v: v < 200)
    row('   new feed on screen after import returns, ms', 'switch_ms', '≤ 2000 ms',
        nb_ok=lambda v: v <= 2000)
    for c, label in (('announcement', '2000-char announcement'), ('honors', '40-name honor page')):
        row(f'6  layout+raster {label}, cold, ms', f'layout_{c}_cold_ms')
        row('   … warm glyph cache, ms', f'layout_{c}_warm_ms')
        row('   … callgrind, cold, M instructions', f'layout_{c}_cold_ir')
        row('   … callgrind, warm, M instructions', f'layout_{c}_warm_ir')
    pres = []
    for m, what in (('renderer', 'SDL_Renderer (GL) full frame, as the player'),
                    ('full', 'window surface, software, full frame'),
                    ('band', 'window surface, software, ticker band only')):
        j = json.loads(read(f'{root}/present/{m}.json') or 'null')
        if j and 'app' in j:
            fps = kv(read(f'{root}/present/{m}.txt')).get('fps', 0)
            pres.append(f'  {what:46s} {j["app"]["cpu_pct"] + j["xvfb"]["cpu_pct"]:6.1f} % '
                        f'(program {j["app"]["cpu_pct"]:.1f} + Xvfb {j["xvfb"]["cpu_pct"]:.1f}) '
                        f'at {fps:.0f} fps')
    if pres:
        out += ['', 'A 60 Hz ticker alone, by how the frame reaches the screen (present-bench, '
                '% of one core):'] + pres
    out += ['', 'First frame from the ticker run; memory at the end of its CPU window; CPU includes',
            "the X server's share; sync and layout are Noticeboard's only (Chromium has none).", '',
            'Details per run (first frame: when each band was first drawn, ms from launch):']
    out += ['  ' + d for d in detail]
    return '\n'.join(out) + '\n'


if __name__ == '__main__':
    if len(sys.argv) != 2:
        sys.stderr.write(__doc__)
        sys.exit(2)
    sys.stdout.write(report(sys.argv[1]))
