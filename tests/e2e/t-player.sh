# Player window (under Xvfb): plays the feed, shows a newly activated feed
# within 2 s without a restart, shows the sync result, survives a broken
# feed (keeps playing the old one), and stops cleanly on SIGTERM.
at '2026-11-23 09:00'
command -v identify >/dev/null || die "ImageMagick missing (apt-get install imagemagick)"
command -v Xvfb >/dev/null || die "Xvfb missing (make deps installs xvfb)"
mkdir -p stick/noticeboard
printf 'title,body\n第一版通知,内容一\n' > stick/noticeboard/announcements.csv
printf 'text\n滚动消息\n' > stick/noticeboard/ticker.csv
printf '[sync]\ntrust = open\n[display]\nfade_ms = 300\n' > open.conf
"$SYNC" import --data data --config open.conf stick > import1.txt 2>&1 || die "import 1"

start_xvfb 800x600
nbpid=

# Under SANITIZE builds: the X11/GL driver and D-Bus libraries leak on their
# own at exit; our code's leaks are checked through render (same scene code).
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
    "$NB" --data data --config open.conf --window 640x360 > nb.log 2>&1 &
nbpid=$!
bg_pids+=($nbpid)
wait_for nb.log "playing 1 slides" 20
contains nb.log "feed version 1"
sleep 1
import -window root -display "$DISPLAY" shot1.png
[ "$(identify -format '%k' shot1.png)" -gt 20 ] || die "the window looks blank"

# A new feed shows within 2 s of activation, same process.
printf 'title,body\n第二版通知,内容二\n第二条,内容\n' > stick/noticeboard/announcements.csv
"$SYNC" import --data data --config open.conf stick > import2.txt 2>&1 || die "import 2"
wait_for nb.log "feed version 2" 2
wait_for nb.log "sync state: ok" 2
kill -0 "$nbpid" || die "player died on the feed switch"

# A broken feed is refused; the player keeps playing version 2.
printf 'not a database' > data/broken.db
mv data/broken.db data/feed.db
wait_for nb.log "cannot use the feed" 3
sleep 1
kill -0 "$nbpid" || die "player died on a broken feed"

kill -TERM "$nbpid"
st=0
wait "$nbpid" || st=$?
nbpid=
[ "$st" -eq 0 ] || { cat nb.log; die "player exited $st on SIGTERM"; }
contains nb.log "stopping on a signal"
