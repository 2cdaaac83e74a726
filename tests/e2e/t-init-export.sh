# t-init-export: init writes 内容.xlsx (or with --csv the CSV templates)
# and never touches a stick that already holds content; templates import
# once staff filled them (an untouched example is refused, saying so);
# export writes the live content back — media under the names staff gave
# them, cells a spreadsheet would run escaped — so that importing the
# export gives exactly the same plan over a month, and a second export is
# byte-identical to the first.
printf '[sync]\ntrust = open\n' >open.conf
at '2026-11-22 10:00'

# init-1: the workbook, guide, media folder; no CSV; no key under open trust.
$SYNC init --data data --config open.conf stick >init.out
contains init.out "内容.xlsx"
[ "$(head -c 2 stick/noticeboard/内容.xlsx)" = PK ] || die "内容.xlsx is not a workbook"
[ -z "$(ls stick/noticeboard | grep -i '\.csv$')" ] || die "init wrote CSV beside the workbook"
[ -d stick/noticeboard/media ] || die "no media folder"
head -c 3 stick/noticeboard/使用说明.txt | od -An -tx1 | finds 'ef bb bf' || die "guide lacks a BOM"
grep -q $'\r$' stick/noticeboard/使用说明.txt || die "guide is not CRLF"
contains stick/noticeboard/使用说明.txt "工作日"
contains stick/noticeboard/使用说明.txt "reports"
contains stick/noticeboard/使用说明.txt "announcements.csv"
[ ! -e stick/noticeboard/noticeboard.key ] || die "open trust must not write a key"

# init-1b: the untouched workbook is refused, each example named by sheet
# and cell; filled in with another program (openpyxl, as staff would in
# WPS or Excel), it imports.
expect_status 1 $SYNC import --data xdata --config open.conf stick >ximp0.out 2>&1
contains ximp0.out "内容.xlsx 公告!A2: 这一行是模板里的示例（标题“社区服务大厅办公时间”）"
contains ximp0.out "内容.xlsx 设置!B2: 单位名称还是模板里的示例"
/usr/bin/python3 - stick/noticeboard/内容.xlsx <<'PY'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
wb["公告"]["A2"] = "本周办公时间"
wb["活动"]["B2"] = "冬季健康讲座"
wb["表彰"]["B2"] = "李梅"
wb["滚动消息"]["A2"] = "欢迎光临"
wb["设置"]["B2"] = "幸福里社区服务中心"
wb.save(sys.argv[1])
PY
$SYNC import --data xdata --config open.conf stick >ximp1.out 2>&1 || { cat ximp1.out; die "the filled workbook did not import"; }
contains ximp1.out "更新成功：1条公告、1项活动、1位表彰、1条滚动消息"
$SYNC status --data xdata | finds '^org_name: 幸福里社区服务中心$' || die "settings sheet not read"

# init-2: a stick that already holds content gets no template, and none of
# its files changes, whatever kind of content file it is.
for f in 内容.xlsx announcements.csv Events.CSV 公告.xls feed.db; do
    rm -rf full && mkdir -p full/noticeboard
    printf 'staff work\r\n' >"full/noticeboard/$f"
    sum=$(cd full/noticeboard && sha256sum "$f")
    $SYNC init --data data --config open.conf full >full.out
    contains full.out "已经有内容文件（$f）"
    contains full.out "没有写入空白表格"
    [ "$(cd full/noticeboard && sha256sum "$f")" = "$sum" ] || die "init changed $f"
    [ "$(ls full/noticeboard | grep -vc -e '^media$' -e '^使用说明.txt$' -e '^设置时间.bat$')" -eq 1 ] ||
        die "init added a content file beside $f: $(ls full/noticeboard)"
done
# …and 内容.xlsx is not rewritten by a second init.
sum=$(sha256sum <stick/noticeboard/内容.xlsx)
$SYNC init --data data --config open.conf stick >init2.out
contains init2.out "没有写入空白表格"
[ "$(sha256sum <stick/noticeboard/内容.xlsx)" = "$sum" ] || die "a second init rewrote 内容.xlsx"

# init-3: --csv writes the CSV templates: BOM, CRLF, an example row each.
$SYNC init --csv --data data --config open.conf csvstick >initcsv.out
for f in announcements events honors ticker holidays settings; do
    [ -f csvstick/noticeboard/$f.csv ] || die "init --csv did not write $f.csv"
    head -c 3 csvstick/noticeboard/$f.csv | od -An -tx1 | finds 'ef bb bf' || die "$f.csv lacks a BOM"
    grep -q $'\r$' csvstick/noticeboard/$f.csv || die "$f.csv is not CRLF"
    [ "$(wc -l <csvstick/noticeboard/$f.csv)" -ge 2 ] || die "$f.csv lacks an example row"
