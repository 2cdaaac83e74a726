# PDF notices: a PDF named in an announcement's 图片 becomes its pages at
# import (poster PNGs, rendered once with poppler in sync/pdf.c): a row with
# no text plays each page as a poster, one with text shows page 1 beside it;
# the pages keep the row's timing and play in order; the rendered slides
# read back in Chinese (OCR); a locked or fake PDF is a 提醒 and nothing is
# lost; export names the pages 通知-第N页.png.
command -v tesseract >/dev/null || die "tesseract missing (apt-get install tesseract-ocr tesseract-ocr-chi-sim)"
at '2026-11-01 08:00'
mkdir -p stick/noticeboard/media
cp "$TOP/tests/fixtures/pdf/notice-3p.pdf" stick/noticeboard/media/消防通知.pdf
cp "$TOP/tests/fixtures/pdf/nonembedded.pdf" stick/noticeboard/media/停水.PDF
cp "$TOP/tests/fixtures/pdf/locked.pdf" stick/noticeboard/media/加密.pdf
printf 'not a pdf at all\n' > stick/noticeboard/media/假的.pdf
cat > stick/noticeboard/announcements.csv <<'CSV'
title,body,image,start,end,duration
,,消防通知.pdf,2026-11-01,2026-11-30,15
停水通知,请居民提前储水。,停水.PDF,2026-11-01,2026-11-30,
欢迎,社区服务中心欢迎您。,,2026-11-01,2026-11-30,
加密文件,这一条的 PDF 打不开。,加密.pdf,2026-11-01,2026-11-30,
假文件,这一条的 PDF 是假的。,假的.pdf,2026-11-01,2026-11-30,
CSV
printf '[sync]\ntrust = open\n' > open.conf
"$SYNC" import --data data --config open.conf stick > import.txt 2>&1 || { cat import.txt; die "import failed"; }
contains import.txt "加密.pdf"
contains import.txt "假的.pdf"
contains import.txt "公告：替换为 7 条"        # 3 pages + 1 + 1 + the two rows kept without a picture

"$NB" plan --data data --config open.conf --at '2026-11-22 10:00' > plan.txt
[ "$(cut -f2 plan.txt | tr '\n' ' ')" = "1 2 3 4 5 6 7 " ] || die "ids not in play order: $(cat plan.txt)"
[ "$(cut -f3 plan.txt | sed -n 4p)" = "停水通知" ] || die "the text row is not 4th: $(cat plan.txt)"
# Every page keeps its row's duration: three posters of 15 s.
sqlite3 data/feed.db "SELECT duration FROM announcements WHERE id <= 3" | sort -u > dur.txt
[ "$(cat dur.txt)" = 15 ] || die "page durations: $(cat dur.txt)"
sqlite3 data/feed.db "SELECT count(*) FROM media WHERE mime = 'image/png' AND file LIKE '消防通知-第_页.png'" > n.txt
[ "$(cat n.txt)" = 3 ] || die "stored pages: $(cat n.txt)"
sqlite3 data/feed.db "SELECT max(max(width, height)) FROM media" > side.txt
[ "$(cat side.txt)" -le 2160 ] || die "pages larger than the box: $(cat side.txt)"

"$NB" render --data data --config open.conf --at '2026-11-22 10:00' --out out > paths.txt
ocr() { tesseract "$1" - -l chi_sim 2>/dev/null | tr -d ' \n'; }
ocr out/01-announcement.png > p1.txt
contains p1.txt "关于开展冬季消防安全检查的通知"
ocr out/03-announcement.png > p3.txt
contains p3.txt "冬季消防安全检查登记表"
ocr out/04-announcement.png > p4.txt
contains p4.txt "停水通知"                # the row's title beside its page
contains p4.txt "社区停水通知"            # the page itself (font not embedded)

mkdir ex
expect_status 0 "$SYNC" export --csv --data data ex
[ -s "ex/noticeboard/media/消防通知-第2页.png" ] || die "export lacks the page images: $(ls ex/noticeboard/media)"
