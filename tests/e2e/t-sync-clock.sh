# t-sync-clock: the stick carries the time (docs/schedule.md, 设备时间), with
# the clock call shimmed (NB_TEST_SET_CLOCK, lib.sh: never the machine's
# clock).  A box a week behind is corrected by the tables' times (key trust)
# and by a signed packing time, and says so in the report and the sync state;
# a file touched to 2099 moves neither a key nor a signed box; an office PC a
# year ahead does not move it, and staff are told; time.txt moves it back,
# once; set_clock = no and a dry run never move it.
export TZ=Asia/Shanghai
# Every moment here is set (NB_TEST_CLOCK for the box, touch -d for the
# stick); under `make check-dates` libfaketime would also shift the file
# times the import sees through stat(), which no real stick does.
unset LD_PRELOAD FAKETIME
set_to() { cat "$NB_TEST_SET_CLOCK" 2>/dev/null || true; }
feed_created() { sqlite3 "$1/feed.db" "select value from meta where key = 'created_at'"; }
moved() { [ -s "$NB_TEST_SET_CLOCK" ] || die "$1: the clock was not set"; }
unmoved() { [ ! -e "$NB_TEST_SET_CLOCK" ] || die "$1: the clock was set to $(set_to)"; }
printf '[sync]\ntrust = key\n' >key.conf
at '2026-11-26 14:00'
$SYNC init --csv --data data --config key.conf stick >/dev/null
fill_templates stick
B=stick/noticeboard
# init wrote 设置时间.bat: GB18030 and CRLF for cmd.exe, the reviewed text.
iconv -f GB18030 -t UTF-8 "$B/设置时间.bat" | tr -d '\r' | diff - "$TOP/tests/fixtures/set-time.bat.txt" ||
    die "设置时间.bat differs from tests/fixtures/set-time.bat.txt"
