#!/usr/bin/env bash
# playlog-wear.sh — what the play log costs an SD card (issue 18): the demo
# played for HOURS hours of box time (default 1) at a set moment, the test
# clock SPEED times fast (default 20: one box hour in three real minutes),
# at 1920x1080 under Xvfb, the player traced with strace for every system
# call on the play log's day file.  Prints bytes and write() calls per box
# hour, and bytes per day for a box that plays around the clock.
#   tests/bench/playlog-wear.sh [HOURS] [SPEED]     (NB=…, SYNC=… for another build)
set -eu
TOP=$(cd "$(dirname "$0")/../.." && pwd)
HOURS=${1:-1} SPEED=${2:-20}
NB=${NB:-$TOP/build/noticeboard} SYNC=${SYNC:-$TOP/build/noticeboard-sync}
for t in Xvfb strace; do
    command -v $t >/dev/null || { echo "playlog-wear: $t missing" >&2; exit 1; }
done
W=$(mktemp -d "${TMPDIR:-/tmp}/nb-playlog-wear.XXXXXX")
pids=()
trap 'for p in "${pids[@]}"; do pkill -P "$p" 2>/dev/null; kill "$p" 2>/dev/null || true; done; wait 2>/dev/null; rm -rf "$W"' EXIT
DAY=2026-11-23
export NB_TEST_CLOCK="$DAY 09:00"
conf=$TOP/assets/demo/noticeboard.conf
"$SYNC" import --data "$W/data" --config "$conf" "$TOP/assets/demo" >"$W/import.txt" 2>&1 ||
    { cat "$W/import.txt" >&2; exit 1; }
Xvfb -displayfd 3 -screen 0 1920x1080x24 -nolisten tcp 3>"$W/display" 2>"$W/xvfb.log" &
pids+=($!)
for _ in $(seq 100); do [ -s "$W/display" ] && break; sleep 0.1; done
[ -s "$W/display" ] || { echo "playlog-wear: Xvfb did not start" >&2; exit 1; }
mkdir -p "$W/data/playlog"     # strace -P follows a path, not a folder
log=$W/data/playlog/$DAY.tsv
DISPLAY=:$(cat "$W/display") NB_TEST_SPEED=$SPEED NB_TEST_STATS=$W/stats \
    strace -f -qq -o "$W/strace.txt" -P "$log" \
    "$NB" --data "$W/data" --config "$conf" >"$W/nb.log" 2>&1 &
nb=$!
pids+=($nb)
real=$(awk -v h="$HOURS" -v s="$SPEED" 'BEGIN { printf "%.0f", h * 3600 / s }')
for _ in $(seq 200); do grep -q "playing " "$W/nb.log" && break; sleep 0.1; done
sleep "$real"
pkill -TERM -P "$nb"     # the player, strace's child (strace passes its exit on)
wait "$nb" || { cat "$W/nb.log" >&2; echo "playlog-wear: the player exited $?" >&2; exit 1; }
python3 - "$log" "$W/strace.txt" "$W/nb.log" "$SPEED" <<'PY'
import datetime, re, sys
log, trace, nblog, speed = sys.argv[1:]
lines = open(log, 'rb').read().split(b'\n')[:-1]
size = sum(len(l) + 1 for l in lines)
t = lambda s: datetime.datetime.strptime(s, '%Y-%m-%d %H:%M:%S')
first, last = (t(l.split(b'\t')[0].decode()) for l in (lines[0], lines[-1]))
hours = (last - first).total_seconds() / 3600
assert hours > 0.2, f'only {hours:.2f} box hours played'
calls = [l.split('(')[0].split()[-1] for l in open(trace) if '(' in l and '+++' not in l]
writes = sum(c in ('write', 'pwrite64', 'writev') for c in calls)
opens = sum(c in ('open', 'openat') for c in calls)
fsyncs = sum(c in ('fsync', 'fdatasync') for c in calls)
said = re.search(r'play log: (\d+) bytes in (\d+) writes', open(nblog).read())
assert said and int(said.group(1)) == size, (said and said.group(0), size)
print(f"figure: playlog: demo at 1920x1080 for {hours:.2f} box hours ({speed}x test clock): "
      f"{len(lines)} lines ({len(lines) / hours:.0f} an hour, {size / len(lines):.0f} bytes each), "
      f"{size / hours / 1024:.1f} KiB an hour, {size / hours * 24 / 1024:.0f} KiB a day playing "
      f"around the clock; {writes / hours:.0f} write() an hour ({writes} in all, "
      f"{opens} opens, {fsyncs} fsyncs), the player's own count {said.group(2)} writes")
PY
