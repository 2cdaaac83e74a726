# Sync (regression, issue 7): a write error inside activation.  Before the
# switch (linking the spare feed.db.new, fsync of feeds/) the import ends
# with exit 4 and leaves feeds/ as it was — no new kept copy that a later
# rollback or version count would trip over; once rename() has switched the
# feed, a failed fsync of the folder is a warning and the import says 0,
# since the new feed is live.  Faults come from tests/robust/faultshim.c.
cc -shared -fPIC -O1 -o shim.so "$TOP/tests/robust/faultshim.c" -ldl || die "cannot build the shim"
printf '[sync]\ntrust = open\n' > open.conf
cp -r "$TOP/tests/fixtures/bundles/good" old
cp -r old new
printf '%s\r\n' "再加一条,," >> new/noticeboard/ticker.csv
expect_status 0 "$SYNC" import --data base --config open.conf old > /dev/null 2>&1
kept_before=$(ls base/feeds)
# fail OP PATH : runs the import of new with the first OP on PATH failing.
fail() {
    rm -rf data calls.log; cp -a base data
    env ASAN_OPTIONS=verify_asan_link_order=0 LD_PRELOAD="$PWD/shim.so" FS_DATA="$PWD/data" FS_LOG="$PWD/calls.log" \
        "$SYNC" import --data data --config open.conf new > /dev/null 2>&1 || true
    n=$(awk -v op="$1" -v p="$PWD/$2" '$2 == op && $3 == p { print $1; exit }' calls.log)
    [ -n "$n" ] || die "no $1 of $2 during an import"
    rm -rf data; cp -a base data
    st=0
    env ASAN_OPTIONS=verify_asan_link_order=0 LD_PRELOAD="$PWD/shim.so" FS_DATA="$PWD/data" FS_FAIL="$n" \
        "$SYNC" import --data data --config open.conf new > out.txt 2> err.txt || st=$?
}
fail link data/feed.db.new
[ "$st" -eq 4 ] || die "failed link of feed.db.new: exit $st, expected 4"
cmp -s data/feed.db base/feed.db || die "live feed changed though the import failed"
[ "$(ls data/feeds)" = "$kept_before" ] || die "feeds/ changed by a failed activation: $(ls data/feeds)"
fail fsync data/feeds
[ "$st" -eq 4 ] || die "failed fsync of feeds/: exit $st, expected 4"
[ "$(ls data/feeds)" = "$kept_before" ] || die "feeds/ changed by a failed activation: $(ls data/feeds)"
fail fsync data
[ "$st" -eq 0 ] || die "failed fsync after the switch: exit $st, expected 0 (the new feed is live)"
contains out.txt "更新成功"
[ "$(sqlite3 data/feed.db 'select count(*) from ticker')" = 3 ] || die "new feed not live"
contains err.txt "may not survive a power cut"
