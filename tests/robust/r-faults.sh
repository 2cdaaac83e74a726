# Stick pulled and disk full (issue 7, part 2): an import whose stick goes
# away mid-read, whose disk fills up, or whose Nth write-family call under
# the data folder fails (for every N) ends with exit 4, the live feed byte for
# byte unchanged, no litter, and the next import succeeds.
# Figures: stick pulled ok; disk full ok (tmpfs|shim); write errors survived X / M.
source "$TOP/tests/robust/bundle.sh"
SHIM=$T/faultshim.so
cc -shared -fPIC -O1 -o "$SHIM" "$TOP/tests/robust/faultshim.c" -ldl || die "cannot build the shim"
printf '[sync]\ntrust = open\n' > open.conf
imp() { "$SYNC" import --data "$1" --config open.conf "$2"; }
# verify_asan_link_order=0: a sanitized build takes the shim as well.
shim() { env ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" LD_PRELOAD="$SHIM" FS_DATA="$PWD/data" "$@"; }

# Old: the good fixture.  New: the same with one more ticker line, so an
# activation shows in the bytes of feed.db.
cp -r "$TOP/tests/fixtures/bundles/good" old
cp -r old new
printf '%s\r\n' "新的一条滚动消息,," >> new/noticeboard/ticker.csv
rm -rf old/noticeboard/reports new/noticeboard/reports
imp base old > /dev/null 2>&1 || die "first import failed"
cp -a base ref
imp ref new > /dev/null 2>&1 || die "import of the new bundle failed"
DIG_NEW=$(digest ref/feed.db)
[ "$DIG_NEW" != "$(digest base/feed.db)" ] || die "old and new bundles give the same feed"
rm -rf ref

reset() { rm -rf data stick; cp -a base data; cp -r "$1" stick; }
listing() { (cd "$1" && find feeds -mindepth 1 | sort; ls -A state | grep -v '^last-sync.txt$\|^stick-time.txt$' || true); }
# unchanged REF : the live feed is REF/feed.db byte for byte, and the data
# folder holds nothing the import left behind.
unchanged() {
    cmp -s data/feed.db "$1/feed.db" || { echo "live feed changed"; return 1; }
    tidy || return 1
    [ "$(listing data)" = "$(listing "$1")" ] || { echo "feeds/ or state/ differ:"; listing data; return 1; }
}
tidy() {
    [ -z "$(ls -A data/staging)" ] || { echo "staging litter: $(ls -A data/staging)"; return 1; }
    [ ! -e data/feed.db.new ] || { echo "feed.db.new left"; return 1; }
    ! find data -name '*.tmp' -o -name '.*.new' | finds . || { echo "temporary files left"; return 1; }
}
# next_ok : the next import (no fault) succeeds and leaves the new feed.
next_ok() {
    rm -rf stick; cp -r new stick
    imp data stick > next.out 2>&1 || { cat next.out; echo "next import failed"; return 1; }
    [ "$(digest data/feed.db)" = "$DIG_NEW" ] || { echo "next import left a wrong feed"; return 1; }
    tidy
}

# ---- (a) stick pulled: read() fails, or the file shrinks, or every file on
# the stick disappears, at the first read of a file on the stick.
for mode in eio truncate delete; do
    reset new
    st=0
    shim FS_SRC="$PWD/stick" FS_PULL=$mode "$SYNC" import --data data --config open.conf stick \
        > pull.out 2> pull.err || st=$?
    [ "$st" -eq 4 ] || { cat pull.out pull.err; die "stick pulled ($mode): exit $st, expected 4"; }
    contains pull.out "U盘"
    unchanged base || die "stick pulled ($mode): data folder changed"
    next_ok || die "stick pulled ($mode): recovery"
done
echo "figure: faults: stick pulled ok"

# ---- (c) first, to know the calls: an import without faults, counted.
reset new
rm -f calls.log
shim FS_LOG="$PWD/calls.log" "$SYNC" import --data data --config open.conf stick > /dev/null 2>&1 ||
    die "counting run failed"
M=$(wc -l < calls.log)
# R: the call that makes the new feed live (rename over DATA/feed.db).
R=$(awk -v f="$PWD/data/feed.db" '$2 ~ /^rename/ && $3 == f { print $1; exit }' calls.log)
[ -n "$R" ] || die "no rename over feed.db among the counted calls"
# Bytes written before the switch, for the disk-full budgets.
BYTES=$(awk -v r="$R" '$1 < r { s += $4 } END { print s + 0 }' calls.log)
echo "write-family calls under DATA: $M (the switch is call $R; $BYTES bytes before it)"
awk '{ print $2 }' calls.log | sort | uniq -c | tr '\n' ' '; echo

# ---- (b) disk full.
how=shim
for k in 0 $((BYTES / 10)) $((BYTES / 2)) $((BYTES * 9 / 10)) $((BYTES - 1)); do
    reset new
    st=0
    shim FS_SPACE=$k "$SYNC" import --data data --config open.conf stick > full.out 2> full.err || st=$?
    [ "$st" -eq 4 ] || { cat full.out full.err; die "disk full after $k bytes: exit $st, expected 4"; }
    unchanged base || die "disk full after $k bytes: data folder changed"
    next_ok || die "disk full after $k bytes: recovery"
done
# A real full file system when we may mount one: the large bundle on a
# tmpfs left with 0 bytes, 200 KiB and 3 MiB free (too little for its feed).
mkdir -p tiny
if mount -t tmpfs -o size=48m tmpfs tiny 2>/dev/null; then
    trap 'kill_bg; umount -l "$T/tiny" 2>/dev/null || true' EXIT
    make_bundle bigold 旧版
    make_bundle bignew 新版
    imp tiny/base bigold > /dev/null 2>&1 || die "large import on tmpfs failed"
    for free in 0 204800 3145728; do
        rm -rf tiny/data; cp -a tiny/base tiny/data
        avail=$(df --output=avail -B1 tiny | tail -n 1)
        [ "$avail" -gt "$free" ] && fallocate -l $((avail - free)) tiny/fill
        st=0
        imp tiny/data bignew > full.out 2> full.err || st=$?
        [ "$st" -eq 4 ] || { cat full.out full.err; die "tmpfs with $free bytes free: exit $st, expected 4"; }
        echo "tmpfs with $free bytes free: exit 4 in phase $(grep -oE '^ *[0-9]+% .*' full.err | tail -n 1)"
        # Refused by the free-space check before the copy (a full disk
        # found up front), or by ENOSPC during it: either way in Chinese.
        grep -q -e "磁盘可能已满" -e "存储空间不足" full.out ||
            { cat full.out; die "tmpfs with $free bytes free: the report names no full disk"; }
        cmp -s tiny/data/feed.db tiny/base/feed.db || die "tmpfs with $free bytes free: live feed changed"
        [ -z "$(ls -A tiny/data/staging)" ] || die "tmpfs with $free bytes free: staging litter"
        [ "$(listing tiny/data)" = "$(listing tiny/base)" ] || die "tmpfs with $free bytes free: litter"
        rm -f tiny/fill
        imp tiny/data bignew > next.out 2>&1 || { cat next.out; die "tmpfs: import with room failed"; }
    done
    umount tiny
    how=tmpfs+shim
fi
echo "figure: faults: disk full ok ($how)"

# ---- (c) the Nth write-family call fails, for every N (full) or a spread
# sample (short).  Up to the switch the import must fail whole: exit 4 and
# the data folder as it was.  A failed write of a state file (progress for
# the screen) is not worth failing an import for, so there the import may
# also go on and succeed; after the switch the new feed is live and the
# import must say so (exit 0).
if [ "${ROBUST:-short}" = full ] || [ "$M" -le 30 ]; then
    list=$(seq 1 "$M")
else
    list=$( { seq 1 29 | awk -v m="$M" '{ print int(($1 - 1) * (m - 1) / 28) + 1 }'; echo "$R"; } | sort -nu)
fi
# Calls whose failure an import may absorb and still succeed: state files
# (progress and stamps for the screen) and SQLite's fsync of the staging
# folder, which SQLite ignores by design (unixSync); the feed's own data is
# synced, and activation fsyncs feeds/ and the data folder itself.
absorbable() {
    case $1 in
        *" $PWD/data/state"|*" $PWD/data/state/"*) return 0 ;;
        fdatasync*|fsync*) [[ "${1#* }" =~ ^$PWD/data/staging/[0-9]+$ ]] ;;
        *) return 1 ;;
    esac
}
survived=0 tried=0 absorbed=0 bad=()
for n in $list; do
    tried=$((tried + 1))
    reset new
    op=$(awk -v n="$n" '$1 == n { print $2, $3 }' calls.log)
    st=0
    shim FS_FAIL=$n "$SYNC" import --data data --config open.conf stick > fail.out 2> fail.err || st=$?
    why=""
    if [ "$n" -le "$R" ]; then
        if [ "$st" -eq 4 ]; then
            unchanged base > u.out || why="exit 4 but $(cat u.out)"
        elif [ "$st" -eq 0 ] && absorbable "$op"; then
            absorbed=$((absorbed + 1))
            [ "$(digest data/feed.db)" = "$DIG_NEW" ] && tidy > /dev/null ||
                why="exit 0 after a failed $op, but the feed is not the new one or litter is left"
        else
            why="exit $st, expected 4"
        fi
    else
        if [ "$st" -ne 0 ]; then
            why="exit $st after the switch, expected 0"
        elif [ "$(digest data/feed.db)" != "$DIG_NEW" ] || ! tidy > /dev/null; then
            why="after the switch: feed not new or litter"
        fi
    fi
    [ -z "$why" ] && { next_ok > next.why || why="next import: $(cat next.why)"; }
    if [ -z "$why" ]; then
        survived=$((survived + 1))
    else
        bad+=("call $n ($op): $why")
    fi
done
for b in "${bad[@]}"; do echo "FAILED: $b"; done
echo "figure: faults: write errors survived $survived / $tried (of $M calls; $absorbed absorbed by design, exit 0)"
[ "$survived" -eq "$tried" ]
