# t-inbox: the spool folder (DATA/inbox/noticeboard) a courier fills: a
# partial transfer is never imported, a complete signed bundle once, a bad
# one is refused with a report in the outbox, a bundle for other boards is
# ignored and the status says so, the folder is bounded.
at '2026-12-03 10:00'
F=$TOP/tests/fixtures/trust
key=$(tail -n1 "$F/test.pub")
conf() {    # conf FILE [board-lines…]
    local f=$1; shift
    printf '[sync]\ntrust = signed\npublic_key = %s\n' "$key" >"$f"
    [ $# -eq 0 ] || printf '[board]\n%s\n' "$@" >>"$f"
}
conf signed.conf
fv() { $SYNC status --data "$1" | sed -n 's/^feed_version: //p'; }
# bundle DIR VERSION TICKER [target lines…]: a packed and signed bundle.
bundle() {
    local d=$1 v=$2 text=$3; shift 3
    mkdir -p "$d/noticeboard/media"
    printf '\xef\xbb\xbf内容\r\n%s\r\n' "$text" >"$d/noticeboard/ticker.csv"
    printf '\xef\xbb\xbftitle,image\r\n%s的公告,media/p.jpg\r\n' "$text" >"$d/noticeboard/announcements.csv"
    cp "$TOP/tests/fixtures/images/small.jpg" "$d/noticeboard/media/p.jpg"
    $SYNC pack "$d" >/dev/null
    sed -i "s/^version: .*/version: $v/" "$d/noticeboard/MANIFEST"
    local l
    for l in "$@"; do echo "$l" >>"$d/noticeboard/MANIFEST"; done
    minisign -S -s "$F/test.sec" -m "$d/noticeboard/MANIFEST" >/dev/null
}
inbox() { $SYNC inbox --data "$1" --config "${2:-signed.conf}"; }

# inbox-1: only under signed trust; an empty inbox is no error.
printf '[sync]\ntrust = key\n' >key.conf
expect_status 2 $SYNC inbox --data d0 --config key.conf
inbox d1 2>e1.txt
contains d1/outbox/status.txt "inbox: empty"
[ -d d1/inbox ] || die "inbox folder not created"

# inbox-2: a transfer file by file: every file but the last present (the
# MANIFEST first, then its signature, then the rest) is never imported.
bundle b1 1000 第一版
mkdir -p d1/inbox/noticeboard/media
files=(MANIFEST MANIFEST.minisig ticker.csv media/p.jpg announcements.csv)
for f in "${files[@]}"; do
    inbox d1 2>w.txt || die "inbox failed while waiting"
    [ ! -e d1/feed.db ] || die "imported before $f arrived"
    cp "b1/noticeboard/$f" "d1/inbox/noticeboard/$f"
done
contains d1/outbox/status.txt "inbox: waiting"
# A file of the right size but other bytes (an old version not yet
# replaced) is a transfer under way too.
cp b1/noticeboard/ticker.csv keep.csv
sed -i 's/第一版/第二版/' d1/inbox/noticeboard/ticker.csv
inbox d1 2>w.txt
[ ! -e d1/feed.db ] || die "imported with a file not matching its digest"
contains w.txt "inbox: waiting"
cp keep.csv d1/inbox/noticeboard/ticker.csv
inbox d1 >i1.txt 2>&1 || { cat i1.txt; die "complete bundle not imported"; }
[ "$(fv d1)" = 1 ] || die "feed not activated"
contains d1/outbox/status.txt "inbox: imported"
contains d1/outbox/status.txt "feed_version: 1"
contains d1/outbox/status.txt "inbox_version: 1000"
contains d1/outbox/status.txt "clock: ok"
grep -qF 更新成功 d1/outbox/reports/*.txt || die "no report in the outbox"
[ ! -e d1/inbox/noticeboard/reports ] || die "report written into the inbox"
$SYNC status --data d1 | finds -x 'inbox: imported' || die "status lacks the inbox line"
# The screen as it plays now, drawn by the player beside the sync tool.
identify d1/outbox/screen/01-announcement.png | finds ' 960x540 ' || die "no screen picture in the outbox"

# inbox-3: the same bundle again: handled once (no import, no new report,
# the screen pictures not drawn again: a courier would send them each time).
n=$(ls d1/outbox/reports | wc -l)
shot=$(stat -c '%i %Y.%y' d1/outbox/screen/01-announcement.png)
sleep 1.1
inbox d1 2>/dev/null
inbox d1 2>/dev/null
[ "$(fv d1)" = 1 ] || die "the same bundle imported again"
[ "$(ls d1/outbox/reports | wc -l)" = "$n" ] || die "a report for a bundle already handled"
[ "$(stat -c '%i %Y.%y' d1/outbox/screen/01-announcement.png)" = "$shot" ] ||
    die "the screen picture was drawn again for a bundle already handled"

# inbox-4: the same bundle brought by stick first: nothing to do.
bundle b2 2000 第二版
$SYNC import --data d2 --config signed.conf b2 >/dev/null 2>&1 || die "stick import"
mkdir -p d2/inbox && cp -r b2/noticeboard d2/inbox/
inbox d2 2>/dev/null
[ "$(fv d2)" = 1 ] || die "a bundle already taken by stick imported again"
contains d2/outbox/status.txt "inbox: already-imported"

# inbox-5: a newer bundle replaces the inbox: imported.
rm -rf d1/inbox/noticeboard && cp -r b2/noticeboard d1/inbox/
inbox d1 >/dev/null 2>&1 || die "newer bundle refused"
[ "$(fv d1)" = 2 ] || die "newer bundle not activated"

# inbox-6: targeting.  A bundle for board 东区-3 or group 西区 reaches those
# and not the others, which say so.
bundle b3 3000 定向 'boards: 东区-3' 'groups: 西区， 北区'
conf east3.conf 'name = 东区-3' 'groups = 东区'
conf east4.conf 'name = 东区-4' 'groups = 东区'
conf west1.conf 'name = 西区-1' 'groups = 党群, 西区'
for b in east3 west1; do
    mkdir -p "t-$b/inbox" && cp -r b3/noticeboard "t-$b/inbox/"
    inbox "t-$b" "$b.conf" >/dev/null 2>&1 || die "$b: inbox failed"
done
# A board the bundle is not for knows it from the signed MANIFEST alone,
# without waiting for the rest.
mkdir -p t-east4/inbox/noticeboard && cp b3/noticeboard/MANIFEST* t-east4/inbox/noticeboard/
inbox t-east4 east4.conf >/dev/null 2>&1 || die "east4: inbox failed"
[ "$(fv t-east3)" = 1 ] || die "board named in the bundle did not take it"
[ "$(fv t-west1)" = 1 ] || die "board in a named group did not take it"
[ -z "$(fv t-east4)" ] || [ "$(fv t-east4)" = 0 ] || die "board not named took it"
contains t-east4/outbox/status.txt "inbox: not-for-this-board"
contains t-east4/outbox/status.txt "board: 东区-4"
contains t-east4/outbox/status.txt "发给其他屏幕"
$SYNC status --data t-east4 | finds -x 'inbox: not-for-this-board' || die "status: targeting"
# An unnamed board takes untargeted bundles only.
mkdir -p t-none/inbox && cp -r b3/noticeboard t-none/inbox/
inbox t-none >/dev/null 2>&1
contains t-none/outbox/status.txt "inbox: not-for-this-board"

# inbox-7: a bad bundle (a file changed after signing) waits for the
# courier while the inbox changes, and is refused with a report once it has
# stood still for inbox_settle seconds; it is not tried again.
bundle b4 4000 坏的
cp b4/noticeboard/ticker.csv signed-ticker.csv
echo 被改动 >>b4/noticeboard/ticker.csv
mkdir -p d4/inbox && cp -r b4/noticeboard d4/inbox/
inbox d4 2>/dev/null
contains d4/outbox/status.txt "inbox: waiting"
conf settle0.conf
printf 'inbox_settle = 0\n' >>settle0.conf
expect_status 3 $SYNC inbox --data d4 --config settle0.conf
[ ! -e d4/feed.db ] || die "a bad bundle was activated"
contains d4/outbox/status.txt "inbox: refused"
grep -qF 未授权 d4/outbox/reports/*.txt || die "no refusal report in the outbox"
inbox d4 settle0.conf 2>/dev/null || die "a refused bundle was tried again"
[ "$(ls d4/outbox/reports | wc -l)" = 1 ] || die "refused twice"
# A transfer that stalled past inbox_settle and then goes on is looked at
# again: once the file arrives as signed, the bundle is imported.
cp signed-ticker.csv d4/inbox/noticeboard/ticker.csv
inbox d4 settle0.conf >/dev/null 2>&1 || die "a completed transfer was not imported after a refusal"
[ "$(fv d4)" = 1 ] || die "completed transfer not activated"
contains d4/outbox/status.txt "inbox: imported"
# A bundle signed with another key is refused the same way.
mkdir -p d5/inbox && cp -r "$F/wrong-key/noticeboard" d5/inbox/
expect_status 3 $SYNC inbox --data d5 --config settle0.conf
[ ! -e d5/feed.db ] || die "a wrong-key bundle was activated"

# An unsigned bundle (a stick's folder copied as it is) waits like a
# transfer, then is refused with the stick's message.
mkdir -p d7/inbox/noticeboard && cp b1/noticeboard/*.csv d7/inbox/noticeboard/
inbox d7 2>/dev/null
contains d7/outbox/status.txt "inbox: waiting"
expect_status 3 $SYNC inbox --data d7 --config settle0.conf
grep -qF MANIFEST d7/outbox/reports/*.txt || die "no report naming the missing MANIFEST"
contains d7/outbox/status.txt "inbox: refused"
inbox d7 settle0.conf 2>/dev/null || die "an unsigned bundle refused twice"

# inbox-8: the inbox is bounded: a sparse file of 3 GiB (no disk used) is
# refused with a report, and nothing is read.
mkdir -p d6/inbox && cp -r b1/noticeboard d6/inbox/
truncate -s 3G d6/inbox/noticeboard/media/huge.bin
inbox d6 >/dev/null 2>&1
[ ! -e d6/feed.db ] || die "an inbox over its bound was imported"
contains d6/outbox/status.txt "inbox: too-big"
grep -qF 太多或太大 d6/outbox/reports/*.txt || die "no report for the bound"

# inbox-9: the way back: the play log is copied to the outbox.
mkdir -p d1/playlog && echo '2026-12-03 10:00 announcement 1' >d1/playlog/2026-12.log
inbox d1 2>/dev/null
cmp d1/playlog/2026-12.log d1/outbox/playlog/2026-12.log || die "play log not in the outbox"
