# Player window (under Xvfb): with no feed yet it shows the name and the
# clock (never black); during quiet hours the screen is black.
command -v identify >/dev/null || die "ImageMagick missing (apt-get install imagemagick)"
start_xvfb 800x600
nbpid=
# run_player CONFIG LOG: starts the player in a 640x360 window.
run_player() {
    ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
        "$NB" --data empty --config "$1" --window 640x360 > "$2" 2>&1 &
    nbpid=$!
    bg_pids+=($nbpid)
}
stop_player() {
    kill -TERM "$nbpid"
    local st=0
    wait "$nbpid" || st=$?
    nbpid=
    [ "$st" -eq 0 ] || die "player exited $st"
}
mkdir empty

# No feed: the idle screen with the configured name.
printf '[board]\norg_name = 测试社区\n' > idle.conf
run_player idle.conf idle.log
wait_for idle.log "playing 0 slides" 20
sleep 1
import -window root -crop 640x360+80+120 shot-idle.png
[ "$(identify -format '%k' shot-idle.png)" -gt 10 ] || die "idle screen is blank"
stop_player

# Quiet all day: black.
printf '[schedule]\nquiet_hours = 00:00-24:00\n' > quiet.conf
run_player quiet.conf quiet.log
wait_for quiet.log "quiet hours: screen blank" 20
sleep 1
import -window root -crop 640x360+80+120 shot-quiet.png
[ "$(identify -format '%k' shot-quiet.png)" -le 2 ] || die "quiet screen is not black"
[ "$(convert shot-quiet.png -format '%[fx:int(255*mean)]' info:)" -le 2 ] || die "quiet screen is not black"
stop_player

# Quiet hours pass without work behind the black screen: with the test
# clock 120x fast (two minutes a second) the idle page, which shows the
# time, is not redrawn every minute (it is made once, at start).
NB_TEST_CLOCK='2026-11-23 01:00' NB_TEST_SPEED=120 NB_TEST_STATS="$PWD/quiet-stats.txt" \
    run_player quiet.conf quiet2.log
wait_for quiet2.log "quiet hours: screen blank" 20
sleep 4                                   # eight minutes of the night
stop_player
last=$(tail -n 1 quiet-stats.txt)
echo "after eight quiet minutes: $last"
# At least five minutes ran (more when the machine is loaded: sleep is
# a lower bound).
mins=$(echo "$last" | sed -n 's/.*clock=2026-11-23 01:\([0-9][0-9]\).*/\1/p')
[ -n "$mins" ] && [ "$((10#$mins))" -ge 5 ] || die "test clock did not run: $last"
pages=$(echo "$last" | sed -n "s/.*pages=\([0-9]*\).*/\1/p")
[ "$pages" -le 1 ] || die "pages drawn during quiet hours: $pages"
