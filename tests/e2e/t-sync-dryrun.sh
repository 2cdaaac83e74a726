# Sync: --dry-run checks everything and changes nothing; rollback brings
# the previous feed back.
F=$TOP/tests/fixtures/bundles
printf '[sync]\ntrust = open\n' > open.conf
cp -r "$F/good" good
expect_status 0 "$SYNC" import --data data --config open.conf good > /dev/null 2>&1
cp data/feed.db v1.db
cp -r "$F/header-only" ho
expect_status 0 "$SYNC" import --data data --config open.conf --dry-run ho > d.txt 2>&1
contains d.txt "检查通过"
cmp data/feed.db v1.db || die "dry-run changed the live feed"
[ "$(ls data/feeds | wc -l)" = 1 ] || die "dry-run kept a feed"
# A dry run still rejects bad content.
cp -r "$F/bad-date" bad
expect_status 1 "$SYNC" import --data data --config open.conf --dry-run bad > /dev/null 2>&1

# Rollback: import v2 (ticker cleared), roll back to v1 exactly.
expect_status 0 "$SYNC" import --data data --config open.conf ho > /dev/null 2>&1
"$SYNC" status --data data | grep -q "^ticker: 0" || die "v2 not live"
expect_status 0 "$SYNC" rollback --data data > r.txt 2>&1
contains r.txt "回退成功"
cmp data/feed.db v1.db || die "rollback did not restore v1 byte for byte"
"$SYNC" status --data data > s.txt
contains s.txt "ticker: 2"
# After a rollback the next import gets a fresh version above every kept one.
expect_status 0 "$SYNC" import --data data --config open.conf good > /dev/null 2>&1
contains <("$SYNC" status --data data) "feed_version: 3"
