# build.sh — builds the hostile sticks of tests/hostile/cases.tsv (sourced by
# tests/robust/r-hostile.sh).  `hostile_build NAME DIR` makes DIR a stick for
# case NAME; big cases are generated here at test time (sparse files, many
# files, deep folders), small fixed files come from tests/hostile/files and
# tests/fixtures/images.  HOSTILE_SMALL=1 makes the slowest cases small.
HOSTILE_FILES=$TOP/tests/hostile/files

ok_row() {  # a valid announcements.csv
    printf 'title,body\n公告一,正文\n' > "$1/announcements.csv"
}

hostile_build() {
    local name=$1 dir=$2 nb=$2/noticeboard
    mkdir -p "$nb"
    case $name in
    symlink-passwd)     # every CSV name a symlink to /etc/passwd: nothing read
        for k in announcements events honors ticker holidays settings; do
            ln -s /etc/passwd "$nb/$k.csv"
        done ;;
    symlink-media)      # an image that is a symlink to /etc/passwd
        mkdir -p "$nb/media"
        ln -s /etc/passwd "$nb/media/passwd.jpg"
        printf 'title,image\n海报,passwd.jpg\n' > "$nb/announcements.csv" ;;
    dotdot-image)       # ../ in an image name
        mkdir -p "$nb/media"
        printf 'title,image\n海报,../../../../etc/passwd\n' > "$nb/announcements.csv" ;;
    dotdot-media)       # media/ itself a symlink to ..
        ln -s .. "$nb/media"
        printf 'title,image\n海报,announcements.csv\n' > "$nb/announcements.csv" ;;
    fifo)               # a FIFO where a CSV should be: never opened
        mkfifo "$nb/announcements.csv" "$nb/events.csv" ;;
    sparse-2g)          # a 2 GB sparse "photo"
        ok_row "$nb"; mkdir -p "$nb/media"
        truncate -s 2G "$nb/media/big.jpg" ;;
    sparse-csv)         # a 2 GB sparse CSV
        truncate -s 2G "$nb/announcements.csv" ;;
    many-files)         # 100,000 files in media/ (small: 3,000, still over the cap)
        ok_row "$nb"; mkdir -p "$nb/media"
        local n=100000; [ -z "${HOSTILE_SMALL:-}" ] || n=3000
        python3 -c 'import os, sys
for i in range(int(sys.argv[2])):
    os.close(os.open(os.path.join(sys.argv[1], "f%06d.jpg" % i), os.O_CREAT | os.O_WRONLY))' "$nb/media" "$n" ;;
    png-60000)          # a PNG whose header claims 60000x60000 pixels
        mkdir -p "$nb/media"
        cp "$TOP/tests/fixtures/images/huge-header.png" "$nb/media/huge.png"
        printf 'title,image\n海报,huge.png\n' > "$nb/announcements.csv" ;;
    jpeg-truncated)     # a JPEG cut off in the middle
        mkdir -p "$nb/media"
        cp "$TOP/tests/fixtures/images/truncated.jpg" "$nb/media/cut.jpg"
        printf 'title,image\n海报,cut.jpg\n' > "$nb/announcements.csv" ;;
    jpeg-named-png)     # a PNG name over JPEG bytes over text: by magic only
        mkdir -p "$nb/media"
        printf 'not an image at all' > "$nb/media/fake.png"
        printf 'title,image\n海报,fake.png\n' > "$nb/announcements.csv" ;;
    jpeg-scan-bomb|jpeg-scan-bomb-arith)   # 20,000 empty progressive scans in 220 KB
        mkdir -p "$nb/media"
        python3 "$TOP/tests/hostile/mkimage.py" scans "$nb/media/bomb.jpg" 4096 4096 20000 \
            "$([ "$name" = jpeg-scan-bomb-arith ] && echo arith)"
        printf 'title,image\n海报,bomb.jpg\n' > "$nb/announcements.csv" ;;
    jpeg-progressive-8192)  # 129 bytes asking for 384 MB of coefficients
        mkdir -p "$nb/media"
        python3 "$TOP/tests/hostile/mkimage.py" coefs "$nb/media/big.jpg" 8192 8192 3
        printf 'title,image\n海报,big.jpg\n' > "$nb/announcements.csv" ;;
    png-8192-rgba)      # 270 KB that decode to 256 MB (and a 256 MB copy)
        mkdir -p "$nb/media"
        python3 "$TOP/tests/hostile/mkimage.py" png "$nb/media/big.png" 8192 8192 6
        printf 'title,image\n海报,big.png\n' > "$nb/announcements.csv" ;;
    problems-64-columns)   # every kind at its row cap, 64 cells a row, every cell a problem
        python3 - "$nb" <<'PY'
