# Player render: every slide page of the loop at a moment becomes
# out/NN-KIND.png in play order (same order as `plan --at`), each a real
# PNG of the asked size with real content; portrait by --size and by
# config rotate; the idle page when nothing plays; usage errors exit 2.
command -v identify >/dev/null || die "ImageMagick missing (apt-get install imagemagick)"
at '2026-11-01 08:00'                      # the feed is made before every moment drawn
mkdir -p stick/noticeboard/media
cp "$TOP/tests/fixtures/images/small.jpg" stick/noticeboard/media/poster.jpg
cd stick/noticeboard
printf 'title,body,image,start,end,priority\n用电安全提示,请居民朋友注意用电安全，不要私拉电线。,,2026-11-01,2026-11-30,\n,,media/poster.jpg,2026-11-01,2026-11-30,\n停电通知,11月23日上午9点至11点停电。,,2026-11-20,2026-11-23,紧急\n' > announcements.csv
printf 'date,title,start_time,end_time,place\n2026-11-22,书法班,9:00,11:00,二楼书画室\n2026-11-23,义诊,8:30,11:00,卫生服务站\n' > events.csv
printf 'roll,name,honor,unit,year,start,end\n2026年度好人榜,张三,志愿服务标兵,一队,2026,2026-11-01,2026-12-31\n2026年度好人榜,李四,好邻居,二队,2026,2026-11-01,2026-12-31\n' > honors.csv
printf 'text,end\n欢迎光临社区服务中心,2026-12-31\n' > ticker.csv
printf 'key,value\norg_name,测试社区服务中心\n' > settings.csv
cd "$T"
printf '[sync]\ntrust = open\n' > open.conf
"$SYNC" import --data data --config open.conf stick > import.txt 2>&1 || { cat import.txt; die "import failed"; }

at='2026-11-22 10:00'
"$NB" plan --data data --config open.conf --at "$at" > plan.txt
expect_status 0 "$NB" render --data data --config open.conf --at "$at" --out out > paths.txt
# One path per line, numbered in play order, kinds as the plan lists them.
[ "$(wc -l < paths.txt)" -ge 8 ] || die "expected at least 8 pages"
cut -f1 plan.txt > plan-kinds.txt
sed -E 's#^out/([0-9]{2})-([a-z]+)\.png$#\2#' paths.txt > render-kinds.txt
diff plan-kinds.txt render-kinds.txt || die "render order differs from the plan"
n=0
while read -r p; do
    n=$((n + 1))
    [ "$p" = "$(printf 'out/%02d-' "$n")$(sed -n "${n}p" render-kinds.txt).png" ] || die "bad path $p"
    [ -s "$p" ] || die "$p missing"
    [ "$(head -c 8 "$p" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] || die "$p is not a PNG"
    read -r w h k < <(identify -format '%w %h %k\n' "$p")
    [ "$w" = 1920 ] && [ "$h" = 1080 ] || die "$p is ${w}x$h"
    [ "$k" -gt 50 ] || die "$p has only $k colours (blank?)"
done < paths.txt
# The urgent page is unmistakable: a red field (theme urgent_bg).
px=$(convert out/01-urgent.png -crop 1x1+20+600 -depth 8 -format '%[fx:int(255*r)] %[fx:int(255*g)] %[fx:int(255*b)]' info:)
read -r r g b <<< "$px"
[ "$r" -gt 150 ] && [ "$g" -lt 90 ] && [ "$b" -lt 90 ] || die "urgent background is $px, not red"
# An ordinary page is not red there.
px=$(convert out/02-announcement.png -crop 1x1+20+600 -depth 8 -format '%[fx:int(255*g)]' info:)
[ "$px" -gt 150 ] || die "announcement background looks wrong ($px)"

# Portrait by size, and by rotation in the config.
expect_status 0 "$NB" render --data data --config open.conf --at "$at" --size 1080x1920 --out portrait > p1.txt
[ "$(wc -l < p1.txt)" -ge 8 ] || die "portrait: too few pages"
[ "$(identify -format '%w %h' portrait/02-announcement.png)" = "1080 1920" ] || die "portrait size"
printf '[display]\nrotate = 90\n[sync]\ntrust = open\n' > rot.conf
expect_status 0 "$NB" render --data data --config rot.conf --at "$at" --out rotated > p2.txt
[ "$(identify -format '%w %h' rotated/02-announcement.png)" = "1080 1920" ] || die "rotate 90 not portrait"

# Nothing active (2028): the idle page with the name and the clock, not black.
expect_status 0 "$NB" render --data data --config open.conf --at '2028-01-01 12:00' --out idle > p3.txt
[ "$(cat p3.txt)" = "idle/01-idle.png" ] || die "idle render: $(cat p3.txt)"
[ "$(identify -format '%k' idle/01-idle.png)" -gt 20 ] || die "idle page is blank"
# No feed at all renders the idle page too.
expect_status 0 "$NB" render --data nodata --at "$at" --out empty > p4.txt
[ "$(cat p4.txt)" = "empty/01-idle.png" ] || die "render without a feed"

# Usage errors.
expect_status 2 "$NB" render --data data --at "$at"
expect_status 2 "$NB" render --data data --at 'tomorrow' --out x
expect_status 2 "$NB" render --data data --at "$at" --size 100 --out x
expect_status 2 "$NB" --bogus
expect_status 0 "$NB" --version
