#!/usr/bin/env python3
"""playwait.py — how long a resident waits to see each item, from a play log
(DATA/playlog/*.tsv, core/playlog.h), e.g. of a player run in test mode
(NB_TEST_CLOCK, NB_TEST_SPEED) on the demo or the bench's big feed.

  playwait.py [--skip MIN] FILE...

For each item (kind, id): how often it began (page 1), and the longest wait
between two beginnings — what a resident who just missed it waits to see it
from the start again.  For urgent items also the longest time away: from
leaving the screen to the next urgent page.  The first MIN minutes are
skipped (default 0: the loop starts with the urgent block, so the first
wait of every item is shorter).  Items shown once have no wait yet and are
counted apart.  Python 3 standard library only."""
import collections
import datetime
import sys


def main(argv):
    skip = 0
    if argv[:1] == ['--skip']:
        skip, argv = int(argv[1]), argv[2:]
    rows = []
    for path in argv:
        for line in open(path, encoding='utf-8'):
            f = line.rstrip('\n').split('\t')
            if len(f) != 5:
                continue
            t = datetime.datetime.strptime(f[0], '%Y-%m-%d %H:%M:%S')
            rows.append((t, f[1], f[2], int(f[3]), f[4]))
    rows.sort(key=lambda r: r[0])
    if not rows:
        sys.exit('no lines')
    t0 = rows[0][0] + datetime.timedelta(minutes=skip)
    starts = collections.defaultdict(list)
    away = 0.0
    for i, r in enumerate(rows):
        if r[3] == 1 and r[0] >= t0:
            starts[(r[1], r[2], r[4])].append(r[0])
        if r[1] == 'urgent' and r[0] >= t0 and i + 1 < len(rows) and rows[i + 1][1] != 'urgent':
            nxt = next((s for s in rows[i + 1:] if s[1] == 'urgent'), None)
            if nxt:
                away = max(away, (nxt[0] - rows[i + 1][0]).total_seconds())
    span = (rows[-1][0] - t0).total_seconds()
    waits = {}
    once = 0
    for k, ts in starts.items():
        if len(ts) < 2:
            once += 1
            continue
        waits[k] = max((b - a).total_seconds() for a, b in zip(ts, ts[1:]))
    print(f'{len(rows)} lines over {span / 60:.0f} min, {len(starts)} items '
          f'({once} begun only once in that time: no wait measured)')
    by_kind = collections.defaultdict(list)
    for k, w in waits.items():
        by_kind[k[0]].append(w)
    for kind in sorted(by_kind):
        w = by_kind[kind]
        print(f'  {kind:13} {len(w):4} items  longest wait {max(w) / 60:6.1f} min  '
              f'median {sorted(w)[len(w) // 2] / 60:6.1f} min')
    if waits:
        k = max(waits, key=waits.get)
        print(f'  longest of all: {waits[k] / 60:.1f} min ({k[0]} {k[2][:30]})')
    if away:
        print(f'  urgent block away at most {away:.0f} s')


if __name__ == '__main__':
    main(sys.argv[1:])