import os, sys
kinds = {"announcements.csv": (1000, 9), "events.csv": (5000, 7), "honors.csv": (5000, 8),
         "ticker.csv": (500, 3), "holidays.csv": (1000, 3), "settings.csv": (100, 2)}
heads = {"announcements.csv": "标题,内容,图片,开始,结束,星期,时段,时长,级别",
         "events.csv": "日期,活动,开始时间,结束时间,地点,主办,备注",
         "honors.csv": "榜单,姓名,荣誉,单位,年度,照片,开始,结束",
         "ticker.csv": "内容,开始,结束", "holidays.csv": "日期,类型,名称", "settings.csv": "项目,值"}
for name, (rows, ncols) in kinds.items():
    with open(os.path.join(sys.argv[1], name), "w", encoding="utf-8") as f:
        f.write(heads[name] + "\n")
        for i in range(rows):
            f.write(",".join(["坏" + str(i)] * ncols + ["x"] * (64 - ncols)) + "\n")
PY
        ;;
    nul-cell)           # 测\0试: a NUL inside a cell once cut it to 测, silently
        printf 'title,body\n\xe6\xb5\x8b\x00\xe8\xaf\x95,正文\n' > "$nb/announcements.csv" ;;
    case-duplicate)     # Announcements.csv and announcements.csv
        printf 'title\n甲\n' > "$nb/Announcements.csv"
        printf 'title\n乙\n' > "$nb/announcements.csv" ;;
    name-4k)            # a 4 KiB image name in a cell, a 255-byte file name,
                        # a 4 KiB path of folders
        mkdir -p "$nb/media"
        local long; long=$(printf 'a%.0s' $(seq 4096))
        printf 'title,image\n海报,%s.jpg\n' "$long" > "$nb/announcements.csv"
        : > "$nb/media/$(printf 'b%.0s' $(seq 251)).jpg"
        (cd "$nb/media" && for i in $(seq 16); do
            d=$(printf "d$i%.0s" $(seq 80)); mkdir "$d" && cd "$d"; done) ;;
    deep-10000)         # folders 10,000 deep (small: 500) in media/ and beside it
        ok_row "$nb"; mkdir -p "$nb/media"
        local depth=10000; [ -z "${HOSTILE_SMALL:-}" ] || depth=500
        python3 - "$nb/media" "$nb" "$depth" <<'PY'
import os, sys
for top in sys.argv[1:3]:
    fd = os.open(top, os.O_RDONLY)
    for i in range(int(sys.argv[3])):          # relative: never near PATH_MAX
        os.mkdir("d", dir_fd=fd)
        nfd = os.open("d", os.O_RDONLY, dir_fd=fd)
        os.close(fd)
        fd = nfd
    os.close(fd)
