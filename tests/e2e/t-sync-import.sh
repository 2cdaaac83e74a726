# Sync: a good bundle (UTF-8 BOM announcements, GB18030 CRLF events, media)
# imports with exit 0; status counts, report on the stick, state files.
F=$TOP/tests/fixtures/bundles
printf '[sync]\ntrust = open\n' > open.conf
cp -r "$F/good" stick
expect_status 0 "$SYNC" import --data data --config open.conf stick > out.txt 2> err.txt
contains out.txt "更新成功：3条公告、3项活动、3位表彰、2条滚动消息"
"$SYNC" status --data data > status.txt
contains status.txt "feed_version: 1"
contains status.txt "announcements: 3"
contains status.txt "events: 3"
contains status.txt "honors: 3"
contains status.txt "ticker: 2"
grep -q '^imported_at: 20[0-9][0-9]-' status.txt || die "imported_at missing"
# GB18030 events decoded: the title and a multi-line note came through.
[ "$(sqlite3 data/feed.db "select count(*) from events where title = '书法班（老年大学）'")" = 1 ] ||
    die "GB18030 event title not imported"
# Media: poster (also referenced as media/Poster.PNG), photo and logo stored
# under their sha256 names.
[ "$(sqlite3 data/feed.db "select count(*) from media")" = 3 ] || die "expected 3 media blobs"
sqlite3 data/feed.db "select name from media" | finds -E '^[0-9a-f]{64}$' || die "media not sha256-named"
# Report on the stick: UTF-8 BOM, CRLF, result line first.
rep=$(ls stick/noticeboard/reports/*.txt)
[ "$(head -c 3 "$rep" | od -An -tx1 | tr -d ' ')" = efbbbf ] || die "report lacks BOM"
grep -q $'\r$' "$rep" || die "report lacks CRLF"
head -1 "$rep" | finds -F "更新成功" || die "report result line"
# State for the player and the clock logic.
[ "$(head -1 data/state/last-sync.txt)" = ok ] || die "last-sync.txt first line"
contains data/state/last-sync.txt "更新成功"
grep -qE '^20[0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]$' data/state/stick-time.txt ||
    die "stick-time.txt malformed"
# Staging is cleaned.
[ -z "$(ls -A data/staging)" ] || die "staging not cleaned"
# The demo bundle (UTF-16 holidays, GB18030 events) imports too.
cp -r "$TOP/assets/demo" demo
expect_status 0 "$SYNC" import --data data --config open.conf demo > demo.txt 2>&1
"$SYNC" status --data data > status2.txt
contains status2.txt "feed_version: 2"
contains status2.txt "events: 32"