done
[ ! -e csvstick/noticeboard/内容.xlsx ] || die "init --csv wrote a workbook too"
contains csvstick/noticeboard/events.csv "2026-11-29,健康讲座"   # @+7 from the test clock

# init-4: untouched, the templates are refused, each example named, and
# nothing changes; filled in (each example replaced), they import.
expect_status 1 $SYNC import --data data --config open.conf csvstick >imp0.out 2>&1
contains imp0.out "announcements.csv:2:1: 这一行是模板里的示例（标题“社区服务大厅办公时间”）"
contains imp0.out "honors.csv:2:1: 这一行是模板里的示例（姓名“张三”）"
contains imp0.out "settings.csv:2:2: 单位名称还是模板里的示例"
[ ! -e data/feed.db ] || die "an untouched template made a feed"
fill_templates csvstick
$SYNC import --data data --config open.conf csvstick >imp1.out 2>&1 || { cat imp1.out; die "templates did not import"; }
$SYNC status --data data >st1
for k in announcements events honors ticker; do grep -q "^$k: 1$" st1 || { cat st1; die "$k is not 1"; }; done

# export-1: richer content: images under staff names (a large one used as
# a poster and as an honor photo, so stored at two sizes; one PNG with
# alpha; one without, which the device stores as a JPEG; an upper-case
# extension), day lists, hours, timed ends, urgent, a roll of two, 调休,
# and cells a spreadsheet would run as formulas.
mkdir -p rich/noticeboard/media
cp "$TOP/tests/fixtures/images/big.jpg" rich/noticeboard/media/海报.jpg
cp "$TOP/tests/fixtures/images/alpha.png" rich/noticeboard/media/logo.png
cp "$TOP/tests/fixtures/images/progressive.jpg" rich/noticeboard/media/王五.JPG
cp "$TOP/tests/fixtures/images/opaque.png" rich/noticeboard/media/通知.png
printf '\xef\xbb\xbf标题,内容,图片,开始,结束,星期,时段,时长,级别\r\n' >rich/noticeboard/announcements.csv
printf '停水通知,"明天停水。\n请提前储水。",海报.jpg,2026/11/20,2026年12月1日,"周一,周三,周五","08:00-12:00,20:00-02:00",15,紧急\r\n' >>rich/noticeboard/announcements.csv
printf '只在工作日,内容,通知.png,2026-11-01 09:30,2026-12-01 18:00,工作日,,8,重要\r\n' >>rich/noticeboard/announcements.csv
printf '海报,,media/海报.jpg,,,周末,,,\r\n' >>rich/noticeboard/announcements.csv
printf '"=HYPERLINK(""http://x"",""点"")","=cmd|'"'"' /C calc'"'"'!A0",,,,,,,\r\n' >>rich/noticeboard/announcements.csv
printf '\xef\xbb\xbf榜单,姓名,荣誉,单位,年度,照片,开始,结束\r\n好人榜,李四,好邻居,一网格,2026,海报.jpg,2026-01-01,2026-12-31\r\n好人榜,王五,"志愿者, 优秀",二网格,2026,王五.JPG,2026-01-01,2026-12-31\r\n' >rich/noticeboard/honors.csv
printf '\xef\xbb\xbf内容,开始,结束\r\n+86 138 0000 0000 热线,,\r\n@所有居民 今晚停电,2026-11-22 18:00,2026-11-23\r\n' >rich/noticeboard/ticker.csv
printf '\xef\xbb\xbf日期,类型,名称\r\n2026-10-01,休,国庆节\r\n2026-10-11,班,国庆调休\r\n' >rich/noticeboard/holidays.csv
printf '\xef\xbb\xbf项目,值\r\n单位名称,幸福里社区\r\n标志,logo.png\r\n' >rich/noticeboard/settings.csv
$SYNC import --data data --config open.conf rich >imp2.out 2>&1 || { cat imp2.out; die "rich bundle did not import"; }
$SYNC status --data data >st2
$NB plan --data data --config open.conf --from '2026-11-22 00:00' --to '2026-12-22 00:00' >plan1.txt
[ "$(wc -l <plan1.txt)" -gt 10 ] || die "the plan is too short to compare: $(cat plan1.txt)"

mkdir -p data/playlog && printf '2026-11-22 09:00\tannouncement\t1\n' >data/playlog/2026-11-22.tsv
$SYNC export --data data out1 >exp1.out || die "export failed"
contains exp1.out "已导出"
[ "$(head -c 2 out1/noticeboard/内容.xlsx)" = PK ] || die "export wrote no workbook"
[ -z "$(ls out1/noticeboard | grep -i '\.csv$')" ] || die "export wrote CSV beside the workbook"
[ -f out1/noticeboard/playlog/2026-11-22.tsv ] || die "play log not exported"
# Media under the names staff gave them, each type with its extension.
(cd out1/noticeboard/media && ls) >media.txt
printf '%s\n' logo.png 海报.jpg '海报 (2).jpg' 王五.JPG 通知.jpg | sort >want-media.txt
diff want-media.txt <(sort media.txt) || die "exported media are not named as staff named them"
head -c 8 out1/noticeboard/media/logo.png | od -An -tx1 | finds '89 50 4e 47' || die "logo.png is not a PNG"