PY
        ;;
    bad-utf8)           # bytes invalid in UTF-8 and in GB18030 in every column
        cp "$HOSTILE_FILES/bad-utf8-announcements.csv" "$nb/announcements.csv"
        cp "$HOSTILE_FILES/bad-utf8-events.csv" "$nb/events.csv" ;;
    rows-1m)            # a CSV of 1,000,000 rows, every row valid (fast: always full)
        { printf 'date,title\n'; awk 'BEGIN { for (i = 0; i < 1000000; i++) print "2026-12-01,活动" }'; } > "$nb/events.csv" ;;
    columns-10000)      # one header row of 10,000 columns
        { printf 'title'; for i in $(seq 9999); do printf ',c%d' "$i"; done; printf '\n甲\n'; } \
            > "$nb/announcements.csv" ;;
    feeddb-trigger)     # a feed.db with a trigger that would write on read
        hostile_feed_db "$nb/feed.db" \
            "CREATE TRIGGER t AFTER INSERT ON announcements BEGIN DELETE FROM announcements; END;" ;;
    feeddb-view)        # a feed.db with a view that calls functions
        hostile_feed_db "$nb/feed.db" \
            "CREATE VIEW v AS SELECT randomblob(2000000000), load_extension('/tmp/x.so');" ;;
    feeddb-control)     # ESC, CR, TAB and BEL in a feed.db's texts (they reached status and plan raw)
        hostile_feed_db "$nb/feed.db" "UPDATE ticker SET text = '欢迎' || char(27) || '[2J' || char(7);
            UPDATE settings SET value = 'a' || char(13) || char(9) || 'b' WHERE key = 'org_name';" ;;
    feeddb-long)        # cells over the sheets' limits in a feed.db (issue 15 item 3)
        hostile_feed_db "$nb/feed.db" "UPDATE announcements SET title = printf('%.300c', 'x')
            WHERE id = (SELECT min(id) FROM announcements);
            UPDATE events SET place = printf('%.201c', 'p');" ;;
    feeddb-duration)    # a 时长 of a day: the feed's own check allows it, a sheet does not
        hostile_feed_db "$nb/feed.db" "UPDATE announcements SET duration = 86400;" ;;
    feeddb-rows)        # 1,001 more announcements than a sheet may hold (copies of the
                        # first row, whatever the table's columns)
        hostile_feed_db "$nb/feed.db" "CREATE TEMP TABLE t AS SELECT * FROM announcements
            WHERE id = (SELECT min(id) FROM announcements); UPDATE t SET id = 1000;
            $(for i in $(seq 1001); do printf 'UPDATE t SET id = id + 1; INSERT INTO announcements SELECT * FROM t; '; done)" ;;
    feeddb-pages)       # a feed.db whose header claims 2^31-1 pages
        hostile_feed_db "$nb/feed.db" ""
        printf '\x7f\xff\xff\xff' | dd of="$nb/feed.db" bs=1 seek=28 conv=notrunc status=none ;;
    feeddb-garbage)     # a feed.db that is no database
        head -c 65536 /dev/urandom > "$nb/feed.db" ;;
    feeddb-and-csv)     # feed.db and CSV files in one bundle
        hostile_feed_db "$nb/feed.db" ""
        ok_row "$nb" ;;
    empty-folder)       # noticeboard/ with nothing in it
        ;;
    no-folder)          # a stick without noticeboard/
        rmdir "$nb"; printf 'title\n甲\n' > "$dir/announcements.csv" ;;
    dir-as-csv)         # a folder named announcements.csv
        mkdir "$nb/announcements.csv" ;;
    grows-while-read)   # a CSV that keeps growing while the import reads it
        { printf 'date,title\n'; awk 'BEGIN { for (i = 0; i < 200000; i++) print "2026-12-01,活动" }'; } > "$nb/events.csv" ;;
    posters-symlink)    # a poster that is a symlink to /etc/passwd, beside a good one
        mkdir -p "$nb/海报"
        ln -s /etc/passwd "$nb/海报/passwd.jpg"
        cp "$TOP/tests/fixtures/images/small.jpg" "$nb/海报/1.jpg" ;;
    posters-dir-link)   # 海报/ itself a symlink to the box's /etc: never listed
        ok_row "$nb"
        ln -s /etc "$nb/海报" ;;
    posters-sparse)     # a 2 GB sparse "poster"
        mkdir -p "$nb/海报"
        truncate -s 2G "$nb/海报/big.jpg" ;;
    posters-many)       # one picture more than the folder may hold
        mkdir -p "$nb/海报"
        for i in $(seq 0 200); do cp "$TOP/tests/fixtures/images/small.jpg" "$nb/海报/$i.jpg"; done ;;
    posters-odd-names)  # a control character, a backslash, a 250-byte name
        mkdir -p "$nb/海报"
        cp "$TOP/tests/fixtures/images/small.jpg" "$nb/海报/$(printf 'a\001b.jpg')"
        cp "$TOP/tests/fixtures/images/small.jpg" "$nb/海报/a\\b.jpg"
        cp "$TOP/tests/fixtures/images/small.jpg" "$nb/海报/$(printf 'x%.0s' $(seq 246)).jpg"
        cp "$TOP/tests/fixtures/images/small.jpg" "$nb/海报/ok.jpg" ;;
    posters-fake-pdf)   # text named .pdf
        mkdir -p "$nb/海报"
        printf 'not a pdf at all\n' > "$nb/海报/假的.pdf" ;;
    posters-locked-pdf) # a PDF with an open password
        mkdir -p "$nb/海报"
        cp "$TOP/tests/fixtures/pdf/locked.pdf" "$nb/海报/加密.pdf" ;;
    posters-png-bomb)   # 270 KB that decode to 256 MB
        mkdir -p "$nb/海报"
        python3 "$TOP/tests/hostile/mkimage.py" png "$nb/海报/big.png" 8192 8192 6 ;;
    posters-two-folders)    # 海报 and Posters: which is meant cannot be guessed
        mkdir -p "$nb/海报" "$nb/Posters"
        cp "$TOP/tests/fixtures/images/small.jpg" "$nb/海报/1.jpg"
        cp "$TOP/tests/fixtures/images/small.jpg" "$nb/Posters/1.jpg" ;;
    posters-many-others)    # 100,000 files that are no posters (small: 3,000) and one that is
        mkdir -p "$nb/海报"
        local n=100000; [ -z "${HOSTILE_SMALL:-}" ] || n=3000
        python3 -c 'import os, sys
