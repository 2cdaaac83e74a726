# Soak (issue 7 part 4): the player in test mode (src/player/testmode.c) with
# its clocks running 600× fast from 2026-11-23 08:30 (the imports are made
# at that moment too, so the clock is judged right and the whole demo loop
# plays: posters, photos, events, honors, the urgent notice), the wall clock
# going back to 08:30 every 2 simulated hours (1 in the short form; the loop
# changes at 09:00 and back at each wrap; so the same content comes round and
# memory at the start and the end can be compared; each wrap is also a
# clock jump the loop must re-plan for), a simulated render reset every 100
# slide changes, and feed switches by importing two bundles in turn while it
# plays, under Xvfb.  Live textures are counted by an LD_PRELOAD shim
# (texcount.c).  RSS, fds and textures are sampled twice a second; start and
# end are the 10th-percentile RSS (fewest fds, most textures) over 4 whole cycles (2 in
# the short form) on the same bundle: right after warm-up, and after the
# last slide.
# Targets: RSS grows < 1 MiB, fds and textures flat; and the loop played is
# the plan's (both loops of the stretch were played, pages were drawn for
# every slide change, photos and posters were decoded).
# Full: 10,000 slide changes, 100 feed switches, 100 resets; short: 500/6/5.
if [ "$ROBUST" = full ]; then slides=10000 switches=100 wrap=120 cycles=4
else slides=500 switches=6 wrap=60 cycles=2; fi
every=100 warm=$((slides / 10))
asan=false
if ldd "$NB" | grep libasan > /dev/null; then
    # The shim must come before ASan; RSS is then ASan's quarantine.  Mesa's
    # GL libraries, unloaded at exit, leave unsymbolisable leaks (as in
    # t-player.sh): the player's own leaks are r-memory's (valgrind) job.
    asan=true
    export ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0:detect_leaks=0"
fi
cc -shared -fPIC -O2 -Wall -Wextra -Werror $(pkg-config --cflags sdl2) \
    -o texcount.so "$TOP/tests/robust/texcount.c" -ldl || die "cannot build the texture counter"

at '2026-11-23 08:30'
# Two bundles: the demo, and the demo with one more announcement.
conf=$TOP/assets/demo/noticeboard.conf
mkdir -p a b
cp -r "$TOP/assets/demo/noticeboard" a/noticeboard
rm -rf a/noticeboard/reports
cp -r a/noticeboard b/noticeboard
# (the demo's columns: 级别,标题,内容,图片,开始,结束,星期,时段,时长; CRLF)
printf '普通,浸泡测试,这是第二份内容。,,2026-11-01,2027-12-31,,,\r\n' >> b/noticeboard/announcements.csv
"$SYNC" import --data data --config "$conf" a > imp.txt 2>&1 || { cat imp.txt; die "import a failed"; }

start_xvfb 1280x720
# What should play: the loop before and after 09:00 (the plan is what plays).
loop_a=$("$NB" plan --data data --config "$conf" --at '2026-11-23 08:30' | wc -l)
loop_b=$("$NB" plan --data data --config "$conf" --at '2026-11-23 09:00' | wc -l)
imgs=$(sed -n '2,$p' a/noticeboard/announcements.csv | grep -c '\.\(jpg\|png\)' || true)
[ "$loop_a" -gt 10 ] && [ "$loop_a" != "$loop_b" ] && [ "$imgs" -gt 0 ] ||
    die "the demo no longer has a loop change at 09:00 ($loop_a, $loop_b slides) or posters ($imgs)"
SDL_RENDER_DRIVER=software NB_TEST_SPEED=600 NB_TEST_WRAP=$wrap NB_TEST_RESET_EVERY=$every \
NB_TEST_STATS=$PWD/stats.txt LD_PRELOAD=$PWD/texcount.so \
    "$NB" --data data --config "$conf" --window 640x360 > nb.log 2>&1 &
pid=$!
bg_pids+=($pid)

