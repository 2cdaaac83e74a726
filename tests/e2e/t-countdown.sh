# 倒计时: an announcement's countdown column holds a date or a festival
# (春节, read as its next day from the day of import).  The slide says
# 还有 N 天 and 就在今天 on the day (OCR of the rendered page); the notice
# is gone from the plan after its day; a bad cell is refused naming the
# column; and a running player turns the number at midnight (test clock
# 60x fast, a one-slide loop, screenshots under Xvfb).
command -v tesseract >/dev/null || die "tesseract missing (apt-get install tesseract-ocr tesseract-ocr-chi-sim)"
at '2026-12-01 08:00'
mkdir -p stick/noticeboard
printf 'title,body,倒计时\n社区运动会,12月20日上午在文化广场开幕。,2026/12/20\n春节,,春节\n' > stick/noticeboard/announcements.csv
printf '[sync]\ntrust = open\n' > open.conf
"$SYNC" import --data data --config open.conf stick > import.txt 2>&1 || { cat import.txt; die "import failed"; }

plan() { "$NB" plan --data data --config open.conf --at "$1" | cut -f3 | tr '\n' ' '; }
[ "$(plan '2026-12-20 23:59')" = "社区运动会 春节 " ] || die "on the day: $(plan '2026-12-20 23:59')"
[ "$(plan '2026-12-21 00:00')" = "春节 " ] || die "after the day: $(plan '2026-12-21 00:00')"
[ "$(plan '2027-02-06 12:00')" = "春节 " ] || die "on 春节: $(plan '2027-02-06 12:00')"
[ "$(plan '2027-02-07 00:00')" = "" ] || die "after 春节: $(plan '2027-02-07 00:00')"

# The words by OCR; the number is the one large thing in the accent red
# below the header (chi_sim reads a large bold 1 as 卫), read as digits.
ocr() { convert "$1" -resize 50% "$1.small.png"; tesseract "$1.small.png" - -l chi_sim --psm 3 2>/dev/null | tr -d ' \n'; }
num() {
    convert "$1" -crop "$2" +repage -fill white -fuzz 25% +opaque '#b3141b' -trim +repage \
        -bordercolor white -border 20 "$1.num.png"
    tesseract "$1.num.png" - --psm 6 -c tessedit_char_whitelist=0123456789 2>/dev/null | tr -d ' \n'
}
"$NB" render --data data --config open.conf --at '2026-12-03 10:00' --out a > /dev/null
ocr a/01-announcement.png > a1.txt; contains a1.txt "还有"; contains a1.txt "天"
[ "$(num a/01-announcement.png 1920x900+0+120)" = 17 ] || die "运动会: $(num a/01-announcement.png 1920x900+0+120) days, not 17"
[ "$(num a/02-announcement.png 1920x900+0+120)" = 65 ] || die "春节 (2027-02-06): not 65 days"
"$NB" render --data data --config open.conf --at '2026-12-19 23:59' --out c > /dev/null
[ "$(num c/01-announcement.png 1920x900+0+120)" = 1 ] || die "the day before: not 1"
"$NB" render --data data --config open.conf --at '2026-12-20 00:00' --out b > /dev/null
ocr b/01-announcement.png > b1.txt; contains b1.txt "就在今天"

# Export writes the day back (a festival as its date).
mkdir ex
expect_status 0 "$SYNC" export --csv --data data ex
contains ex/noticeboard/announcements.csv "2026-12-20"
contains ex/noticeboard/announcements.csv "2027-02-06"

mkdir -p bad/noticeboard
printf 'title,倒计时\n运动会,下个月\n' > bad/noticeboard/announcements.csv
expect_status 1 "$SYNC" import --data data --config open.conf bad > bad.txt 2>&1
contains bad.txt "倒计时“下个月”无效"

# The running player: one countdown slide on screen across midnight.
mkdir -p one/noticeboard
printf 'title,倒计时\n社区运动会,2026-12-20\n' > one/noticeboard/announcements.csv
"$SYNC" import --data live --config open.conf one > one.txt 2>&1 || { cat one.txt; die "import"; }
start_xvfb 1280x720
# The test clock starts with the player: at 60x, 23:55 leaves 5 s of wall
# time before midnight for it to start and the first shot to be taken
# (23:58 left 2 s, which a slow start under ASan on a loaded machine
# could use up); the second shot comes after 6 s more, past midnight.
at '2026-12-18 23:55'
NB_TEST_SPEED=60 ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
    "$NB" --data live --config open.conf --window 1280x720 > nb.log 2>&1 &
bg_pids+=($!)
wait_for nb.log "playing 1 slides" 20
sleep 0.5                               # before midnight: two days left
import -window root before.png
sleep 6                                 # past midnight (60x: 6 s = 6 min)
import -window root after.png
[ "$(num before.png 1280x640+0+80)" = 2 ] || die "before midnight: '$(num before.png 1280x640+0+80)', not 2"
[ "$(num after.png 1280x640+0+80)" = 1 ] || die "after midnight: '$(num after.png 1280x640+0+80)', not 1 (page not redrawn?)"
