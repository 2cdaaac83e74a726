# Sync: a stick that takes no writes (its write-protect switch on, or a FAT
# the kernel remounted read-only).  The content still imports, but the
# report (with the week's schedule) and the picture cannot go on it: the
# screen says so in amber with what to do, `status` says last_sync_report:
# read-only, and a rejected import on it says the problems could not be
# written either.  The stick is a read-only bind mount (as root chmod does
# not stop writes); without root, a stick with its folders made read-only.
at '2026-11-23 09:00'
command -v import >/dev/null || die "ImageMagick missing (apt-get install imagemagick)"
printf '[sync]\ntrust = open\n[display]\nfade_ms = 0\n' > open.conf
cp -r "$TOP/tests/fixtures/bundles/good" stick
cp -r "$TOP/tests/fixtures/bundles/multi-errors" bad
mkdir ro badro
ro_mounts=()
cleanup() {
    local m
    for m in "${ro_mounts[@]}"; do umount "$m" 2>/dev/null || true; done
    chmod -R u+w stick bad 2>/dev/null || true
    kill_bg
}
trap cleanup EXIT
# readonly SRC DST : DST shows SRC, and no write to it succeeds.
readonly_view() {
    if [ "$(id -u)" -eq 0 ]; then
        mount --bind "$1" "$2" || die "mount --bind (needs CAP_SYS_ADMIN)"
        ro_mounts+=("$PWD/$2")
        mount -o remount,bind,ro "$2" || die "cannot remount $2 read-only"
    else
        rmdir "$2"
        chmod -R a-w "$1"
        ln -s "$1" "$2"
    fi
    ! touch "$2/noticeboard/probe" 2>/dev/null || die "$2 is still writable"
}
readonly_view stick ro
readonly_view bad badro

start_xvfb 1024x600
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
    "$NB" --data data --config open.conf --window 960x540 > nb.log 2>&1 &
bg_pids+=($!)
wait_for nb.log "playing" 20

# The import goes through: the content plays, nothing was written to the stick.
expect_status 0 "$SYNC" import --data data --config open.conf ro > out.txt 2> err.txt
contains err.txt "更新成功"
contains out.txt "提醒：无法把报告写到U盘上"
contains out.txt "写保护"
[ ! -e stick/noticeboard/reports ] || die "a report reached the read-only stick"
[ -e data/feed.db ] || die "no feed was activated"
"$SYNC" status --data data --config open.conf > status.txt
contains status.txt "last_sync_result: ok"
contains status.txt "last_sync_report: read-only"
contains data/state/last-sync.txt "report: read-only"
# count_px PNG R,G,B : pixels of exactly that colour.
count_px() {
    local n
    n=$(convert "$1" -fill black +opaque "rgb($2)" -fill white -opaque "rgb($2)" \
        -format '%[fx:round(mean*w*h)]' info:)
    echo "${n%.*}"
}
# The screen: the amber card (249,168,37), not the green of plain success.
wait_for nb.log "report not on the stick: read-only" 5
sleep 1
import -window root -display "$DISPLAY" ok-readonly.png
amber=$(count_px ok-readonly.png 249,168,37)
green=$(count_px ok-readonly.png 27,122,52)
red0=$(count_px ok-readonly.png 198,40,40)
echo "amber px: $amber, green px: $green, red px: $red0"
[ "$amber" -gt 20000 ] || die "no amber card on the screen ($amber px)"
[ "$green" -lt 1000 ] || die "the screen shows the green success card ($green px)"
[ "$red0" -lt 1000 ] || die "the failure card's red is on the screen before a failure ($red0 px)"
cp ok-readonly.png "$TOP/build/tests/e2e-readonly-ok.png" 2>/dev/null || true

# A failed import on a read-only stick: still a failure, and the state says
# the report with the problems is not on the stick either.
expect_status 1 "$SYNC" import --data data --config open.conf badro > bad.txt 2> baderr.txt
contains baderr.txt "更新失败"
contains bad.txt "提醒：无法把报告写到U盘上"
[ ! -e bad/noticeboard/reports ] || die "a report reached the read-only stick"
"$SYNC" status --data data --config open.conf > status2.txt
contains status2.txt "last_sync_result: rejected"
contains status2.txt "last_sync_report: read-only"
wait_for nb.log "sync state: fail (rejected), report not on the stick: read-only" 5
sleep 1
import -window root -display "$DISPLAY" rejected-readonly.png
red=$(count_px rejected-readonly.png 198,40,40)
echo "red px: $red"
[ "$red" -gt 20000 ] || die "no red card on the screen ($red px)"
cp rejected-readonly.png "$TOP/build/tests/e2e-readonly-rejected.png" 2>/dev/null || true

# The same stick made writable again: the report is saved, the state says so.
cleanup
ro_mounts=()
trap kill_bg EXIT
expect_status 0 "$SYNC" import --data data --config open.conf stick > again.txt 2>&1
ls stick/noticeboard/reports/*.txt > /dev/null || die "no report on the writable stick"
"$SYNC" status --data data --config open.conf > status3.txt
contains status3.txt "last_sync_report: saved"
! grep -q "^report:" data/state/last-sync.txt || die "report: written for a saved report"
