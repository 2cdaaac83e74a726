# Sync: command line and trust.  Usage errors exit 2, a stick without the
# device key exits 3 with a report and nothing changed.
F=$TOP/tests/fixtures/bundles
expect_status 2 "$SYNC"
expect_status 2 "$SYNC" frobnicate
expect_status 2 "$SYNC" import
expect_status 2 "$SYNC" import --bogus x
expect_status 2 "$SYNC" import --data
expect_status 2 "$SYNC" import --config missing.conf x
expect_status 0 "$SYNC" --help > h.txt
contains h.txt "noticeboard-sync import"
expect_status 0 "$SYNC" --version > v.txt
grep -q '^noticeboard-sync [0-9]' v.txt || die "--version"
# No noticeboard/ folder: rejected, and said so.
mkdir empty
printf '[sync]\ntrust = open\n' > open.conf
expect_status 1 "$SYNC" import --data data --config open.conf empty > e.txt 2>&1
contains e.txt "没有 noticeboard 文件夹"
# A noticeboard/ folder without any content file: rejected, said so.
mkdir -p nothing/noticeboard/media
expect_status 1 "$SYNC" import --data data --config open.conf nothing > nothing.txt 2>&1
contains nothing.txt "文件夹里没有内容文件"
# Key trust: a stick without the key is not authorized.
printf '[sync]\ntrust = key\n' > key.conf
expect_status 0 "$SYNC" import --data data --config open.conf "$(cp -r "$F/good" g && echo g)" > /dev/null 2>&1
cp data/feed.db before.db
cp -r "$F/good" k
expect_status 3 "$SYNC" import --data data --config key.conf k > k.txt 2>&1
contains k.txt "未授权"
cmp data/feed.db before.db || die "live feed changed on denial"
ls k/noticeboard/reports/*.txt > /dev/null || die "no report on denial"
[ "$(head -1 data/state/last-sync.txt)" = fail ] || die "last-sync.txt"
# Rollback with nothing older kept: refused, nothing changed.
expect_status 1 "$SYNC" rollback --data fresh > rb.txt 2>&1
contains rb.txt "回退失败"
# One import at a time: a held lock makes a second import fail with 4.
if command -v flock > /dev/null; then
    flock data/state/sync.lock sh -c ': > held; exec sleep 5' &
    holder=$!
    for _ in $(seq 50); do [ -e held ] && break; sleep 0.1; done
    [ -e held ] || die "flock did not take the lock"
    expect_status 4 "$SYNC" import --data data --config open.conf k > busy.txt 2>&1
    contains busy.txt "另一个更新正在进行"
    kill "$holder" 2>/dev/null || true
    wait "$holder" 2>/dev/null || true
    cmp data/feed.db before.db || die "live feed changed while busy"
fi
