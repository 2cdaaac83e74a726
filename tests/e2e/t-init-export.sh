# t-init-export: init writes templates that import once staff filled them
# (an untouched example is refused, saying so); export writes the
# live content back so that importing the export gives the same content
# (same counts, and a second export is byte-identical to the first).
printf '[sync]\ntrust = open\n' >open.conf

# init-1: templates, guide, media folder; BOM + CRLF; no key under open trust.
$SYNC init --data data --config open.conf stick >init.out
for f in announcements events honors ticker holidays settings; do
    [ -f stick/noticeboard/$f.csv ] || die "init did not write $f.csv"
    head -c 3 stick/noticeboard/$f.csv | od -An -tx1 | grep -q 'ef bb bf' || die "$f.csv lacks a BOM"
    grep -q $'\r$' stick/noticeboard/$f.csv || die "$f.csv is not CRLF"
    [ "$(wc -l <stick/noticeboard/$f.csv)" -ge 2 ] || die "$f.csv lacks an example row"
done
[ -d stick/noticeboard/media ] || die "no media folder"
contains stick/noticeboard/使用说明.txt "工作日"
contains stick/noticeboard/使用说明.txt "reports"
[ ! -e stick/noticeboard/noticeboard.key ] || die "open trust must not write a key"

# init-2: untouched, the templates are refused, each example named, and
# nothing changes; filled in (each example replaced), they import.
expect_status 1 $SYNC import --data data --config open.conf stick >imp0.out 2>&1
contains imp0.out "announcements.csv:2:1: 这一行是模板里的示例（标题“社区服务大厅办公时间”）"
contains imp0.out "honors.csv:2:1: 这一行是模板里的示例（姓名“张三”）"
contains imp0.out "settings.csv:2:2: 单位名称还是模板里的示例"
[ ! -e data/feed.db ] || die "an untouched template made a feed"
fill_templates stick
$SYNC import --data data --config open.conf stick >imp1.out 2>&1 || { cat imp1.out; die "templates did not import"; }
$SYNC status --data data >st1
for k in announcements events honors ticker; do grep -q "^$k: 1$" st1 || { cat st1; die "$k is not 1"; }; done

# init-3: richer content: an image, day lists, hours, timed ends, urgent,
# a roll of two, 调休 — then export, import the export, export again.
mkdir -p rich/noticeboard/media
cp "$TOP/tests/fixtures/images/small.jpg" rich/noticeboard/media/海报.jpg
cp "$TOP/tests/fixtures/images/alpha.png" rich/noticeboard/media/logo.png
printf '\xef\xbb\xbf标题,内容,图片,开始,结束,星期,时段,时长,级别\r\n' >rich/noticeboard/announcements.csv
printf '停水通知,"明天停水。\n请提前储水。",海报.jpg,2026/11/20,2026年12月1日,"周一,周三,周五","08:00-12:00,20:00-02:00",15,紧急\r\n' >>rich/noticeboard/announcements.csv
printf '只在工作日,内容,,2026-11-01 09:30,2026-12-01 18:00,工作日,,8,重要\r\n' >>rich/noticeboard/announcements.csv
printf '海报,,media/海报.jpg,,,周末,,,\r\n' >>rich/noticeboard/announcements.csv
printf '\xef\xbb\xbf榜单,姓名,荣誉,单位,年度,照片,开始,结束\r\n好人榜,李四,好邻居,一网格,2026,海报.jpg,2026-01-01,2026-12-31\r\n好人榜,王五,"志愿者, 优秀",二网格,2026,,2026-01-01,2026-12-31\r\n' >rich/noticeboard/honors.csv
printf '\xef\xbb\xbf日期,类型,名称\r\n2026-10-01,休,国庆节\r\n2026-10-11,班,国庆调休\r\n' >rich/noticeboard/holidays.csv
printf '\xef\xbb\xbf项目,值\r\n单位名称,幸福里社区\r\n标志,logo.png\r\n' >rich/noticeboard/settings.csv
$SYNC import --data data --config open.conf rich >imp2.out 2>&1 || { cat imp2.out; die "rich bundle did not import"; }
$SYNC status --data data >st2

mkdir -p data/playlog && printf '2026-11-22 09:00\tannouncement\t1\n' >data/playlog/2026-11-22.tsv
$SYNC export --data data out1 >exp1.out || die "export failed"
contains exp1.out "已导出"
[ -f out1/noticeboard/playlog/2026-11-22.tsv ] || die "play log not exported"
# The device stores media by content hash; export names them HASH.jpg/.png
# and the CSV cells name the same files.
[ "$(ls out1/noticeboard/media | grep -c '\.jpg$')" -eq 1 ] || die "poster not exported"
[ "$(ls out1/noticeboard/media | grep -c '\.png$')" -eq 1 ] || die "logo (with alpha) not exported as PNG"
for m in out1/noticeboard/media/*; do
    grep -qF "$(basename "$m")" out1/noticeboard/*.csv || die "no CSV names $m"
done
head -c 3 out1/noticeboard/announcements.csv | od -An -tx1 | grep -q 'ef bb bf' || die "export lacks a BOM"
contains out1/noticeboard/announcements.csv "紧急"
contains out1/noticeboard/announcements.csv ",2026-11-20,2026-12-01,"   # a bare end date stays bare (inclusive)
contains out1/noticeboard/announcements.csv "2026-12-01 18:00"
contains out1/noticeboard/holidays.csv "班"

rm -rf out1/noticeboard/playlog
$SYNC import --data data --config open.conf out1 >imp3.out 2>&1 || { cat imp3.out; die "the export did not import"; }
$SYNC status --data data >st3
for k in announcements events honors rolls ticker holidays; do
    a=$(grep "^$k:" st2); b=$(grep "^$k:" st3)
    [ "$a" = "$b" ] || die "round trip changed $k: '$a' -> '$b'"
done
$SYNC export --data data out2 >/dev/null || die "second export failed"
# Media are re-encoded on every import, so their hash names may change;
# everything else must be byte-identical.
norm() { sed -E 's/[0-9a-f]{64}\.(jpg|png)/MEDIA.\1/g' "$1"; }
for f in announcements events honors ticker holidays settings; do
    diff <(norm out1/noticeboard/$f.csv) <(norm out2/noticeboard/$f.csv) || die "$f.csv changed across a round trip"
done

# init-4: export with no feed is refused (1); usage errors are 2.
expect_status 1 $SYNC export --data empty out3
expect_status 2 $SYNC export --data data
expect_status 2 $SYNC init --data data --bogus stick
