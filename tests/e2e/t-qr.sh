# 二维码: a qr column on announcements and events is drawn on the slide and
# decodes back to the text staff typed (zbarimg), landscape, portrait, a
# poster with a code, and a 720p screen; an older feed (v2) still plays.
command -v zbarimg >/dev/null || die "zbarimg missing (apt-get install zbar-tools)"
at '2026-11-01 08:00'
mkdir -p stick/noticeboard/media
cp "$TOP/tests/fixtures/images/small.jpg" stick/noticeboard/media/poster.jpg
cd stick/noticeboard
url='https://example.org/volunteer?id=2026&from=大厅'
printf 'title,body,image,qr,start,end\n志愿者招募,扫码报名参加社区志愿服务队。,,%s,2026-11-01,2026-11-30\n,,poster.jpg,公众号：幸福社区,2026-11-01,2026-11-30\n' "$url" > announcements.csv
printf 'date,title,start_time,end_time,place,二维码\n2026-11-22,书法班,9:00,11:00,二楼书画室,报名：社区书法班 13800000000\n2026-11-23,义诊,8:30,11:00,卫生服务站,\n' > events.csv
cd "$T"
printf '[sync]\ntrust = open\n' > open.conf
"$SYNC" import --data data --config open.conf stick > import.txt 2>&1 || { cat import.txt; die "import failed"; }

decode() { zbarimg -q --raw -Sbinary "$1" 2>/dev/null; }
for size in 1920x1080 1080x1920 1280x720; do
    rm -rf out
    expect_status 0 "$NB" render --data data --config open.conf --at '2026-11-22 10:00' --size $size --out out > paths.txt
    [ "$(decode out/01-announcement.png)" = "$url" ] || die "$size: announcement code reads '$(decode out/01-announcement.png)'"
    [ "$(decode out/02-announcement.png)" = "公众号：幸福社区" ] || die "$size: poster code reads '$(decode out/02-announcement.png)'"
    [ "$(decode out/03-events.png)" = "报名：社区书法班 13800000000" ] || die "$size: events code reads '$(decode out/03-events.png)'"
done

# At least 6 px a module on 1080p (a metre from the screen): the code,
# shrunk to a sixth, no longer reads; shrunk to a half it still does.
rm -rf out
"$NB" render --data data --config open.conf --at '2026-11-22 10:00' --out out > /dev/null
convert out/01-announcement.png -filter point -resize 50% half.png
[ "$(decode half.png)" = "$url" ] || die "code does not survive half size: modules too small"

# Export writes the column back; too long a text is refused with the column named.
mkdir ex
expect_status 0 "$SYNC" export --csv --data data ex
contains ex/noticeboard/announcements.csv "$url"
contains ex/noticeboard/events.csv "报名：社区书法班 13800000000"
long=$(printf '码%.0s' $(seq 1 167))   # 501 bytes
mkdir -p bad/noticeboard
printf 'title,qr\n太长,%s\n' "$long" > bad/noticeboard/announcements.csv
expect_status 1 "$SYNC" import --data data --config open.conf bad > bad.txt 2>&1
contains bad.txt "二维码太长"

# A schema v2 feed (no qr columns) still loads and plays.
cp data/feed.db v2.db
sqlite3 v2.db "ALTER TABLE announcements DROP COLUMN qr; ALTER TABLE announcements DROP COLUMN countdown; ALTER TABLE events DROP COLUMN qr; PRAGMA user_version = 2; UPDATE meta SET value = '2' WHERE key = 'schema_version';"
mkdir -p old && cp v2.db old/feed.db
expect_status 0 "$NB" plan --data old --config open.conf --at '2026-11-22 10:00' > plan-old.txt
[ "$(wc -l < plan-old.txt)" = 3 ] || die "v2 feed: $(cat plan-old.txt)"
