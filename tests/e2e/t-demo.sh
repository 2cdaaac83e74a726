# t-demo.sh — the demo bundle (assets/demo, what `make run` plays) imports
# whole: every file in its own encoding (UTF-8+BOM with CRLF, GB18030 with
# CRLF, UTF-16 tab-separated, plain UTF-8), Chinese and English headers in
# free order, media; and its schedule plays as written: the urgent 停水通知
# first, 工作日 / 周一至周五 / 周六,周日 / hour windows on the right days.
at '2026-11-21 09:00'                      # imported on Saturday: every moment below is after
cp -r "$TOP/assets/demo" stick
rm -rf stick/noticeboard/reports
CONF=$TOP/assets/demo/noticeboard.conf
# An independent parse of every file (encoding, columns, media references).
if command -v python3 >/dev/null; then python3 "$TOP/assets/demo/check-bundle.py" stick/noticeboard; fi
"$SYNC" import --data data --config "$CONF" stick >import.out
"$SYNC" status --data data >status
for kv in "announcements: 10" "events: 32" "honors: 39" "ticker: 6"; do
    contains status "$kv"
done
ls stick/noticeboard/reports/*.txt >/dev/null || die "no report written to the stick"

plan() { "$NB" plan --data data --config "$CONF" --at "$1" | cut -f1,3 >"$2"; }
has() { grep -qF -- "$2" "$1" || { cat "$1"; die "$1: no '$2'"; }; }
hasnt() { ! grep -qF -- "$2" "$1" || { cat "$1"; die "$1: unexpected '$2'"; }; }

# Sunday morning: the water notice interrupts first; weekend-only help line on.
plan '2026-11-22 10:00' sun
[ "$(head -n1 sun)" = "$(printf 'urgent\t停水通知')" ] || { cat sun; die "停水通知 is not first"; }
has sun "冬季消防安全提示"
has sun "幸福里社区居务公开（2026年第三季度）"
has sun "第八届社区文化节"
has sun "有诉求，找12345"
has sun "events"
has sun "2026年度优秀志愿者"
has sun "2026年度文明家庭"
hasnt sun "党群服务中心开放时间"      # 工作日
hasnt sun "服务中心免费Wi-Fi"          # 周一至周五
hasnt sun "广场舞请控制音量"           # 19:00-21:30
hasnt sun "垃圾分类 从我做起"          # 07:00-09:00,18:00-21:00

# Monday morning: weekday notices on, weekend line off.
plan '2026-11-23 10:00' mon
has mon "党群服务中心开放时间"
has mon "服务中心免费Wi-Fi"
hasnt mon "有诉求，找12345"

# Sunday evening: the evening windows.
plan '2026-11-22 19:30' eve
has eve "广场舞请控制音量"
has eve "垃圾分类 从我做起"

# After the water works and the festival: no urgent slide, no poster.
plan '2026-12-01 10:00' dec
hasnt dec "urgent"
hasnt dec "第八届社区文化节"
has dec "幸福里社区居务公开（2026年第三季度）"
