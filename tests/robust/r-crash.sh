# Crash consistency (issue 7, part 1): kill -9 `noticeboard-sync import` of a
# large bundle at random moments spread uniformly over a whole import; after
# each kill the live feed passes quick_check and is exactly the old or
# exactly the new content, and the next import succeeds.
# Figures: kills survived S / kills made N (old A, new B); kills per phase
# (the last phase the import announced on stderr before it died).
source "$TOP/tests/robust/bundle.sh"
case ${ROBUST:-short} in full) N=1000 ;; *) N=40 ;; esac
# Every CHECK-th kill (and every kill that landed after activation) is
# followed by an uninterrupted import; otherwise the next kill run is itself
# the next import, started from what the kill left.
CHECK=10
SEED=${CRASH_SEED:-$(( $(date +%s) % 32768 ))}
RANDOM=$SEED
echo "seed $SEED (CRASH_SEED=$SEED reproduces the delays)"

printf '[sync]\ntrust = open\n' > open.conf
make_bundle old 旧版
make_bundle new 新版
run_import() { "$SYNC" import --data "$1" --config open.conf "$2"; }

# Tidy after a completed import: nothing in staging, no spare links.
assert_tidy() {
    [ -z "$(ls -A data/staging)" ] || { echo "staging litter: $(ls data/staging)"; return 1; }
    [ ! -e data/feed.db.new ] || { echo "feed.db.new left"; return 1; }
    ! ls -A data/feeds | finds -v '^[0-9]\{8\}\.db$' || { echo "stray files in feeds/: $(ls -A data/feeds)"; return 1; }
}

# Old and new digests, and the duration of an uninterrupted import (the
# median of three: a delay past the end of a run just lets it finish, which
# is counted apart and not as a kill).
run_import data old > /dev/null 2>&1 || die "first import of the old bundle failed"
declare -A DIG
DIG[old]=$(digest data/feed.db)
cp -a data ref
times=()
for b in new old new; do
    t0=$(now_ms)
    run_import ref "$b" > ref.out 2>&1 || { cat ref.out; die "import of $b failed"; }
    times+=($(($(now_ms) - t0)))
    DIG[$b]=$(digest ref/feed.db)
done
D=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 2p)
rm -rf ref
[ "${DIG[old]}" != "${DIG[new]}" ] || die "the two bundles give the same digest"
echo "uninterrupted import: $D ms (kill delays uniform over 0..$D ms)"

live=old other=new
# A failed kill still prints the figure, so the shortfall shows.
kill_failed() {
    echo "figure: crash: kills survived $survived / kills made $made (old $A, new $B)"
    die "$*"
}
survived=0 made=0 A=0 B=0 finished=0 attempts=0
declare -A PH
while [ "$made" -lt "$N" ]; do
    attempts=$((attempts + 1))
    [ "$attempts" -le $((N * 4)) ] || die "too many imports finished before their kill"
    delay=$(( (RANDOM * 32768 + RANDOM) % D ))
    # Photos take most of an import, so 40 uniform kills may all miss the
    # last tenth (feed build, fsync, rename, report): in the short form every
    # fourth kill is drawn from that tenth instead.
    if [ "$N" -lt 1000 ] && [ $((attempts % 4)) -eq 3 ]; then
        delay=$(( D * 9 / 10 + (RANDOM * 32768 + RANDOM) % (D / 10 + 1) ))
    fi
    st=0
    # The subshell keeps bash's "Killed" notice out of the log.  Killed
    # and waited for here, not by timeout -s KILL: that sends KILL to its
    # own process group, itself included, and returned while an import
    # stuck in fsync was still dying with the lock held (the next import
    # then met 另一个更新正在进行); wait gives the import's own status.
    ( "$SYNC" import --data data --config open.conf "$other" > kill.out 2> kill.err &
      pid=$!
      sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
      kill -KILL "$pid" 2>/dev/null || true
      wait "$pid" ) 2>/dev/null || st=$?
    if [ "$st" -eq 0 ]; then
        # Finished before its kill: an ordinary import, not a kill.  It ran
        # shorter than the delay (the machine's load fell): D shrinks by a
        # quarter, so the next delays fall within an import again.
        finished=$((finished + 1))
        D=$(( D * 3 / 4 ))
        [ "$(digest data/feed.db)" = "${DIG[$other]}" ] || die "completed import left a wrong feed"
        assert_tidy || die "a completed import left litter"
        t=$live live=$other other=$t
        continue
    fi
    [ "$st" -eq 137 ] || { cat kill.err; die "import ended with $st before its kill"; }
    made=$((made + 1))
    # Where it was: the last phase it announced on stderr.
    phase=$(grep -oE '^ *[0-9]+% .*' kill.err | tail -n 1 | sed 's/^ *[0-9]*% //') || true
    [ -n "$phase" ] || phase=启动
    PH[$phase]=$(( ${PH[$phase]:-0} + 1 ))
    quick_check data/feed.db || kill_failed "kill $made at $delay ms ($phase): feed damaged"
    d=$(digest data/feed.db)
    after=0
    if [ "$d" = "${DIG[$live]}" ]; then
        A=$((A + 1))
    elif [ "$d" = "${DIG[$other]}" ]; then
        B=$((B + 1)) after=1
        t=$live live=$other other=$t
    else
        kill_failed "kill $made at ${delay} ms ($phase): live feed is neither old nor new"
    fi
    # Nothing but the known names, whatever the kill left.
    ! find data -mindepth 1 | grep -vE '^data/(feed\.db(\.new)?|feeds|feeds/\.?[0-9]{8}\.db(\.new)?|staging(/.*)?|state|state/[a-z-]+\.(txt|lock|sha256)(\.tmp.*)?|state/manifest-version)$' ||
        kill_failed "unexpected files after kill $made: $(find data -mindepth 1 | tr '\n' ' ')"
    if [ $((made % CHECK)) -eq 0 ] || [ "$made" -eq "$N" ] || [ "$after" = 1 ]; then
        t0=$(now_ms)
        run_import data "$other" > next.out 2>&1 || { cat next.out; kill_failed "import after kill $made failed"; }
        # Follow the machine's load: D moves a quarter of the way towards
        # this import's duration, so delays stay spread over a whole import.
        D=$(( (3 * D + $(now_ms) - t0) / 4 ))
        [ "$(digest data/feed.db)" = "${DIG[$other]}" ] || kill_failed "import after kill $made left a wrong feed"
        quick_check data/feed.db || kill_failed "import after kill $made: feed damaged"
        assert_tidy || kill_failed "import after kill $made left litter"
        t=$live live=$other other=$t
    fi
    survived=$((survived + 1))
    [ $((made % 100)) -ne 0 ] || echo "$made kills (old $A, new $B, $(date +%T))"
done
phases=""
for p in 启动 正在检查授权 正在复制U盘上的文件 正在检查内容 正在处理图片 正在生成新内容 正在启用新内容 完成; do
    phases+="$p ${PH[$p]:-0}, "
done
echo "imports that finished before their kill: $finished; last duration estimate $D ms"
echo "figure: crash: kills survived $survived / kills made $made (old $A, new $B)"
echo "figure: crash: kills per phase: ${phases%, }"
[ "$survived" -eq "$N" ] && [ "$made" -eq "$N" ]
