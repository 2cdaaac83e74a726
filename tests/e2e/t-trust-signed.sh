# t-trust-signed: signed trust end to end with vectors made by the real
# minisign (tests/fixtures/trust/): good, legacy, tampered, wrong key, replay,
# and pack + minisign on a fresh bundle.
# report_has STICK TEXT: some report the device wrote on STICK says TEXT.
report_has() { grep -qF -- "$2" "$1"/noticeboard/reports/*.txt || { cat "$1"/noticeboard/reports/*.txt; die "no report on $1 says '$2'"; }; }
F=$TOP/tests/fixtures/trust
printf '[sync]\ntrust = signed\npublic_key = %s\n' "$(tail -n1 "$F/test.pub")" >signed.conf
fv() { grep '^feed_version:' <($SYNC status --data "$1") || echo "feed_version: none"; }

# trust-signed-1: prehashed (ED) and legacy (Ed) signatures are accepted.
cp -r "$F/good" good && cp -r "$F/legacy" legacy
$SYNC import --data d1 --config signed.conf good >i1.out 2>&1 || { cat i1.out; die "good bundle refused"; }
grep -q '^announcements: 1$' <($SYNC status --data d1) || die "good bundle content missing"
$SYNC import --data d2 --config signed.conf legacy >i2.out 2>&1 || { cat i2.out; die "legacy signature refused"; }
[ "$(cat d1/state/manifest-version)" = 1900000000 ] || die "accepted version not remembered"

# trust-signed-2: replay of the same bundle: 3, nothing changed.
v=$(fv d1)
expect_status 3 $SYNC import --data d1 --config signed.conf good
report_has good "不高于"
[ "$(fv d1)" = "$v" ] || die "feed changed after a replay"

# trust-signed-3: MANIFEST edited, trusted comment edited, another key: 3.
for b in tampered-manifest tampered-comment wrong-key; do
    cp -r "$F/$b" "$b"
    expect_status 3 $SYNC import --data d3 --config signed.conf "$b"
    [ ! -e d3/feed.db ] || die "$b: a feed was activated"
done

# trust-signed-4: a file changed after signing: signature fine, digest not;
# refused as not authorized and nothing activated.
cp -r "$F/tampered-file" tampered-file
expect_status 3 $SYNC import --data d4 --config signed.conf tampered-file
[ ! -e d4/feed.db ] || die "tampered-file: a feed was activated"

# trust-signed-5: an old version is fine on a fresh device, refused after a newer one.
cp -r "$F/old" old
$SYNC import --data d5 --config signed.conf old >/dev/null 2>&1 || die "old bundle refused on a fresh device"
$SYNC import --data d5 --config signed.conf good >/dev/null 2>&1 || die "newer bundle refused"
expect_status 3 $SYNC import --data d5 --config signed.conf old

# trust-signed-6: pack + minisign on a fresh bundle; version = now, so it is
# above the fixtures' only on a fresh device (d6).
mkdir -p fresh/noticeboard/media fresh/noticeboard/reports
printf '\xef\xbb\xbf内容\r\n新打包的滚动消息\r\n' >fresh/noticeboard/ticker.csv
cp "$TOP/tests/fixtures/images/small.jpg" fresh/noticeboard/media/图.jpg
echo old >fresh/noticeboard/reports/x.txt
$SYNC pack fresh >pack.out
contains pack.out "minisign -Sm fresh/noticeboard/MANIFEST"
grep -q '^version: [0-9]\{10\}$' fresh/noticeboard/MANIFEST || die "no version line"
contains fresh/noticeboard/MANIFEST " media/图.jpg"
grep -q reports fresh/noticeboard/MANIFEST && die "reports/ must not be listed"
minisign -S -s "$F/test.sec" -m fresh/noticeboard/MANIFEST >/dev/null
$SYNC import --data d6 --config signed.conf fresh >i6.out 2>&1 || { cat i6.out; die "packed and signed bundle refused"; }
grep -q '^ticker: 1$' <($SYNC status --data d6) || die "packed content missing"
expect_status 2 $SYNC pack
expect_status 2 $SYNC pack nowhere

# trust-signed-7: the 海报 folder under signed trust: pack lists its files,
# a poster added after signing is skipped with a 提醒 (and named on the 海报
# line), a signed poster removed from the stick refuses the stick.
mkdir -p posters/noticeboard/海报
cp "$TOP/tests/fixtures/images/small.jpg" posters/noticeboard/海报/1.jpg
$SYNC pack posters >/dev/null
contains posters/noticeboard/MANIFEST " 海报/1.jpg"
minisign -S -s "$F/test.sec" -m posters/noticeboard/MANIFEST >/dev/null
cp -r posters posters-gone
cp "$TOP/tests/fixtures/images/small.jpg" posters/noticeboard/海报/后加的.jpg
$SYNC import --data d7 --config signed.conf posters >i7.out 2>&1 || { cat i7.out; die "signed posters refused"; }
contains i7.out "海报/后加的.jpg: 不在签名清单（MANIFEST）中，已跳过"
contains i7.out "海报：替换为 1 张（读的是 海报 文件夹；原来没有；跳过 1 个文件：后加的.jpg）"
rm posters-gone/noticeboard/海报/1.jpg
expect_status 3 $SYNC import --data d8 --config signed.conf posters-gone
report_has posters-gone "签名清单中的文件“海报/1.jpg”在U盘上找不到"
[ ! -e d8/feed.db ] || die "posters-gone: a feed was activated"
