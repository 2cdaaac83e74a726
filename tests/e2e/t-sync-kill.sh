# Sync: kill -9 at several points of an import leaves DATA/feed.db exactly
# old or exactly new (never damaged), and the next import works and cleans
# the leftovers.
F=$TOP/tests/fixtures/bundles
printf '[sync]\ntrust = open\n' > open.conf
cp -r "$F/good" good
expect_status 0 "$SYNC" import --data data --config open.conf good > /dev/null 2>&1
cp data/feed.db old.db
slow_bundle big
for delay in 0.01 0.05 0.1 0.2 0.3 0.5 0.7 0.85 0.9 0.95 1.0; do
    "$SYNC" import --data data --config open.conf big > /dev/null 2>&1 &
    pid=$!
    sleep "$delay"
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    if ! cmp -s data/feed.db old.db; then
        # Activated before the kill: it must be the whole new feed.
        [ "$(sqlite3 data/feed.db 'pragma integrity_check')" = ok ] || die "damaged feed after kill at $delay"
        [ "$(sqlite3 data/feed.db 'select count(*) from announcements')" = 30 ] ||
            die "partial feed after kill at $delay"
        cp data/feed.db old.db
    fi
    "$SYNC" status --data data > /dev/null || die "status fails after kill at $delay"
done
expect_status 0 "$SYNC" import --data data --config open.conf big > out.txt 2>&1
contains out.txt "更新成功：30条公告"
[ -z "$(ls -A data/staging)" ] || die "staging leftovers not cleaned"
ls data/feeds/ | finds -vE '^[0-9]{8}\.db$' && die "stray files in feeds/"
true
