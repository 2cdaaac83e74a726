# Sync: a bad row rejects the whole import with exit 1, the exact report
# line, every problem in one pass, and the live feed byte-for-byte unchanged.
F=$TOP/tests/fixtures/bundles
printf '[sync]\ntrust = open\n' > open.conf
cp -r "$F/good" good
expect_status 0 "$SYNC" import --data data --config open.conf good > /dev/null 2>&1
cp data/feed.db before.db
cp -r "$F/bad-date" bad
expect_status 1 "$SYNC" import --data data --config open.conf bad > out.txt 2> err.txt
contains out.txt "更新失败：发现1处问题，屏幕内容没有改变。请按下面的提示修改后重新导入。"
contains out.txt "events.csv:5:1: 日期“2026/13/01”无效，应为 2026-12-01 这样的格式"
cmp data/feed.db before.db || die "live feed changed by a rejected import"
[ "$(head -1 data/state/last-sync.txt)" = fail ] || die "last-sync.txt should say fail"
rep=$(ls bad/noticeboard/reports/*.txt)
tr -d '\r' < "$rep" | finds -F "events.csv:5:1: 日期“2026/13/01”无效" || die "report on stick lacks the problem"

# Many problems in several files: all of them, in sheet order.
cp -r "$F/multi-errors" multi
expect_status 1 "$SYNC" import --data data --config open.conf multi > m.txt 2>&1
contains m.txt "发现8处问题"
for line in \
    "announcements.csv:2:3: 开始“2026-12-05”晚于结束“2026-12-01”" \
    "announcements.csv:3:5: 时长“0”无效，应为 3 到 600 之间的秒数" \
    "announcements.csv:3:6: 级别“很急”无效" \
    "events.csv:2:2: 活动不能为空" \
    "events.csv:3:1: 日期“2026-02-30”无效" \
    "events.csv:3:3: 开始时间“9:00”不早于结束时间“8:00”" \
    "honors.csv:2:2: 姓名不能为空" \
    "holidays.csv:2:2: 类型“放学”无效"; do
    contains m.txt "$line"
done
cmp data/feed.db before.db || die "live feed changed by a rejected import"

# A missing required column.
mkdir -p nocol/noticeboard
printf '内容\n正文\n' > nocol/noticeboard/announcements.csv
expect_status 1 "$SYNC" import --data data --config open.conf nocol > n.txt 2>&1
contains n.txt "announcements.csv:1: 缺少必填列“标题”（title）"
cmp data/feed.db before.db || die "live feed changed"

# More events in two weeks than the events slide lists: refused with the
# busiest days named (the slide never leaves an event off the screen);
# the same events spread further apart, or already past, import.
at '2026-11-22 10:00'
mkdir -p busy/noticeboard
{ echo 'date,title'
  for i in $(seq 1 101); do echo "2026-12-0$((i % 9 + 1)),活动$i"; done; } > busy/noticeboard/events.csv
expect_status 1 "$SYNC" import --data data --config open.conf busy > b.txt 2>&1
contains b.txt "events.csv: 2026年12月1日到2026年12月9日之间有101项活动，屏幕上的近期活动一次最多列出100项"
cmp data/feed.db before.db || die "live feed changed"
{ echo 'date,title'
  for i in $(seq 1 101); do echo "2026-12-0$((i % 9 + 1)),活动$i"; done
  echo '2026-11-01,上个月的活动'; } > busy/noticeboard/events.csv
sed -i '2d' busy/noticeboard/events.csv                 # 100 from today on, one past
expect_status 0 "$SYNC" import --data data --config open.conf busy > b2.txt 2>&1
