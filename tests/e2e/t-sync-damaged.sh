# A damaged live feed (SD-card rot) must not lock the board: rollback finds
# the newest kept feed that still opens (not the live file's own hard link
# in feeds/), and an import starts from it.
mkdir -p stick/noticeboard
printf '[sync]\ntrust = open\n' > open.conf
for i in 1 2 3; do
    printf 'title,body\n第%s版,内容\n' "$i" > stick/noticeboard/announcements.csv
    "$SYNC" import --data data --config open.conf stick > "import$i.txt" 2>&1 || die "import $i"
done
printf 'text\n滚动\n' > stick/noticeboard/ticker.csv
# Rot: the first 100 bytes of the live file (also feeds/00000003.db: same inode).
dd if=/dev/urandom of=data/feed.db bs=100 count=1 conv=notrunc status=none
expect_status 0 "$SYNC" rollback --data data
"$SYNC" status --data data > st1.txt
contains st1.txt "feed_version: 2"
# An import after the damage works, and keeps the kinds the stick lacks.
rm stick/noticeboard/announcements.csv
dd if=/dev/urandom of=data/feed.db bs=100 count=1 conv=notrunc status=none
expect_status 0 "$SYNC" import --data data --config open.conf stick
"$SYNC" status --data data > st2.txt
contains st2.txt "announcements: 1"
contains st2.txt "ticker: 1"
