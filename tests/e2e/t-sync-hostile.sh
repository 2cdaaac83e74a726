# Sync: hostile sticks.  Symlinks (to /etc/passwd, to ..) are skipped, a
# FIFO is never opened (the import must not hang), noticeboard/ itself
# may not be a symlink.
F=$TOP/tests/fixtures/bundles
printf '[sync]\ntrust = open\n' > open.conf
mkdir -p s1/noticeboard/media
printf 'title\n公告一\n' > s1/noticeboard/announcements.csv
ln -s /etc/passwd s1/noticeboard/events.csv
ln -s /etc/passwd s1/noticeboard/media/passwd.jpg
ln -s .. s1/noticeboard/media/up
mkfifo s1/noticeboard/ticker.csv
expect_status 0 timeout 20 "$SYNC" import --data data --config open.conf s1 > out.txt 2>&1
contains out.txt "events.csv: 不是普通文件"
contains out.txt "ticker.csv: 不是普通文件"
"$SYNC" status --data data > s.txt
contains s.txt "events: 0"
contains s.txt "announcements: 1"
[ ! -e data/staging/events.csv ] || die "symlink staged"
if sqlite3 data/feed.db "select * from events" | finds root; then die "passwd leaked"; fi

# A referenced image that is a symlink is not found in media/.
mkdir -p s2/noticeboard/media
printf 'title,image\n海报,passwd.jpg\n' > s2/noticeboard/announcements.csv
ln -s /etc/passwd s2/noticeboard/media/passwd.jpg
expect_status 1 "$SYNC" import --data data --config open.conf s2 > o2.txt 2>&1
contains o2.txt "图片“passwd.jpg”在 media 文件夹中找不到"

# media/ itself a symlink to the parent: skipped, nothing read through it.
mkdir -p s3/noticeboard
printf 'title,image\n海报,announcements.csv\n' > s3/noticeboard/announcements.csv
ln -s .. s3/noticeboard/media
expect_status 1 "$SYNC" import --data data --config open.conf s3 > o3.txt 2>&1
contains o3.txt "在 media 文件夹中找不到"

# noticeboard/ as a symlink to elsewhere: refused (O_NOFOLLOW).
mkdir -p elsewhere/noticeboard s4
cp -r "$F/good/noticeboard/." elsewhere/noticeboard/
ln -s ../elsewhere/noticeboard s4/noticeboard
cp data/feed.db before.db
expect_status 1 "$SYNC" import --data data --config open.conf s4 > o4.txt 2>&1
cmp data/feed.db before.db || die "live feed changed"
