# The header's 农历 line ([display] lunar): on 2027-01-20 it reads 农历腊月十三,
# the solar term 大寒 and 距离春节还有17天 (read back with tesseract); the
# next day the countdown says 16; lunar = off leaves the date alone.
command -v tesseract >/dev/null || die "tesseract missing (apt-get install tesseract-ocr tesseract-ocr-chi-sim)"
at '2027-01-01 08:00'
mkdir -p stick/noticeboard
printf 'title,body\n欢迎光临,社区服务中心\n' > stick/noticeboard/announcements.csv
printf '[sync]\ntrust = open\n' > on.conf
printf '[display]\nlunar = off\n[sync]\ntrust = open\n' > off.conf
"$SYNC" import --data data --config on.conf stick > import.txt 2>&1 || { cat import.txt; die "import failed"; }

# The right half of the header band, enlarged and inverted for the OCR.
header_text() {
    convert "$1" -crop 900x97+1000+0 -resize 300% -negate "$1.ocr.png"
    tesseract "$1.ocr.png" - -l chi_sim --psm 6 2>/dev/null | tr -d ' '
}
expect_status 0 "$NB" render --data data --config on.conf --at '2027-01-20 10:00' --out on > /dev/null
header_text on/01-announcement.png > on.txt
contains on.txt "农历腊月十三"
contains on.txt "大寒"
contains on.txt "还有17天"
expect_status 0 "$NB" render --data data --config on.conf --at '2027-01-21 00:00' --out next > /dev/null
header_text next/01-announcement.png > next.txt
contains next.txt "还有16天"
expect_status 0 "$NB" render --data data --config off.conf --at '2027-01-20 10:00' --out off > /dev/null
header_text off/01-announcement.png > off.txt
contains off.txt "2027年1月20日"
! grep -q "农历\|还有" off.txt || die "lunar = off still shows: $(cat off.txt)"
