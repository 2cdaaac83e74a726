# Everything staff typed is shown or refused (issue 18): an emoji the
# installed colour font has imports without a word and is drawn in colour;
# a character no font has gets a 提醒 naming the cell and its place, in the
# terminal and in the report on the stick; an event of 22:00-02:00 is
# taken and still on the screen at 01:00 (golden_8 shows it under 昨天,
# 进行中); 9:00-8:00 is refused.
command -v convert >/dev/null || die "ImageMagick missing (apt-get install imagemagick)"
at '2026-11-22 20:00'
printf '[sync]\ntrust = open\n' > open.conf
mkdir -p stick/noticeboard
cd stick/noticeboard
printf 'title,body\n\xf0\x9f\x8e\x89新年快乐\xf0\x9f\x8f\xae,请带\xf4\x8f\xbf\xbd来。\n' > announcements.csv
printf 'date,title,start_time,end_time,note\n2026-11-22,冬至守夜联欢,22:00,02:00,请穿厚衣服\n' > events.csv
cd "$T"
expect_status 0 "$SYNC" import --data data --config open.conf stick > out.txt 2>&1
contains out.txt "提醒（1条"
contains out.txt "announcements.csv:2:2: 内容的第3个字"
contains out.txt "显示时会被略去"
grep -q "announcements.csv:2:1" out.txt && die "the emoji title was warned about"
rep=$(ls stick/noticeboard/reports/*.txt | head -n 1)
[ -n "$rep" ] || die "no report on the stick"
iconv -f UTF-8 -t UTF-8 "$rep" | tr -d '\r' | finds -F "内容的第3个字" || die "the stick's report lacks the 提醒"

# After midnight: the overnight event (the only one) is still on.
"$NB" render --data data --config open.conf --at '2026-11-23 01:00' --out out > paths.txt 2>/dev/null
grep -q 'events' paths.txt || die "no events page at 01:00"
# The title's emoji are drawn in colour: a notice in the theme's colours has
# a few hundred colours below the header (anti-aliased text on cream: 233
# to 377 on the demo's), the two emoji bring over a thousand more.
k=$(convert out/01-announcement.png -crop 1920x700+0+100 -format '%k' info:)
[ "$k" -gt 1000 ] || die "the emoji are not in colour ($k colours)"

# A 23-hour "overnight" event is a slip: refused, the live feed kept.
cp data/feed.db before.db
printf 'date,title,start_time,end_time\n2026-11-22,讲座,9:00,8:00\n' > stick/noticeboard/events.csv
expect_status 1 "$SYNC" import --data data --config open.conf stick > bad.txt 2>&1
contains bad.txt "开始时间“9:00”不早于结束时间“8:00”"
contains bad.txt "最长12小时"
cmp data/feed.db before.db || die "live feed changed"
