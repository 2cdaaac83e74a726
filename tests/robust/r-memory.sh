# Memory (issue 7 part 4): the sync import of the demo and the player
# rendering every slide page of the demo feed at several moments, landscape
# and portrait, under valgrind memcheck.  Target: 0 definite leaks, 0 errors.
# Short form: one moment, both orientations at a quarter of the pixels.
command -v valgrind >/dev/null || die "valgrind missing (make deps installs it)"
# ASan and valgrind cannot share a process: under `make SANITIZE=... test`
# LeakSanitizer checks this run and the plain `make test` runs memcheck.
if ldd "$NB" "$SYNC" | grep libasan > /dev/null; then
    echo "figure: memory: valgrind skipped (ASan build; LeakSanitizer checks it instead)"
    return 0 2>/dev/null || exit 0
fi
mkdir -p stick
cp -r "$TOP/assets/demo/noticeboard" stick/noticeboard
rm -rf stick/noticeboard/reports
conf=$TOP/assets/demo/noticeboard.conf
sed 's/^rotate = 0/rotate = 90/' "$conf" > rotated.conf
grep -q '^rotate = 90' rotated.conf || die "could not make a rotated config"
vg() {  # vg NAME cmd… : memcheck into vg-NAME.log, output into NAME.out
    local name=$1; shift
    valgrind --leak-check=full --show-leak-kinds=definite --errors-for-leak-kinds=definite \
        --error-exitcode=99 --suppressions="$TOP/tests/sanitize/valgrind.supp" \
        --log-file="vg-$name.log" "$@" > "$name.out" 2>&1
}
rc=0
vg import "$SYNC" import --data data --config "$conf" stick || rc=$?
[ "$rc" -eq 0 ] || { cat import.out; tail -40 vg-import.log; die "import under valgrind exited $rc"; }
contains import.out "更新成功"

if [ "$ROBUST" = full ]; then
    runs=("land1|$conf|2026-11-23 10:00|1920x1080"
          "port1|$conf|2026-11-22 09:00|1080x1920"
          "land2|$conf|2026-12-20 19:00|1920x1080"
          "rot90|rotated.conf|2027-01-10 10:00|1920x1080")
else
    runs=("land1|$conf|2026-11-23 10:00|960x540"
          "port1|$conf|2026-11-23 10:00|540x960")
fi
pids=() names=()
for r in "${runs[@]}"; do
    IFS='|' read -r name cf at size <<< "$r"
    vg "$name" "$NB" render --data data --config "$cf" --at "$at" --size "$size" --out "out-$name" &
    pids+=($!) names+=("$name")
done
pages=0 i=0
for pid in "${pids[@]}"; do
    name=${names[$i]}; i=$((i + 1))
    rc=0; wait "$pid" || rc=$?
    [ "$rc" -eq 0 ] || { tail -40 "vg-$name.log"; die "render $name under valgrind exited $rc"; }
    # every page of the plan was drawn
    n=$(wc -l < "$name.out")
    [ "$n" -ge 5 ] || die "render $name drew only $n pages"
    pages=$((pages + n))
done
# Sum what valgrind counted (no "definitely lost" line means none).
leaks=0 errors=0
for f in vg-*.log; do
    l=$(sed -n 's/.*definitely lost: \([0-9,]*\) bytes.*/\1/p' "$f" | tr -d , | head -1)
    e=$(sed -n 's/.*ERROR SUMMARY: \([0-9,]*\) errors.*/\1/p' "$f" | tr -d , | tail -1)
    [ -n "$e" ] || die "$f has no ERROR SUMMARY"
    leaks=$((leaks + ${l:-0})); errors=$((errors + e))
done
echo "figure: memory: valgrind definite leaks $leaks, errors $errors (import + $pages pages in ${#runs[@]} renders)"
[ "$leaks" -eq 0 ] && [ "$errors" -eq 0 ] || die "valgrind found leaks or errors"
