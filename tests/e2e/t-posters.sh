# The 海报 folder, the least-effort path: a stick with only pictures and a
# PDF in 海报/ (no spreadsheet) plays each picture and each PDF page as a
# full-screen poster with the default timing, in natural order of the file
# names (1, 2, 10); a bad picture and a .docx are 提醒 named on the
# report's 海报 line; the other kinds stay; a later stick's posters replace
# these and keep the announcements with text; a folder of nothing usable
# keeps them; an empty 海报 folder clears them; with a 公告 sheet the
# posters follow its rows; export and import again plays the same.
command -v tesseract >/dev/null || die "tesseract missing (apt-get install tesseract-ocr tesseract-ocr-chi-sim)"
command -v convert >/dev/null || die "convert missing (apt-get install imagemagick)"
at '2026-11-01 08:00'
printf '[sync]\ntrust = open\n' > open.conf
import() { "$SYNC" import --data data --config open.conf "$1" > "$2" 2>&1 || { cat "$2"; die "import of $1 failed"; }; }

# What the screen had: a text announcement, a plain poster, an event.
mkdir -p old/noticeboard/media
cp "$TOP/tests/fixtures/images/small.jpg" old/noticeboard/media/旧海报.jpg
cat > old/noticeboard/announcements.csv <<'CSV'
title,body,image
欢迎,社区服务中心欢迎您。,
,,旧海报.jpg
CSV
printf 'date,title\n2026-11-20,社区运动会\n' > old/noticeboard/events.csv
import old import0.txt

# The stick: pictures named so that byte order is not play order, a PDF,
# a broken picture, a Word file and Windows' Thumbs.db.
P=stick/noticeboard/海报
FONT="$TOP/fonts/NotoSansSC-NB-Bold.otf"
mkdir -p "$P"
convert -size 1600x1200 xc:'#c02020' -font "$FONT" -fill white -pointsize 200 -annotate +560+700 'ONE' "$P/1.png"
convert -size 1200x1600 xc:'#2040c0' -font "$FONT" -fill white -pointsize 200 -annotate +360+860 'TWO' -quality 90 "$P/2.jpg"
convert -size 1920x1080 xc:'#20a040' -font "$FONT" -fill white -pointsize 200 -annotate +620+600 'TEN' -quality 90 "$P/10.JPG"
cp "$TOP/tests/fixtures/pdf/notice-3p.pdf" "$P/消防通知.pdf"
cp "$TOP/tests/fixtures/images/truncated.jpg" "$P/坏.jpg"
printf 'not a poster\n' > "$P/说明.docx"
printf 'x' > "$P/Thumbs.db"
import stick import1.txt
contains import1.txt "更新成功"
contains import1.txt "公告：没有文件，保持不变（现在 1 条）"
contains import1.txt "海报：替换为 6 张（读的是 海报 文件夹；原来 1 张；跳过 2 个文件：说明.docx、坏.jpg）"
contains import1.txt "活动：没有文件，保持不变（现在 1 项）"
contains import1.txt "海报/坏.jpg: 图片无法使用"
contains import1.txt "海报/说明.docx: 不是图片或 PDF"
# The week's plan names each poster by its file, as staff saved it.
contains import1.txt "  2. 海报“1.png”（每页 10 秒）"
contains import1.txt "  7. 海报“消防通知-第3页.png”（每页 10 秒）"
contains import1.txt "  海报“10.JPG”："
grep -q 'Thumbs' import1.txt && die "Thumbs.db mentioned"

# Play order: the kept text first, then 1, 2, 10 and the PDF's pages.
sqlite3 data/feed.db "SELECT a.id || ' ' || coalesce(m.file, a.title) FROM announcements a
  LEFT JOIN media m ON m.name = a.image ORDER BY a.id" > order.txt
printf '%s\n' '1 欢迎' '2 1.png' '3 2.jpg' '4 10.JPG' '5 消防通知-第1页.png' '6 消防通知-第2页.png' \
    '7 消防通知-第3页.png' > want.txt
diff want.txt order.txt || die "poster order"
sqlite3 data/feed.db "SELECT DISTINCT duration || ' ' || priority || ' ' || days || ' ' || hours || ' ' ||
  coalesce(start_at, '-') || ' ' || coalesce(end_at, '-') FROM announcements WHERE id > 1" > timing.txt
[ "$(cat timing.txt)" = "10 0 127  - -" ] || die "posters' timing: $(cat timing.txt)"
"$NB" plan --data data --config open.conf --at '2026-11-02 10:00' > plan.txt
[ "$(cut -f2 plan.txt | head -7 | tr "\n" " ")" = "1 2 3 4 5 6 7 " ] || die "plan: $(cat plan.txt)"

