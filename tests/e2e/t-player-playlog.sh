# Proof of play and the fair loop (issue 18).  The player logs each page it
# shows to DATA/playlog/DAY.tsv, appended at most once a minute, so a kill -9
# loses at most the last minute; with urgent_every = 60 an urgent notice
# comes back within a minute between the pages of a long notice, and with
# 0 it does not; a clean stop writes what is held; export copies the log
# and the next import's report counts it.  Test clock 20x fast.
at '2026-11-22 10:00'
command -v python3 >/dev/null || die "python3 missing"
mkdir -p stick/noticeboard
python3 - >stick/noticeboard/announcements.csv <<'EOF'
body = '社区将于本月开展冬季安全大检查，请各位居民配合入户检查燃气、电线和消防通道。' * 40
print('title,body,duration,priority')
print('停水通知,明天上午停水,10,紧急')
print(f'冬季安全大检查,{body},30,普通')
EOF
printf '[display]\nfade_ms = 0\n[schedule]\nurgent_every = 60\n[sync]\ntrust = open\n' >fair.conf
printf '[display]\nfade_ms = 0\n[schedule]\nurgent_every = 0\n[sync]\ntrust = open\n' >unfair.conf
"$SYNC" import --data data --config fair.conf stick >import1.txt 2>&1 || die "import"
cp -a data data0
# One display for both: the window of the one killed -9 vanishes over the
# other's just as that one stops, the case where SDL's wake-up of its own
# destroyed window came back as BadWindow and Xlib exited 1 (x11err.h).
start_xvfb 800x600
d0=$DISPLAY
d1=$DISPLAY

play() {    # play CONF DATA LOG STATS DISPLAY: the player in the background, 20x fast
    DISPLAY=$5 NB_TEST_SPEED=20 NB_TEST_STATS="$4" \
    ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
        "$NB" --data "$2" --config "$1" --window 640x360 >"$3" 2>&1 &
}
play fair.conf data nb.log stats "$d0"
nb=$!
bg_pids+=($nb)
play unfair.conf data0 nb0.log stats0 "$d1"
nb0=$!
bg_pids+=($nb0)
wait_for nb.log "playing 2 slides" 20
wait_for nb0.log "playing 2 slides" 20
sleep 30                                # some 10 minutes of play
kill -KILL "$nb"
kill -TERM "$nb0"
wait "$nb0" || die "the player exited $? on SIGTERM"
contains nb0.log "play log: "
killed_at=$(tail -n 1 stats | sed -n 's/^clock=\([^ ]* [^ ]*\) .*/\1/p')
stopped_at=$(tail -n 1 stats0 | sed -n 's/^clock=\([^ ]* [^ ]*\) .*/\1/p')
[ -n "$killed_at" ] && [ -n "$stopped_at" ] || die "no test-mode stats"
log=data/playlog/2026-11-22.tsv
[ -s "$log" ] || die "no play log after a kill -9"
[ -s data0/playlog/2026-11-22.tsv ] || die "no play log after a clean stop"

# check.py LOG END LIMIT EVERY: every line in the documented form; the
# last within LIMIT s of END (the minute the player stopped in); the pages
# of the long notice (30 s each) between two showings of the urgent one at
# most EVERY s in all when EVERY > 0 (counted, not timed: a loaded machine
# stalls the test clock), the whole notice when 0.
cat >check.py <<'EOF'
import datetime, re, sys
path, end, limit, every = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
t = lambda s: datetime.datetime.strptime(s, '%Y-%m-%d %H:%M:%S')
rows = []
for n, line in enumerate(open(path, encoding='utf-8'), 1):
    m = re.fullmatch(r'(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)\t(urgent|announcement)\t(\d+)\t(\d+)\t(.+)\n', line)
    assert m, f'{path}:{n}: not a play log line: {line!r}'
    rows.append((t(m[1]), m[2], m[3], int(m[4]), m[5]))
lost = (t(end + ':00') - rows[-1][0]).total_seconds()
print(f'{len(rows)} lines, last {rows[-1][0]}, player stopped in minute {end}: at most {lost:.0f} s lost')
assert lost <= limit, f'the last line is {lost:.0f} s before the end (more than {limit} s)'
pages = [r[3] for r in rows if r[1] == 'announcement']
npages = max(pages)
assert npages >= 4, f'the long notice has {npages} pages: too few for the test'
# Pages of the long notice in order (1, 2, … N, 1, 2, …), none skipped.
for a, b in zip(pages, pages[1:]):
    assert b == a + 1 or b == 1, f'page {b} after page {a}'
runs, run, waits = [], 0, []
for i, r in enumerate(rows):
    if r[1] == 'urgent':
        if i and rows[i - 1][1] != 'urgent':
            runs.append(run)
            left = next(j for j in range(i - 1, -1, -1) if rows[j][1] == 'urgent') + 1 if any(
                x[1] == 'urgent' for x in rows[:i]) else None
            if left is not None:
                waits.append((r[0] - rows[left][0]).total_seconds())
        run = 0
    else:
        run += 1
print(f'{npages} pages; pages between two urgent showings {sorted(set(runs))}; '
      f'urgent away {sorted(set(waits))} s on the (stallable) test clock')
if every > 0:
    assert max(runs) * 30 <= every, f'{max(runs)} pages of 30 s between urgent showings'
    assert min(runs) < npages, 'the urgent notice never came between pages'
else:
    assert max(runs) == npages, 'urgent_every = 0 should keep to the plan'
EOF
# kill -9: at most the last minute (and the page then on screen, 30 s, and
# the minute's rounding) is lost; 40 s more are a 2 s stall of a loaded
# machine on the 20x clock (two players, Xvfb and ASan on two cores).
python3 check.py "$log" "$killed_at" 150 60 || die "play log after kill -9 / fair loop"
# A clean stop writes everything: only the page on screen (and the stall).
python3 check.py data0/playlog/2026-11-22.tsv "$stopped_at" 90 0 || die "play log after a clean stop"

# Played again after the kill: appended to the same day's file.
lines=$(wc -l <"$log")
NB_TEST_CLOCK='2026-11-22 10:30' ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
    "$NB" --data data --config fair.conf --window 640x360 >nb2.log 2>&1 &
nb2=$!
bg_pids+=($nb2)
wait_for nb2.log "playing 2 slides" 20
sleep 1
kill -TERM "$nb2"
wait "$nb2" || die "the player exited $? on SIGTERM"
[ "$(wc -l <"$log")" -gt "$lines" ] || die "a clean stop within the first minute wrote nothing"
tail -n 1 "$log" | finds '^2026-11-22 10:30:..	urgent	1	1	停水通知$' || { tail -n 3 "$log"; die "restart line"; }

# export copies the log to the stick; the next import reports it.
at '2026-11-22 11:00'
"$SYNC" export --data data out >export.txt 2>&1 || die "export"
cmp "$log" out/noticeboard/playlog/2026-11-22.tsv || die "the play log on the stick differs"
contains export.txt "播放记录 1 个文件"
"$SYNC" import --data data --config fair.conf stick >import2.txt 2>&1 || die "import 2"
contains import2.txt "播放统计（2026-10-24 至 2026-11-22"
shown=$(awk -F'\t' '$2 == "urgent" && $4 == 1' "$log" | wc -l)
contains import2.txt "紧急公告“停水通知”：${shown}次"
contains import2.txt "公告“冬季安全大检查”："
report=$(ls stick/noticeboard/reports/*.txt | tail -n 1)
contains "$report" "紧急公告“停水通知”：${shown}次"
