# t-trust-key: key trust end to end: init writes the device key; a stick
# without it or with another device's key is refused (exit 3) before any
# other file is read, the live feed unchanged and the reason in the report.
# report_has STICK TEXT: some report the device wrote on STICK says TEXT.
report_has() { grep -qF -- "$2" "$1"/noticeboard/reports/*.txt || { cat "$1"/noticeboard/reports/*.txt; die "no report on $1 says '$2'"; }; }
printf '[sync]\ntrust = key\n' >key.conf
$SYNC init --csv --data data --config key.conf stick >init.out
[ -s stick/noticeboard/noticeboard.key ] || die "init wrote no key"
[ -s data/state/key.sha256 ] || die "device keeps no key hash"
key=$(head -n1 stick/noticeboard/noticeboard.key | tr -d '\r')
grep -qF "$key" data/state/key.sha256 && die "the device must keep only the hash"

# trust-key-1: the right key imports.
fill_templates stick
$SYNC import --data data --config key.conf stick >imp.out 2>&1 || { cat imp.out; die "import with the key failed"; }
v1=$(grep '^feed_version:' <($SYNC status --data data))

# trust-key-2: no key file: 3, report says so, nothing changed.  A FIFO
# as announcements.csv would hang anyone reading it before authorization.
mkdir -p nokey/noticeboard && mkfifo nokey/noticeboard/announcements.csv
expect_status 3 timeout 20 $SYNC import --data data --config key.conf nokey
report_has nokey "U盘中没有本设备的钥匙文件 noticeboard.key"
[ "$(grep '^feed_version:' <($SYNC status --data data))" = "$v1" ] || die "feed changed after a refused import"

# trust-key-3: another device's key: 3 with 钥匙文件与本设备不匹配.
$SYNC init --data other --config key.conf otherstick >/dev/null
cp otherstick/noticeboard/noticeboard.key stick/noticeboard/noticeboard.key
expect_status 3 $SYNC import --data data --config key.conf stick
report_has stick "钥匙文件与本设备不匹配"

# trust-key-4: a key file edited in Notepad (BOM, CRLF, trailing spaces) works.
printf '\xef\xbb\xbf%s  \r\n' "$key" >stick/noticeboard/noticeboard.key
$SYNC import --data data --config key.conf stick >/dev/null 2>&1 || die "a BOM/CRLF key file was refused"

# trust-key-5: a symlink named noticeboard.key is not followed.
ln -sf "$PWD/stick/noticeboard/noticeboard.key" nokey/noticeboard/noticeboard.key
rm nokey/noticeboard/announcements.csv
expect_status 3 $SYNC import --data data --config key.conf nokey

# trust-key-6: several sticks.  init on a second blank stick adds a key:
# both sticks import, and init says so in plain words.  init run again on
# the first stick keeps its key and its content.
$SYNC init --csv --data data --config key.conf stick2 >init2.out 2>&1
contains init2.out "本设备现在认得 2 把钥匙，以前准备的U盘照常可以使用"
fill_templates stick2
[ "$(wc -l <data/state/key.sha256)" -eq 2 ] || die "the device should keep two key digests"
$SYNC import --data data --config key.conf stick >imp1.out 2>&1 || { cat imp1.out; die "the first stick was locked out by init on the second"; }
$SYNC import --data data --config key.conf stick2 >imp2.out 2>&1 || { cat imp2.out; die "the second stick does not import"; }
k1=$(head -n1 stick/noticeboard/noticeboard.key | tr -d '\r')
$SYNC init --data data --config key.conf stick >init3.out 2>&1
contains init3.out "没有写入空白表格"
contains init3.out "已有本设备的钥匙文件"
[ "$(head -n1 stick/noticeboard/noticeboard.key | tr -d '\r')" = "$k1" ] || die "init changed a working key"
$SYNC import --data data --config key.conf stick >/dev/null 2>&1 || die "re-initialised stick refused"

# trust-key-7: a key file copied to a third stick (the spare) works too.
mkdir -p stick3/noticeboard && cp stick2/noticeboard/noticeboard.key stick3/noticeboard/
cp stick2/noticeboard/*.csv stick3/noticeboard/
$SYNC import --data data --config key.conf stick3 >/dev/null 2>&1 || die "a copied key was refused"

# trust-key-8: --new-key (a stick was lost): the new stick is the only one
# that imports, and init says what happened to the others.
$SYNC init --csv --data data --config key.conf --new-key stick4 >init4.out 2>&1
fill_templates stick4
contains init4.out "本设备以前的钥匙全部作废"
contains init4.out "重新运行 init"
[ "$(wc -l <data/state/key.sha256)" -eq 1 ] || die "--new-key should leave one key"
expect_status 3 $SYNC import --data data --config key.conf stick
expect_status 3 $SYNC import --data data --config key.conf stick2
report_has stick2 "钥匙文件与本设备不匹配"
$SYNC import --data data --config key.conf stick4 >/dev/null 2>&1 || die "the new key was refused"

# trust-key-9: the ninth stick forgets the oldest key, by the day it was made.
for i in 1 2 3 4 5 6 7 8; do
    NB_TEST_CLOCK="2027-01-0$i 10:00" $SYNC init --csv --data data --config key.conf "many$i" >"many$i.out" 2>&1
done
contains many7.out "认得 8 把钥匙"
contains many8.out "最早的一把"
contains many8.out "作废"
expect_status 3 $SYNC import --data data --config key.conf stick4
fill_templates many1
$SYNC import --data data --config key.conf many1 >/dev/null 2>&1 || die "a key of the eight was refused"
