# Sync: a header-only file clears its kind, an absent file keeps it,
# feed.db plus CSV files is an error, a bad image is skipped with a warning.
F=$TOP/tests/fixtures/bundles
printf '[sync]\ntrust = open\n' > open.conf
cp -r "$F/good" good
expect_status 0 "$SYNC" import --data data --config open.conf good > /dev/null 2>&1
cp -r "$F/header-only" ho
expect_status 0 "$SYNC" import --data data --config open.conf ho > out.txt 2>&1
"$SYNC" status --data data > s.txt
contains s.txt "ticker: 0"          # header only: cleared
contains s.txt "announcements: 3"   # absent: kept
contains s.txt "honors: 3"
contains s.txt "feed_version: 2"
# Kept kinds keep their media (poster, photo and logo blobs carried over).
[ "$(sqlite3 data/feed.db "select count(*) from media")" = 3 ] || die "kept media lost"

# feed.db together with CSV files.
cp data/feed.db before.db
mkdir -p both/noticeboard
cp data/feed.db both/noticeboard/feed.db
printf 'text\n你好\n' > both/noticeboard/ticker.csv
expect_status 1 "$SYNC" import --data data --config open.conf both > b.txt 2>&1
contains b.txt "同时有 feed.db 和表格文件"
cmp data/feed.db before.db || die "live feed changed"

# feed.db alone: checked, loaded and rewritten as a new version.
rm both/noticeboard/ticker.csv
expect_status 0 "$SYNC" import --data data --config open.conf both > f.txt 2>&1
"$SYNC" status --data data > s2.txt
contains s2.txt "feed_version: 3"
contains s2.txt "announcements: 3"
# A feed.db that is not a feed.
mkdir -p junk/noticeboard
echo "not a database" > junk/noticeboard/feed.db
expect_status 1 "$SYNC" import --data data --config open.conf junk > j.txt 2>&1
contains j.txt "feed.db: 不是有效的公告屏内容文件"

# A broken image is skipped: the import succeeds, the row has no image.
cp -r "$F/bad-image" bi
expect_status 0 "$SYNC" import --data data --config open.conf bi > i.txt 2>&1
contains i.txt "更新成功：2条公告"
contains i.txt "图片“broken.jpg”无法使用"
[ "$(sqlite3 data/feed.db "select count(*) from announcements where image is not null")" = 0 ] ||
    die "broken image kept"
