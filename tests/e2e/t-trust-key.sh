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

# trust-key-6: init on a new stick makes a new key: the old stick stops
# working, init run again on it (its content untouched) brings it back.
$SYNC init --data data --config key.conf stick2 >init2.out 2>&1
contains init2.out "新的钥匙"
expect_status 3 $SYNC import --data data --config key.conf stick
$SYNC init --data data --config key.conf stick >init3.out 2>&1
contains init3.out "没有写入空白表格"
expect_status 3 $SYNC import --data data --config key.conf stick2
$SYNC import --data data --config key.conf stick >/dev/null 2>&1 || die "re-initialised stick refused"
