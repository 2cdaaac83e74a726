# t-sync-report: the report staff read on the stick says, per kind, what
# the import did (替换为 N 条 / 没有文件，保持不变 / 已清空) and which file
# and sheet it read — for CSV files, the workbook 内容.xlsx and a dry run.
F=$TOP/tests/fixtures/bundles
printf '[sync]\ntrust = open\n' >open.conf
at '2026-11-22 10:00'
# report_line STICK KIND TEXT: the newest report on STICK has the line
# "KIND：TEXT" exactly (read as Notepad shows it: BOM and CR dropped).
report_line() {
    local rep
    rep=$(ls -t "$1"/noticeboard/reports/*.txt | head -n1)
    sed -e '1s/^\xEF\xBB\xBF//' -e 's/\r$//' "$rep" | finds -xF -- "$2：$3" ||
        { cat "$rep"; die "report on $1 lacks the line '$2：$3'"; }
}

# report-1: the first import, from CSV files: every kind replaced.
cp -r "$F/good" good
$SYNC import --data data --config open.conf good >/dev/null 2>&1 || die "good bundle refused"
report_line good 公告 "替换为 3 条（读的是 announcements.csv；原来没有）"
report_line good 表彰 "替换为 3 位，2 个榜单（读的是 honors.csv；原来没有）"

# report-2: a workbook staff filled: 公告 replaced, the 活动 sheet deleted
# (kept), 滚动消息 left with its header only (cleared).
$SYNC init --data data --config open.conf book >/dev/null
/usr/bin/python3 - book/noticeboard/内容.xlsx <<'PY'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
wb["公告"]["A2"] = "本周办公时间"
del wb["活动"]
wb["表彰"]["B2"] = "李梅"
wb["滚动消息"].delete_rows(2, wb["滚动消息"].max_row)
wb["设置"]["B2"] = "幸福里社区服务中心"
wb.save(sys.argv[1])
PY
$SYNC import --data data --config open.conf book >book.out 2>&1 || { cat book.out; die "filled workbook refused"; }
report_line book 公告 "替换为 1 条（读的是 内容.xlsx 的「公告」表；原来 3 条）"
report_line book 活动 "没有文件（内容.xlsx 里没有这张表），保持不变（现在 3 项）"
report_line book 滚动消息 "已清空（内容.xlsx 的「滚动消息」表只有表头；原来 2 条）"
$SYNC status --data data | finds '^events: 3$' || die "the kept kind changed"
$SYNC status --data data | finds '^ticker: 0$' || die "the cleared kind was not cleared"

# report-2b: a NUL byte in a cell (pasted from another system) is named by
# its sheet and cell with what to do, not "damaged"; nothing changes.
cp -r book nul
/usr/bin/python3 - book/noticeboard/内容.xlsx nul/noticeboard/内容.xlsx <<'PY'
import sys, zipfile
src, dst = zipfile.ZipFile(sys.argv[1]), zipfile.ZipFile(sys.argv[2], 'w', zipfile.ZIP_DEFLATED)
hit = 0
for it in src.infolist():
    d = src.read(it.filename)
    for a, b in (('本周'.encode(), '本'.encode() + b'\0' + '周'.encode()), (b'&#26412;&#21608;', b'&#26412;\0&#21608;')):
        hit += d.count(a)
        d = d.replace(a, b)
    dst.writestr(it, d)
dst.close()
assert hit == 1, hit
PY
expect_status 1 $SYNC import --data data --config open.conf nul >nul.out 2>&1
contains nul.out "内容.xlsx 公告!A2: 单元格里有看不见的特殊字符（空字符"
contains nul.out "删掉里面的内容后重新打字输入"
$SYNC status --data data | finds '^ticker: 0$' || die "a refused workbook changed the feed"

# report-3: a header-only CSV and nothing else: one kind cleared, the rest
# said to be kept, each with what is on screen now.
cp -r "$F/good" again
$SYNC import --data data --config open.conf again >/dev/null 2>&1
cp -r "$F/header-only" ho
$SYNC import --data data --config open.conf ho >/dev/null 2>&1 || die "header-only refused"
report_line ho 滚动消息 "已清空（ticker.csv 只有表头；原来 2 条）"
report_line ho 公告 "没有文件，保持不变（现在 3 条）"

# report-4: a dry run says what would happen, and changes nothing.
v=$($SYNC status --data data | grep '^feed_version:')
$SYNC import --dry-run --data data --config open.conf good >/dev/null 2>&1 || die "dry run failed"
report_line good 滚动消息 "将替换为 2 条（读的是 ticker.csv；原来没有）"
[ "$($SYNC status --data data | grep '^feed_version:')" = "$v" ] || die "a dry run changed the feed"

# report-5: a rejected import lists no kind as replaced.
mkdir -p bad/noticeboard && printf 'title,start\n讲座,2026-13-45\n' >bad/noticeboard/announcements.csv
expect_status 1 $SYNC import --data data --config open.conf bad
grep -q '替换为' bad/noticeboard/reports/*.txt && die "a rejected import reports a kind replaced"
true

# report-6: the report says what plays now, in order, and each day's
# times, from the same schedule as `noticeboard plan`.
cp -r "$TOP/assets/demo" demo
at '2026-11-23 10:00'
$SYNC import --data ddata --config open.conf demo >/dev/null 2>&1 || die "demo refused"
rep=$(ls -t demo/noticeboard/reports/*.txt | head -n1)
sed -e '1s/^\xEF\xBB\xBF//' -e 's/\r$//' "$rep" >demo-report.txt
contains demo-report.txt "播放安排（今天和之后 6 天）："
contains demo-report.txt "现在的播放顺序："
contains demo-report.txt "11月23日 星期一（今天，从现在起）"
contains demo-report.txt "11月29日 星期日"
# The order now is plan --at's, title for title.
first=$($NB plan --data ddata --config open.conf --at '2026-11-23 10:00' | head -n1 | cut -f3)
grep -qxF "  1. 【紧急】$first（每页 20 秒）" demo-report.txt || grep -qF "  1. $first（" demo-report.txt ||
    { cat demo-report.txt; die "the first slide now is not plan's ($first)"; }

# report-7: beside the report, a picture of every page that will play: the
# same name with .png; one cell per page of `noticeboard render` (3 to a
# row, 640x360 each), the first cell the very image render draws.
base=${rep%.txt}
[ -s "$base.png" ] || { ls demo/noticeboard/reports; die "no picture beside $rep"; }
[ "$(head -c 8 "$base.png" | od -An -tx1 | tr -d ' ')" = 89504e470d0a1a0a ] || die "the picture is not a PNG"
$NB render --data ddata --config open.conf --at '2026-11-23 10:00' --size 640x360 --out pages >pages.txt
n=$(wc -l <pages.txt)
rows=$(( (n < 36 ? n : 36) + 2 )); rows=$(( rows / 3 ))
want_h=$(( 72 + rows * (360 + 40 + 24) + 24 + (n > 36 ? 40 : 0) ))
[ "$(identify -format '%w %h' "$base.png")" = "2016 $want_h" ] ||
    die "picture is $(identify -format '%wx%h' "$base.png"), want 2016x$want_h for $n pages"
convert "$base.png" -crop 640x360+24+112 +repage cell1.png
ae=$(compare -metric AE cell1.png "$(head -n1 pages.txt)" null: 2>&1 || true)
[ "${ae%% *}" -lt 200 ] 2>/dev/null || die "the first cell differs from render's first page ($ae pixels)"
echo "picture: $(stat -c %s "$base.png") bytes, $n pages"
# A rejected import leaves no picture.
[ -z "$(find bad/noticeboard/reports -name "*.png")" ] || die "a rejected import left a picture"

# report-8: the sheet on its own: usage errors exit 2; a portrait screen
# (rotate = 90) gets 360x640 cells, five to a row.
expect_status 2 $NB sheet --data ddata --out x.png
expect_status 2 $NB sheet --data ddata --at '2026-11-23 10:00'
expect_status 2 $NB sheet --data ddata --at 'tomorrow' --out x.png
printf '[display]\nrotate = 90\n[sync]\ntrust = open\n' >rot.conf
$NB sheet --data ddata --config rot.conf --at '2026-11-23 10:00' --out rot.png || die "portrait sheet failed"
n=$($NB render --data ddata --config rot.conf --at '2026-11-23 10:00' --size 640x360 --out rpages | wc -l)
rows=$(( ((n < 36 ? n : 36) + 4) / 5 ))
[ "$(identify -format '%w %h' rot.png)" = "1944 $(( 72 + rows * (640 + 40 + 24) + 24 + (n > 36 ? 40 : 0) ))" ] ||
    die "portrait sheet is $(identify -format '%wx%h' rot.png)"