for i in range(int(sys.argv[2])):
    os.close(os.open(os.path.join(sys.argv[1], "f%06d.txt" % i), os.O_CREAT | os.O_WRONLY))' "$nb/海报" "$n"
        cp "$TOP/tests/fixtures/images/small.jpg" "$nb/海报/1.jpg" ;;
    posters-only-bad)   # nothing usable: a cut JPEG and text named .png
        mkdir -p "$nb/海报"
        cp "$TOP/tests/fixtures/images/truncated.jpg" "$nb/海报/cut.jpg"
        printf 'text' > "$nb/海报/fake.png" ;;
    *) echo "no such hostile case: $name" >&2; return 1 ;;
    esac
}

# hostile_feed_db FILE SQL : a feed.db exported from a good import, plus SQL.
hostile_feed_db() {
    [ -s "$HOSTILE_GOOD_DB" ] || { echo "HOSTILE_GOOD_DB unset" >&2; return 1; }
    cp "$HOSTILE_GOOD_DB" "$1"
    [ -z "$2" ] || sqlite3 "$1" "PRAGMA journal_mode=DELETE; $2" > /dev/null
}

# hostile_build_write NAME DIR : a stick for case NAME of writes.tsv (export,
# init and the report writing onto a crafted stick).  HOSTILE_LIVE is the
# box's live feed.db, HOSTILE_DIGEST its stored key digest, HOSTILE_KEY this
# box's own key file, HOSTILE_VICTIM a folder standing in for the data folder.
hostile_build_write() {
    local name=$1 dir=$2 nb=$2/noticeboard
    case $name in
    tmp-links)          # the old fixed temporary names, linked to the box
        cp "$HOSTILE_KEY" "$nb/noticeboard.key"     # init keeps a valid key
        ln -s "$HOSTILE_LIVE" "$nb/ticker.csv.tmp"
        ln -s "$HOSTILE_DIGEST" "$nb/holidays.csv.tmp"
        ln -s "$HOSTILE_VICTIM/guide.txt" "$nb/使用说明.txt.tmp"
        ln -s "$HOSTILE_LIVE" "$nb/settings.csv.tmp"
        mkdir -p "$nb/media" "$nb/playlog"
        ln -s "$HOSTILE_LIVE" "$nb/playlog/2026-11-22.tsv.tmp" ;;
    tmp-links-init)     # the same for init (a CSV absent, so it is written)
        hostile_build_write tmp-links "$dir" ;;
    file-links)         # the files themselves linked to the box
        cp "$HOSTILE_KEY" "$nb/noticeboard.key"
        ln -s "$HOSTILE_LIVE" "$nb/ticker.csv"
        ln -s "$HOSTILE_DIGEST" "$nb/events.csv"
        ln -s "$HOSTILE_VICTIM/guide.txt" "$nb/内容.xlsx" ;;
    file-links-init)
        hostile_build_write file-links "$dir" ;;
    key-link)           # noticeboard.key itself a link to the live feed
        ln -s "$HOSTILE_LIVE" "$nb/noticeboard.key" ;;
    noticeboard-link|noticeboard-link-init)   # noticeboard/ a link to the data folder
        rmdir "$nb"; ln -s "$HOSTILE_VICTIM" "$nb" ;;
    media-link|media-link-init)               # media/ a link to the data folder
        ln -s "$HOSTILE_VICTIM" "$nb/media" ;;
    playlog-link)       # playlog/ a link to the data folder
        ln -s "$HOSTILE_VICTIM" "$nb/playlog" ;;
    reports-link)       # reports/ a link to the data folder (import writes a report)
        ok_row "$nb"; ln -s "$HOSTILE_VICTIM" "$nb/reports" ;;
    *) echo "no such write case: $name" >&2; return 1 ;;
    esac
}