# export-2: the same as CSV (--csv): cells that a spreadsheet would run
# are escaped with an apostrophe, the media named as in the workbook.
$SYNC export --csv --data data out2 >exp2.out || die "export --csv failed"
[ ! -e out2/noticeboard/内容.xlsx ] || die "export --csv wrote a workbook"
head -c 3 out2/noticeboard/announcements.csv | od -An -tx1 | finds 'ef bb bf' || die "export lacks a BOM"
contains out2/noticeboard/announcements.csv "紧急"
contains out2/noticeboard/announcements.csv ",2026-11-20,2026-12-01,"   # a bare end date stays bare (inclusive)
contains out2/noticeboard/announcements.csv "2026-12-01 18:00"
contains out2/noticeboard/announcements.csv '"'"'"'=HYPERLINK(""http://x"",""点"")","'"'"'=cmd|'
contains out2/noticeboard/ticker.csv '"'"'"'+86 138 0000 0000 热线"'
contains out2/noticeboard/ticker.csv '"'"'"'@所有居民 今晚停电"'
contains out2/noticeboard/holidays.csv "班"
contains out2/noticeboard/honors.csv ",王五.JPG,"
contains out2/noticeboard/honors.csv ",海报 (2).jpg,"
contains out2/noticeboard/announcements.csv ",通知.jpg,"
contains out2/noticeboard/settings.csv "标志,logo.png"
grep -q '^=\|,=\|^+\|,+\|^@\|,@' out2/noticeboard/*.csv && die "a formula-like cell was written unescaped"

# export-3: the CSV export imported unchanged: the same content, the same
# plan over a month, and a second export byte for byte the same.
rm -rf out2/noticeboard/playlog
$SYNC import --data data --config open.conf out2 >imp3.out 2>&1 || { cat imp3.out; die "the export did not import"; }
$SYNC status --data data >st3
for k in announcements events honors rolls ticker holidays; do
    a=$(grep "^$k:" st2); b=$(grep "^$k:" st3)
    [ "$a" = "$b" ] || die "round trip changed $k: '$a' -> '$b'"
done
$NB plan --data data --config open.conf --from '2026-11-22 00:00' --to '2026-12-22 00:00' >plan2.txt
diff plan1.txt plan2.txt || die "the plan changed across a CSV round trip"
$SYNC export --csv --data data out3 >/dev/null || die "second export failed"
for f in announcements events honors ticker holidays settings; do
    cmp out2/noticeboard/$f.csv out3/noticeboard/$f.csv || die "$f.csv changed across a round trip"
done
(cd out3/noticeboard/media && ls | sort) | diff want-media.txt - || die "media names changed across a round trip"

# export-4: the workbook export imported unchanged: the same plan over a
# month, the same media names, and a second export byte for byte the same.
rm -rf out1/noticeboard/playlog
$SYNC import --data data --config open.conf out1 >imp4.out 2>&1 || { cat imp4.out; die "the workbook export did not import"; }
$NB plan --data data --config open.conf --from '2026-11-22 00:00' --to '2026-12-22 00:00' >plan3.txt
diff plan1.txt plan3.txt || die "the plan changed across a workbook round trip"
$SYNC status --data data >st4
for k in announcements events honors rolls ticker holidays; do
    [ "$(grep "^$k:" st2)" = "$(grep "^$k:" st4)" ] || die "workbook round trip changed $k"
done
$SYNC export --data data out5 >/dev/null || die "export after the round trip failed"
cmp out1/noticeboard/内容.xlsx out5/noticeboard/内容.xlsx || die "内容.xlsx changed across a round trip"
(cd out5/noticeboard/media && ls | sort) | diff want-media.txt - || die "media names changed across a workbook round trip"

# export-5: a kind both in 内容.xlsx and in a CSV is refused, both named;
# nothing changes.
cp out2/noticeboard/announcements.csv out5/noticeboard/
v=$(grep '^feed_version:' <($SYNC status --data data))
expect_status 1 $SYNC import --data data --config open.conf out5 >imp5.out 2>&1
contains imp5.out "公告: announcements.csv 和 内容.xlsx 里的工作表“公告” 都是公告"
[ "$(grep '^feed_version:' <($SYNC status --data data))" = "$v" ] || die "a refused import changed the feed"

# export-6: no feed is refused (1); usage errors are 2.
expect_status 1 $SYNC export --data empty out4
expect_status 2 $SYNC export --data data
expect_status 2 $SYNC init --data data --bogus stick
