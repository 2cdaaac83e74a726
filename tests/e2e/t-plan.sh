# Player plan: `plan --at` lists the loop at that moment (KIND TAB ID TAB
# TITLE, urgent interleaved), `--from --to` the intervals; the player's
# render follows the same plan (t-render.sh); before the feed was made the
# clock is judged as the player would; usage errors exit 2.
at '2026-11-01 08:00'                      # the feed is made before every moment asked
mkdir -p stick/noticeboard
cd stick/noticeboard
printf 'title,body,start,end,priority,hours\n早间通知,早上好,2026-11-01,2026-11-30,,08:00-12:00\n全天通知,全天内容,2026-11-01,2026-11-30,,\n停电通知,明天停电,2026-11-22,2026-11-23,紧急,\n' > announcements.csv
printf 'date,title,start_time,end_time\n2026-11-22,书法班,9:00,11:00\n' > events.csv
printf 'roll,name,start,end\n好人榜,张三,2026-11-01,2026-11-30\n' > honors.csv
cd "$T"
printf '[sync]\ntrust = open\n[schedule]\nquiet_hours = 22:00-07:00\n' > c.conf
"$SYNC" import --data data --config c.conf stick > import.txt 2>&1 || { cat import.txt; die "import failed"; }

"$NB" plan --data data --config c.conf --at '2026-11-22 10:00' > at10.txt
printf 'urgent\t3\t停电通知\nannouncement\t1\t早间通知\nurgent\t3\t停电通知\nannouncement\t2\t全天通知\nurgent\t3\t停电通知\nevents\t-\t近期活动\nurgent\t3\t停电通知\nhonors\t好人榜\t好人榜\n' > want10.txt
diff want10.txt at10.txt || die "plan at 10:00"
# In the afternoon the morning notice is gone; after its bare end date
# (which includes that whole day) the urgent one too.
"$NB" plan --data data --config c.conf --at '2026-11-24 14:00' > at14.txt
grep -q "早间通知" at14.txt && die "hours window ignored"
grep -q "^urgent" at14.txt && die "urgent notice outlived its end"
contains at14.txt $'announcement\t2\t全天通知'
# Quiet hours print a single line.
"$NB" plan --data data --config c.conf --at '2026-11-22 23:00' > quiet.txt
[ "$(cat quiet.txt)" = quiet ] || die "quiet hours: $(cat quiet.txt)"
# The span form: intervals in order, quiet included.
"$NB" plan --data data --config c.conf --from '2026-11-22 06:00' --to '2026-11-22 23:00' > span.txt
head -1 span.txt | finds $'^2026-11-22 06:00\t2026-11-22 07:00\tquiet' || die "span first line: $(head -1 span.txt)"
tail -1 span.txt | finds $'\t2026-11-22 23:00\tquiet' || die "span last line: $(tail -1 span.txt)"
grep -qx $'2026-11-22 08:00\t2026-11-22 11:00\t3 1 3 2 3 - 3 好人榜' span.txt || die "morning interval missing"
grep -qx $'2026-11-22 12:00\t2026-11-22 22:00\t3 2 3 好人榜' span.txt || die "afternoon interval missing"
# The render at the same moment draws the same slides in the same order.
"$NB" render --data data --config c.conf --at '2026-11-22 10:00' --out out > paths.txt
[ "$(sed -E 's#^out/[0-9]{2}-([a-z]+)\.png$#\1#' paths.txt | tr '\n' ' ')" = \
  "$(cut -f1 want10.txt | tr '\n' ' ')" ] || die "render order is not the plan's"
# Before the feed was made the player would not believe its clock: plan
# and render list only what does not depend on the date, and say why in
# one line; from the moment the feed was made, everything that is on.
mkdir -p late/noticeboard
cp stick/noticeboard/*.csv late/noticeboard/
printf '常驻通知,每天都有,,,,\n' >> late/noticeboard/announcements.csv
at '2026-11-22 12:00'
"$SYNC" import --data late --config c.conf late > late.txt 2>&1 || { cat late.txt; die "late import failed"; }
"$NB" plan --data late --config c.conf --at '2026-11-22 10:00' > early.txt 2> early.err
[ "$(cat early.txt)" = "$(printf 'announcement\t4\t常驻通知')" ] || { cat early.txt; die "dated items planned before the feed was made"; }
[ "$(wc -l < early.err)" -eq 1 ] || { cat early.err; die "expected one line on stderr"; }
contains early.err "at 2026-11-22 10:00 the player would not believe its clock, as that is before the feed was made (2026-11-22 12:00): only date-free items are planned"
"$NB" plan --data late --config c.conf --at '2026-11-22 12:00' > made.txt 2> made.err
contains made.txt $'announcement\t2\t全天通知'
contains made.txt $'urgent\t3\t停电通知'
[ ! -s made.err ] || { cat made.err; die "a believed clock is not worth a line"; }
"$NB" plan --data late --config c.conf --from '2026-11-22 10:00' --to '2026-11-22 14:00' > lspan.txt 2> lspan.err
head -1 lspan.txt | finds -x $'2026-11-22 10:00\t2026-11-22 12:00\t4' || die "span before the feed: $(head -1 lspan.txt)"
grep -qx $'2026-11-22 12:00\t2026-11-22 14:00\t3 2 3 4 3 好人榜' lspan.txt || { cat lspan.txt; die "span after the feed"; }
contains lspan.err "before 2026-11-22 12:00 the player would not believe its clock"
"$NB" render --data late --config c.conf --at '2026-11-22 10:00' --out early > epaths.txt 2> render.err
[ "$(cat epaths.txt)" = early/01-announcement.png ] || { cat epaths.txt; die "render drew dated items"; }
contains render.err "the player would not believe its clock"
# Usage errors.
expect_status 2 "$NB" plan --data data
expect_status 2 "$NB" plan --data data --at '2026-13-01 10:00'
expect_status 2 "$NB" plan --data data --at '2026-11-22 10:00' --from '2026-11-22 10:00'
expect_status 2 "$NB" plan --data data --from '2026-11-22 10:00' --to '2026-11-22 09:00'
