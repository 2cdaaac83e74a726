# When quiet hours end the content comes up at once, not crossfaded from the
# idle page the scene held, unseen, behind the black screen (nor from the
# page that played before the night): the first frame after the end is the
# content, the same as a frame taken once any fade would be over.
command -v compare >/dev/null || die "ImageMagick missing (apt-get install imagemagick)"
at '2026-11-23 06:59'                      # import, then play from there
mkdir -p stick/noticeboard
printf 'title,body\n早安通知,今天的内容\n' > stick/noticeboard/announcements.csv
printf '[sync]\ntrust = open\n[display]\nfade_ms = 5000\n[schedule]\nquiet_hours = 00:00-07:00\n' \
    > quiet.conf
"$SYNC" import --data data --config quiet.conf stick > import.txt 2>&1 || die "import"
start_xvfb 800x600
# 4x fast: 07:00 comes 15 s after the start, and a 5 s fade lasts 1.25 s.
NB_TEST_SPEED=4 \
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
    "$NB" --data data --config quiet.conf --window 640x360 > nb.log 2>&1 &
nb=$!
bg_pids+=($nb)
wait_for nb.log "quiet hours: screen blank" 20
wait_for nb.log "playing 1 slides" 30
# The slide area only: the header clock may change between the two shots.
# The log line comes before the first frame is laid out and drawn, so the
# first shot is the first one that is not the black quiet screen (taken
# every 0.1 s; a fade would take 1.25 s and show in it).
for _ in $(seq 50); do
    import -window root -display "$DISPLAY" -crop 560x240+120+170 first.png
    [ "$(convert first.png -format '%[fx:mean > 0.01]' info:)" = 1 ] && break
    sleep 0.1
done
sleep 3
import -window root -display "$DISPLAY" -crop 560x240+120+170 settled.png
kill -0 "$nb" || die "the player died"
[ "$(identify -format '%k' settled.png)" -gt 10 ] || die "no content after quiet hours"
d=$(compare -metric AE first.png settled.png null: 2>&1 || true)
echo "first frame after quiet hours differs from the settled one in $d px"
[ "$d" -lt 50 ] || die "the content faded in from another page after quiet hours ($d px differ)"
