# A player with nothing moving sleeps, also after a sync message has come
# and gone (a past overlay deadline once made every wait 0 ms: 100% CPU).
# The test clock runs 30x fast, so the 20 s message expires in 0.7 s.
at '2026-11-23 10:00'                      # import, then play from there
mkdir -p stick/noticeboard
printf 'title,body\n通知,内容\n' > stick/noticeboard/announcements.csv
printf '[sync]\ntrust = open\n' > open.conf
"$SYNC" import --data data --config open.conf stick > import.txt 2>&1 || die "import"
start_xvfb 800x600
NB_TEST_SPEED=30 \
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
    "$NB" --data data --config open.conf --window 320x180 > nb.log 2>&1 &
nb=$!
bg_pids+=($nb)
wait_for nb.log "playing 1 slides" 20
# Written aside and renamed, as the import does: written in place, a poll
# between the truncation and the write could see an empty file and then
# no change of time for the write that follows.
printf 'ok\n更新成功：1条公告\nresult: ok\nannouncements: 1\nevents: 0\nhonors: 0\nticker: 0\nwarnings: 0\nproblems: 0\n' \
    > last-sync.tmp
mv last-sync.tmp data/state/last-sync.txt
wait_for nb.log "sync state: ok" 3
sleep 3                                   # shown, then expired (0.5 s)
ticks() { awk '{print $14 + $15}' /proc/$nb/stat; }
a=$(ticks); sleep 3; b=$(ticks)
echo "CPU over 3 s after the message: $((b - a)) ticks"
# Idle costs a few ticks (feed polls 30x fast); spinning costs ~300.
[ $((b - a)) -lt 60 ] || die "the player spins after a sync message: $((b - a)) ticks in 3 s"
