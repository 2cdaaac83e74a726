# Sync: a power cut in an import (kill -9 while it copies or builds) leaves
# its staging copy and a "busy" state; the player's start (the next boot)
# removes them and says the update was interrupted, the next import works;
# a player started while an import runs leaves that import alone.
at '2026-11-23 09:00'
F=$TOP/tests/fixtures/bundles
printf '[sync]\ntrust = open\n' > open.conf
cp -r "$F/good" good
expect_status 0 "$SYNC" import --data data --config open.conf good > /dev/null 2>&1
cp data/feed.db old.db
slow_bundle big
start_xvfb 320x240

# busy_import : starts an import of big/ and returns once it is busy with a
# staging copy (its pid in $imp).
busy_import() {
    "$SYNC" import --data data --config open.conf big > import.log 2>&1 &
    imp=$!
    bg_pids+=($imp)
    local i
    for i in $(seq 200); do
        if [ -n "$(ls -A data/staging 2>/dev/null)" ] &&
           head -1 data/state/last-sync.txt 2>/dev/null | finds '^busy '; then
            return 0
        fi
        kill -0 "$imp" 2>/dev/null || die "the import ended before it was busy"
        sleep 0.05
    done
    die "the import never showed busy with a staging copy"
}

# boot NAME : the player's start, as at boot: plays, then stops on SIGTERM.
boot() {
    ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
        "$NB" --data data --config open.conf --window 320x180 > "$1.log" 2>&1 &
    local nb=$!
    bg_pids+=($nb)
    wait_for "$1.log" "playing" 20
    kill -TERM "$nb"
    wait "$nb" || die "player exited $? on SIGTERM ($1)"
}

# 1. The cut: kill -9 mid-way.  Before the boot, what the box test found.
busy_import
kill -9 "$imp"
wait "$imp" 2>/dev/null || true
"$SYNC" status --data data > before.txt || die "status fails after the kill"
contains before.txt "last_sync: busy "
[ -n "$(ls -A data/staging)" ] || die "the kill left no staging: the test did not cut mid-way"

# 2. The boot: the player cleans up before its first frame.
boot boot1
contains boot1.log "an import was interrupted at"
[ -z "$(ls -A data/staging)" ] || die "staging left after the boot: $(ls data/staging)"
[ ! -e data/feed.db.new ] || die "feed.db.new left after the boot"
expect_status 0 "$SYNC" status --data data > after.txt
contains after.txt "last_sync: fail"
contains after.txt "last_sync_result: io-error"
contains after.txt "last_sync_summary: 上次更新没有做完就中断了"
# The feed is exactly the old one or a whole new one.
if ! cmp -s data/feed.db old.db; then
    [ "$(sqlite3 data/feed.db 'pragma integrity_check')" = ok ] || die "damaged feed after the cut"
    [ "$(sqlite3 data/feed.db 'select count(*) from announcements')" = 30 ] || die "partial feed"
fi
# A second boot has nothing to do and writes nothing.
cp data/state/last-sync.txt state1.txt
boot boot2
grep -q "interrupted\|leftovers" boot2.log && die "the second boot recovered again"
cmp -s data/state/last-sync.txt state1.txt || die "the second boot rewrote the sync state"

# 3. A player started while an import runs leaves it alone.
busy_import
boot boot3
grep -q "interrupted\|leftovers" boot3.log && die "the player recovered a running import"
wait "$imp" || { cat import.log; die "the import under a starting player failed"; }
contains import.log "更新成功：30条公告"
expect_status 0 "$SYNC" status --data data > final.txt
contains final.txt "last_sync: ok"
[ -z "$(ls -A data/staging)" ] || die "staging left by a finished import"
true
