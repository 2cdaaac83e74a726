# A change of slide crossfades: a frame taken during a 5 s fade is neither
# the old page nor the new one.  The fade's start (a fresh clock reading in
# show_step) was later than the loop's `now`, the unsigned difference
# wrapped, and every fade ended on its first frame: a hard cut.
at '2026-11-23 09:00'
command -v compare >/dev/null || die "ImageMagick missing (apt-get install imagemagick)"
mkdir -p stick/noticeboard
# Different text on each page; 5 s then 12 s, so the first change is at 5 s
# and the fade it starts (5 s, the longest allowed) is over by 10 s, well
# before the next change at 17 s.  The long fade leaves the mid-fade shot
# 3.5 s of room on a loaded machine (a 3 s fade left it 1.7 s).
printf 'title,body,duration\n第一条通知,内容一,5\n第二条通知,内容二内容二,12\n' \
    > stick/noticeboard/announcements.csv
printf '[sync]\ntrust = open\n[display]\nfade_ms = 5000\n' > open.conf
"$SYNC" import --data data --config open.conf stick > import.txt 2>&1 || die "import"
start_xvfb 800x600
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
    "$NB" --data data --config open.conf --window 640x360 > nb.log 2>&1 &
nb=$!
bg_pids+=($nb)
wait_for nb.log "playing 2 slides" 20
t0=$(date +%s.%N)
# shot NAME AT : the slide area (no header clock, no ticker) at AT s after t0.
shot() {
    local wait
    wait=$(awk -v at="$2" -v t0="$t0" -v now="$(date +%s.%N)" \
        'BEGIN { w = at - (now - t0); printf "%.3f", (w > 0 ? w : 0) }')
    sleep "$wait"
    import -window root -display "$DISPLAY" "$1-full.png"
    convert "$1-full.png" -crop 560x240+120+170 +repage "$1.png"
}
shot old 3
shot mid 6.5                              # 1.5 s into the fade
shot new 13
kill -0 "$nb" || die "the player died"
diff_px() { compare -metric AE "$1.png" "$2.png" null: 2>&1 || true; }
[ "$(diff_px old new)" -gt 100 ] || die "the two pages look the same: $(diff_px old new) px"
d_old=$(diff_px mid old) d_new=$(diff_px mid new)
echo "mid differs from the old page in $d_old px, from the new one in $d_new px"
[ "$d_old" -gt 100 ] || die "mid-fade frame is still the old page"
[ "$d_new" -gt 100 ] || die "mid-fade frame is already the new page: no crossfade"