# On the screen: each poster fills it; the PDF page reads back in Chinese.
"$NB" render --data data --config open.conf --at '2026-11-02 10:00' --out out > paths.txt
[ -s out/02-announcement.png ] || die "no poster rendered: $(ls out)"
ocr() { tesseract "$1" - -l chi_sim 2>/dev/null | tr -d ' \n'; }
ocr out/05-announcement.png > p5.txt
contains p5.txt "关于开展冬季消防安全检查的通知"
# Each picture fills the screen's height below the header (a poster, not a
# thumbnail): the share of the screen in its colour (JPEG: near it).
cover() {
    convert "$1" -fuzz 6% -fill black +opaque "$2" -fill white -opaque "$2" -format '%[fx:mean]' info:
}
for f in '02 #c02020 0.5' '03 #2040c0 0.3' '04 #20a040 0.75'; do
    set -- $f
    c=$(cover "out/$1-announcement.png" "$2")
    awk -v c="$c" -v m="$3" 'BEGIN { exit !(c > m) }' || die "slide $1: $2 covers only $c of the screen"
done

# Export writes the posters as 公告 rows with only 图片; imported again
# elsewhere, the same slides play with pictures of the same size (stored
# pictures are encoded again, so not byte for byte).
mkdir ex
expect_status 0 "$SYNC" export --csv --data data ex
"$SYNC" import --data data2 --config open.conf ex > import-ex.txt 2>&1 || { cat import-ex.txt; die "re-import"; }
q="SELECT a.id || ' ' || a.title || ' ' || a.duration || ' ' || coalesce(m.width || 'x' || m.height, '-') FROM announcements a
   LEFT JOIN media m ON m.name = a.image ORDER BY a.id"
sqlite3 data/feed.db "$q" > a.txt
sqlite3 data2/feed.db "$q" > b.txt
diff a.txt b.txt || die "export and import again changed the posters"

# A later stick with one poster: it replaces the six, the text stays.
mkdir -p stick2/noticeboard/海报
cp "$P/2.jpg" stick2/noticeboard/海报/新海报.jpg
import stick2 import2.txt
contains import2.txt "海报：替换为 1 张（读的是 海报 文件夹；原来 6 张）"
[ "$(sqlite3 data/feed.db 'SELECT count(*) FROM announcements')" = 2 ] || die "not 1 text + 1 poster"
[ "$(sqlite3 data/feed.db 'SELECT title FROM announcements WHERE id = 1')" = 欢迎 ] || die "text lost"

# A folder with files but none usable (a mistake): the posters stay.
mkdir -p stickbad/noticeboard/海报
printf 'x\n' > stickbad/noticeboard/海报/说明.docx
import stickbad importbad.txt
contains importbad.txt "海报：海报文件夹里没有能用的图片或 PDF，保持不变（现在 1 张；跳过 1 个文件：说明.docx）"
[ "$(sqlite3 data/feed.db 'SELECT count(*) FROM announcements')" = 2 ] || die "posters lost to a bad folder"

# An empty 海报 folder (its posters deleted on the PC) clears the posters.
mkdir -p stick3/noticeboard/海报
import stick3 import3.txt
contains import3.txt "海报：已清空（海报 文件夹是空的；原来 1 张）"
contains import3.txt "公告：没有文件，保持不变（现在 1 条）"
[ "$(sqlite3 data/feed.db 'SELECT count(*) FROM announcements')" = 1 ] || die "posters not cleared"

# With a 公告 sheet the stick says what 公告 is: its rows, then the posters.
mkdir -p stick4/noticeboard/海报
printf 'title,body\n停水通知,明天停水。\n' > stick4/noticeboard/announcements.csv
cp "$P/1.png" stick4/noticeboard/海报/
import stick4 import4.txt
contains import4.txt "公告：替换为 1 条（读的是 announcements.csv；原来 1 条）"
contains import4.txt "海报：替换为 1 张，接在表格里的公告后面播放（读的是 海报 文件夹；原来没有）"
sqlite3 data/feed.db "SELECT id || ' ' || title FROM announcements ORDER BY id" > order4.txt
printf '%s\n' '1 停水通知' '2 ' > want4.txt
diff want4.txt order4.txt || die "sheet rows then posters"

# feed.db with a 海报 folder: two sources, refused, nothing changes.
mkdir -p stick5/noticeboard/海报
cp data/feed.db stick5/noticeboard/feed.db
expect_status 1 "$SYNC" import --data data --config open.conf stick5 > import5.txt 2>&1
contains import5.txt "同时有 feed.db 和 海报 文件夹"

# init on a stick of posters only writes no template (its example rows
# would refuse the next import), only the guide.
mkdir -p istick/noticeboard/海报
cp "$P/1.png" istick/noticeboard/海报/
expect_status 0 "$SYNC" init --data idata --config open.conf istick > init.txt 2>&1
[ ! -e istick/noticeboard/内容.xlsx ] || die "init wrote a template beside the 海报 folder"
[ -s istick/noticeboard/使用说明.txt ] || die "init wrote no guide"
contains istick/noticeboard/使用说明.txt "叫“海报”的文件夹"
