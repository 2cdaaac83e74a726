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
# Beside its report, the picture of what would play (the staged feed drawn
# by the player's sheet), as after an import; nothing of it stays behind.
rep=$(ls ho/noticeboard/reports/*.txt)
png=${rep%.txt}.png
[ "$(head -c 8 "$png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] || die "no picture beside the dry run's report"
grep -q "每一页的样子见" "$rep" || die "the dry run's report does not point to its picture"
[ "$(identify -format '%w' "$png")" -gt 400 ] || die "the dry run's picture is too small"
[ -z "$(ls -A data/staging)" ] || die "the dry run left staging behind: $(ls -R data/staging)"
[ ! -e data/preview ] || die "the preview's data folder is in the live one"
[ "$(ls data/feeds | wc -l)" = 1 ] || die "dry-run kept a feed"
# A dry run still rejects bad content.
cp -r "$F/bad-date" bad
expect_status 1 "$SYNC" import --data data --config open.conf --dry-run bad > /dev/null 2>&1

# Rollback: import v2 (ticker cleared), roll back to v1 exactly.
expect_status 0 "$SYNC" import --data data --config open.conf ho > /dev/null 2>&1
"$SYNC" status --data data | finds "^ticker: 0" || die "v2 not live"
expect_status 0 "$SYNC" rollback --data data > r.txt 2>&1
contains r.txt "回退成功"
cmp data/feed.db v1.db || die "rollback did not restore v1 byte for byte"
"$SYNC" status --data data > s.txt
contains s.txt "ticker: 2"
# After a rollback the next import gets a fresh version above every kept one.
expect_status 0 "$SYNC" import --data data --config open.conf good > /dev/null 2>&1
contains <("$SYNC" status --data data) "feed_version: 3"
