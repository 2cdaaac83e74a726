#!/usr/bin/env bash
# posters-bench.sh — how long the least-effort path takes: N phone photos
# (12 MP JPEGs of ~1.5 MB, default 20) alone in a 海报 folder, no
# spreadsheet, imported RUNS times (default 3), each into a fresh data
# folder.  Prints the median wall time, CPU and peak memory of
# `noticeboard-sync import` (procstat.py run: wait4's ru_maxrss).
#   tests/bench/posters-bench.sh [N] [RUNS]     (SYNC=… for another build)
set -eu
TOP=$(cd "$(dirname "$0")/../.." && pwd)
N=${1:-20} RUNS=${2:-3}
SYNC=${SYNC:-$TOP/build/noticeboard-sync}
W=$(mktemp -d "${TMPDIR:-/tmp}/nb-posters-bench.XXXXXX")
trap 'rm -rf "$W"' EXIT
P=$W/stick/noticeboard/海报
mkdir -p "$P"
for b in 0 1 2 3; do     # four different photos, each copy decoded on its own
    convert -size 400x300 -seed "$b" plasma:fractal -resize '4000x3000!' -quality 92 "$W/base$b.jpg"
done
for i in $(seq 1 "$N"); do cp "$W/base$((i % 4)).jpg" "$P/IMG_$i.jpg"; done
printf '[sync]\ntrust = open\n' > "$W/open.conf"
for r in $(seq 1 "$RUNS"); do
    rm -rf "$W/data"
    python3 "$TOP/tests/bench/procstat.py" run -- "$SYNC" import --data "$W/data" \
        --config "$W/open.conf" "$W/stick" 2>/dev/null >> "$W/runs.json"
done
grep -q "海报：替换为 $N 张" "$W"/stick/noticeboard/reports/*.txt || { echo "posters-bench: import failed" >&2; exit 1; }
python3 - "$W/runs.json" "$N" "$(du -sm "$P" | cut -f1)" <<'PY'
import json, statistics, sys
runs = [json.loads(l) for l in open(sys.argv[1])]
assert all(r['exit'] == 0 for r in runs), runs
med = lambda k: statistics.median(r[k] for r in runs)
print(f"figure: posters: import of {sys.argv[2]} photos (12 MP, {sys.argv[3]} MB) from 海报/: "
      f"wall {med('wall_s'):.1f} s (min {min(r['wall_s'] for r in runs):.1f}, max "
      f"{max(r['wall_s'] for r in runs):.1f}, {len(runs)} runs), CPU "
      f"{med('user_s') + med('sys_s'):.1f} s, peak RSS {med('maxrss_kib') / 1024:.0f} MiB")
PY