last() {  # last KEY : the newest value of KEY= in stats.txt
    tail -n 1 stats.txt 2>/dev/null | tr ' ' '\n' | sed -n "s/^$1=//p"
}
wait_stat() {  # wait_stat KEY MIN SECONDS
    local i
    for i in $(seq $(($3 * 10))); do
        kill -0 "$pid" 2>/dev/null || { tail -20 nb.log; die "the player died"; }
        [ "$(last "$1" || true)" -ge "$2" ] 2>/dev/null && return 0
        sleep 0.1
    done
    tail -3 stats.txt; tail -20 nb.log; die "$1 did not reach $2 within $3 s"
}
done_sw=0
switch() {  # imports the other bundle and waits for the player to take it
    local src=b
    [ $((done_sw % 2)) -eq 0 ] || src=a
    "$SYNC" import --data data --config "$conf" $src > imp.txt 2>&1 || { cat imp.txt; die "import $src failed"; }
    done_sw=$((done_sw + 1))
    wait_stat switches "$done_sw" 60
}
# Sampler: "wraps rss fds textures", twice a second.
( set +e     # a sample may miss (no stats yet, the player exiting)
  while kill -0 "$pid" 2>/dev/null; do
    r=$(sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$pid/status" 2>/dev/null)
    f=$(ls "/proc/$pid/fd" 2>/dev/null | wc -l)
    w=$(last wraps)
    [ -z "$r" ] || [ -z "$w" ] || echo "$w $r $f $(last textures)"
    sleep 0.5
  done > samples.txt ) &
bg_pids+=($!)
measure() {  # measure : waits for $cycles whole cycles; prints "rss fds textures"
    local c0
    c0=$(( $(last wraps) + 1 ))
    wait_stat wraps $((c0 + cycles)) 300
    awk -v a="$c0" -v b=$((c0 + cycles)) '$1 >= a && $1 < b' samples.txt > window.txt
    [ "$(wc -l < window.txt)" -ge 10 ] || die "too few samples in cycles from $c0"
    # RSS: the 10th percentile.  What is on screen moves it by several MB
    # (a photo page), so samples fall in modes whose shares vary; the floor
    # is what the player always holds and a leak raises it; the percentile
    # skips the instants of a rebuild, when every page is dropped.
    # fds: the fewest (a state file being written is open for an instant;
    # a leaked fd stays); textures: the most (a fade holds two pages; a
    # leak raises the peak).
    echo "$(cut -d' ' -f2 window.txt | sort -n | awk '{ v[NR] = $1 } END { print v[int(NR / 10) + 1] }')" \
         "$(cut -d' ' -f3 window.txt | sort -n | head -1)" "$(cut -d' ' -f4 window.txt | sort -n | tail -1)"
}

# Warm-up: two switches (back on bundle a), a tenth of the slides.
wait_stat slides 1 60
switch; switch
wait_stat slides "$warm" 600
read -r rss0 fd0 tex0 < <(measure)
# The other switches, spread over the run; an even count ends on bundle a.
start=$(last slides)
per=$(( (slides - start) / (switches - 2 + 1) ))
while [ "$done_sw" -lt "$switches" ]; do
    wait_stat slides $(( start + per * (done_sw - 1) )) 600
    switch
done
wait_stat slides "$slides" 1800
read -r rss1 fd1 tex1 < <(measure)
kill -TERM "$pid"
rc=0; wait "$pid" || rc=$?
[ "$rc" -eq 0 ] || { tail -20 nb.log; die "the player exited $rc on SIGTERM"; }
n=$(last slides) f=$(last switches) r=$(last resets) w=$(last wraps)
pg=$(last pages) im=$(last images)
[ "$tex0" -ge 0 ] || die "texture counter not loaded (textures=$tex0)"
echo "figure: soak: slides $n, feed switches $f, resets $r (and $w clock wraps)"
echo "figure: soak: pages drawn $pg, images decoded $im; loops of $loop_a and $loop_b slides played"
echo "figure: soak: RSS $rss0 KiB → $rss1 KiB ($(printf %+d $((rss1 - rss0))))$($asan && echo ' (ASan build: not judged)')"
echo "figure: soak: fds $fd0 → $fd1, textures $tex0 → $tex1"
[ "$n" -ge "$slides" ] && [ "$f" -ge "$switches" ] || die "too few slides or switches"
# The clock was judged right and the dated content played, both loops.
! grep -q 'clock looks wrong' nb.log || die "the player judged its clock wrong: only undated items played"
grep -qE "(playing|loop changed:) $loop_a slides" nb.log || die "the 08:30 loop ($loop_a slides) never played"
grep -qE "(playing|loop changed:) $loop_b slides" nb.log || die "the 09:00 loop ($loop_b slides) never played"
# Every slide change draws at least one page; posters and photos were
# decoded (each announcement with an image, at least once a loop).
[ "$pg" -ge "$n" ] || die "only $pg pages drawn for $n slide changes"
[ "$im" -ge $((imgs * w)) ] || die "only $im images decoded in $w loops with $imgs posters"
[ "$r" -ge $((slides / every)) ] || die "only $r resets"
$asan || [ $((rss1 - rss0)) -lt 1024 ] || die "RSS grew by $((rss1 - rss0)) KiB"
[ "$fd1" -le "$fd0" ] || die "open fds grew: $fd0 → $fd1"
# Ticker chunks hold a texture only while in the band, so the count moves
# by a few with the scroll position; a leak grows with every slide.
[ "$tex1" -le $((tex0 + 3)) ] || die "live textures grew: $tex0 → $tex1"