grep -q $'\r$' "$B/设置时间.bat" || die "设置时间.bat lacks CRLF"
contains "$B/设置时间.bat" "ToString('yyyy-MM-dd HH:mm:ss zzz'"
stamp() { touch -d "$1" "$B"/*.csv "$B"; }

# clock-1: a box a week behind (fake-hwclock restored last week's time) and
# a stick saved today: moved to the tables' time, said in the output, the
# report on the stick and the sync state the screen shows; the new feed is
# made at the corrected time and the player's last good time follows.
stamp '2026-12-03 09:00'
$SYNC import --data data --config key.conf stick >i1.out 2>i1.err || { cat i1.out i1.err; die "import 1"; }
moved clock-1
[ "$(set_to)" = '2026-12-03 09:00:00' ] || die "clock-1: set to '$(set_to)'"
note='设备时间已校正为 2026年12月3日 09:00（原为 2026年11月26日 14:00）'
contains i1.out "$note"
contains i1.out '时间：2026-12-03 09:00'
grep -qF "$note" "$B"/reports/*.txt || die "clock-1: the report on the stick does not say it"
contains data/state/last-sync.txt "$note"
[ "$(cat data/state/clock.txt)" = '2026-12-03 09:00' ] || die "clock-1: clock.txt $(cat data/state/clock.txt)"
[ "$(feed_created data)" = '2026-12-03 09:00' ] || die "clock-1: feed made at $(feed_created data)"
# status judges the clock as the player does: the old time is doubtful now.
$SYNC status --data data >st1.txt
contains st1.txt 'clock: 2026-11-26 14:00 unsure: before the feed was made (2026-12-03 09:00)'
NB_TEST_CLOCK='2026-12-03 09:01' $SYNC status --data data >st2.txt
contains st2.txt 'clock: 2026-12-03 09:01 ok'
rm -f "$NB_TEST_SET_CLOCK"

# clock-2: the same stick again, now that the clock is right: nothing.
at '2026-12-03 09:05'
$SYNC import --data data --config key.conf stick >i2.out 2>&1 || { cat i2.out; die "import 2"; }
unmoved clock-2
grep -qF '设备时间' i2.out && die "clock-2: a right clock was reported"

# clock-3: one table touched to 2099 (file times are nobody's signature):
# a single time never moves the clock.
# (The folder too: the import made reports/ in it, on the machine's own
# clock, which is not the test clock.)
stamp '2026-12-03 09:00'
touch -d '2099-01-01 00:00' "$B"/events.csv
$SYNC import --data data --config key.conf stick >i3.out 2>&1 || { cat i3.out; die "import 3"; }
unmoved clock-3

# clock-4: an office PC a year and a week ahead saved every table: beyond
# belief, not moved, and staff are told what to do.
stamp '2027-12-10 09:00'
$SYNC import --data data --config key.conf stick >i4.out 2>&1 || { cat i4.out; die "import 4"; }
unmoved clock-4
contains i4.out '设备时间没有改动'
contains i4.out '设置时间'

# clock-5: a box left a year ahead (an earlier PC's wrong clock): time.txt
# as 设置时间.bat writes it moves it back; the same time.txt again (a stick
# that still holds it) does not, even where it would be a move.
stamp '2026-12-03 14:00'
printf '2026-12-03 14:30:05 +08:00\r\n' >"$B"/time.txt
at '2027-11-28 10:00'
$SYNC import --data data --config key.conf stick >i5.out 2>&1 || { cat i5.out; die "import 5"; }
[ "$(set_to)" = '2026-12-03 14:30:05' ] || die "clock-5: set to '$(set_to)'"
contains i5.out '设备时间已校正为 2026年12月3日 14:30（原为 2027年11月28日 10:00）'
[ "$(cat data/state/clock.txt)" = '2026-12-03 14:30' ] || die "clock-5: clock.txt $(cat data/state/clock.txt)"
rm -f "$NB_TEST_SET_CLOCK"
at '2026-12-03 16:00'
$SYNC import --data data --config key.conf stick >i6.out 2>&1 || { cat i6.out; die "import 6"; }
unmoved clock-5-again
# A time.txt that is not a time: a 提醒, the clock untouched.
printf 'yesterday\r\n' >"$B"/time.txt
$SYNC import --data data --config key.conf stick >i7.out 2>&1 || { cat i7.out; die "import 7"; }
unmoved clock-5-bad
contains i7.out 'time.txt: 时间的写法不对'
rm "$B"/time.txt
# A link named time.txt is not followed (a 提醒, the clock untouched).
printf '2026-12-03 18:00 +08:00\n' >elsewhere.txt
ln -s "$PWD/elsewhere.txt" "$B"/time.txt
$SYNC import --data data --config key.conf stick >i8.out 2>&1 || { cat i8.out; die "import 8"; }
unmoved clock-5-link
contains i8.out 'time.txt: 不是普通文件'
rm "$B"/time.txt

# clock-6: a dry run and set_clock = no never move it.
at '2026-11-26 14:00'
stamp '2026-12-03 09:00'
$SYNC import --dry-run --data data --config key.conf stick >/dev/null 2>&1 || die "dry run"
unmoved clock-6-dry-run
printf '[sync]\ntrust = key\nset_clock = no\n' >off.conf
$SYNC import --data data --config off.conf stick >/dev/null 2>&1 || die "set_clock = no"
unmoved clock-6-off

# clock-7b: one workbook as WPS or Excel saves it (its "last saved" inside,
# docProps/core.xml) on a stick whose folder time is old (FAT keeps none):
# the file's time and the workbook's own make the pair; touching the file
# to 2099 moves nothing.
mkdir -p book/noticeboard
cp "$B/noticeboard.key" book/noticeboard/
/usr/bin/python3 - book/noticeboard/内容.xlsx <<'P'
import io, re, sys, zipfile, openpyxl
wb = openpyxl.Workbook()
ws = wb.active
ws.title = '滚动消息'
ws['A1'], ws['A2'] = '内容', '工作簿里的消息'
buf = io.BytesIO()
wb.save(buf)
with zipfile.ZipFile(buf) as zin, zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED) as zout:
    for i in zin.infolist():
        data = zin.read(i.filename)
        if i.filename == 'docProps/core.xml':   # saved 2026-12-10 09:00 in Beijing
            data = re.sub(rb'(<dcterms:modified[^>]*>)[^<]*', rb'\g<1>2026-12-10T01:00:00Z', data)
        zout.writestr(i, data)
P
touch -d '2026-12-10 09:00' book/noticeboard/内容.xlsx
touch -d '2026-11-01 08:00' book/noticeboard
at '2026-12-05 10:00'
$SYNC import --data data --config key.conf book >b1.out 2>&1 || { cat b1.out; die "workbook import"; }
[ "$(set_to)" = '2026-12-10 09:00:00' ] || die "clock-7b: set to '$(set_to)'"
rm -f "$NB_TEST_SET_CLOCK"
touch -d '2099-01-01 00:00' book/noticeboard/内容.xlsx
touch -d '2026-11-01 08:00' book/noticeboard
at '2026-12-10 09:05'
$SYNC import --data data --config key.conf book >b2.out 2>&1 || { cat b2.out; die "workbook import 2"; }
unmoved clock-7b-touched

# clock-7: signed trust.  A genuine bundle packed at 13:50 with one file's
# time touched to 2099 afterwards (the signature covers contents, not
# times): a right box stays; a box a week behind goes to the packing time.
F=$TOP/tests/fixtures/trust
printf '[sync]\ntrust = signed\npublic_key = %s\n' "$(tail -n1 "$F/test.pub")" >signed.conf
mkdir -p signed/noticeboard
printf '\xef\xbb\xbf内容\r\n新打包的滚动消息\r\n' >signed/noticeboard/ticker.csv
at '2026-12-03 13:50'
$SYNC pack signed >/dev/null
minisign -S -s "$F/test.sec" -m signed/noticeboard/MANIFEST >/dev/null
touch -d '2099-01-01 00:00' signed/noticeboard/ticker.csv signed/noticeboard
at '2026-12-03 14:00'
$SYNC import --data s1 --config signed.conf signed >s1.out 2>&1 || { cat s1.out; die "signed import 1"; }
unmoved clock-7-right
grep -qF '设备时间' s1.out && die "clock-7: a right clock was reported"
at '2026-11-26 14:00'
$SYNC import --data s2 --config signed.conf signed >s2.out 2>&1 || { cat s2.out; die "signed import 2"; }
[ "$(set_to)" = '2026-12-03 13:50:00' ] || die "clock-7: set to '$(set_to)', not the packing time"
contains s2.out '设备时间已校正为 2026年12月3日 13:50（原为 2026年11月26日 14:00）'
rm -f "$NB_TEST_SET_CLOCK"
# An unsigned time.txt added to a signed stick is not read.
printf '2026-01-01 08:00 +08:00\r\n' >signed/noticeboard/time.txt
$SYNC import --data s3 --config signed.conf signed >s3.out 2>&1 || { cat s3.out; die "signed import 3"; }
[ "$(set_to)" = '2026-12-03 13:50:00' ] || die "clock-7: an unsigned time.txt counted: '$(set_to)'"
grep -qF 'time.txt' s3.out && die "clock-7: an unsigned time.txt was reported to staff"
true
