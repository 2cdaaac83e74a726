# r-bounds.sh — content within every sheet limit cannot stall the player
# or fill its memory (issue 15 item 2).  Three sticks (mkbounds.py): 5,000
# events with long unbreakable titles (once one slide of 5,000 pages, laid
# out in one go), 1,000 urgent notices with 5,000 one-person rolls (once a
# loop of 5,005,000 slides and 2.6 GB), one roll of 300 long names (the
# most a roll may have: one more is refused at import, never cut).  Each
# is imported and its plan laid out by the real scene (scenework.c, built
# against $BUILD's objects).  The checks are the bounds, not the times: at
# most SLIDE_MAX_PAGES (20) pages a slide but for events (SCHEDULE_EVENTS_MAX
# columns: nothing an import accepted is cut) and HONORS_ROLL_MAX (300)
# people a roll, shown whole, and SCHEDULE_MAX_SLIDES (8,000)
# slides a loop, the import's 提醒 about the urgent block, and the pages
# saying what was left out.  Figures: the longest single slide's layout
# (what a frame waits for), the whole loop's, and peak memory.
case $BUILD in /*) b=$BUILD ;; *) b=$TOP/$BUILD ;; esac
cc=${CC:-cc}
san= syms=$(nm -u "$b/libnbcore.a" 2>/dev/null)
grep -q '__asan_report' <<<"$syms" && san=address
grep -q '__ubsan_handle' <<<"$syms" && san=${san:+$san,}undefined
sanflags=${san:+-fsanitize=$san -fno-sanitize-recover=all -fno-omit-frame-pointer}
pkgs="${NB_CORE_PKGS:?run through make} ${NB_PLAYER_PKGS:?run through make}"
# shellcheck disable=SC2086 # word lists on purpose
pcflags=$(pkg-config --cflags $pkgs) pclibs=$(pkg-config --libs $pkgs)
objs=$(ls "$b"/player/*.o | grep -v '/main\.o$')
# shellcheck disable=SC2086 # word lists on purpose
$cc -std=c11 -O2 -g -D_GNU_SOURCE -I"$TOP/src" $pcflags $sanflags -Wall -Wextra -Wno-unused-parameter -Werror \
    -o scenework "$TOP/tests/robust/scenework.c" $objs "$b/libnbcore.a" $pclibs -lm ||
    die "scenework does not build"
printf '[sync]\ntrust = open\n' > open.conf
: > nb.conf
export NB_TEST_CLOCK='2026-12-01 08:00'
status=0
for kind in events loop roll; do
    n=; [ "$kind" != roll ] || n=300
    /usr/bin/python3 "$TOP/tests/robust/mkbounds.py" $kind "stick-$kind" $n || die "mkbounds $kind"
    expect_status 0 "$SYNC" import --data "data-$kind" --config open.conf "stick-$kind" > "import-$kind.txt" 2>&1
    ./scenework "data-$kind/feed.db" '2026-12-03 08:00' > "work-$kind.txt" 2> "log-$kind.txt" ||
        die "scenework $kind failed"
    read -r _ slides _ steps _ pages _ worst _ begin _ total _ rss < "work-$kind.txt"
    echo "figure: bounds: $kind: $slides slides, $steps pages, at most $pages a slide; longest slide ${worst} ms, whole loop ${total} ms, peak $((rss / 1024)) MB"
    max=20; [ "$kind" = events ] && max=100     # SCHEDULE_EVENTS_MAX columns
    [ "$kind" = roll ] || [ "$pages" -le $max ] || { echo "$kind: a slide of $pages pages (more than $max)"; status=1; }
    [ "$slides" -le 8000 ] || { echo "$kind: a loop of $slides slides (more than 8,000)"; status=1; }
done
# 5,000 events, 6 a day: the slide lists the 96 of 16 days, every one.
! grep -q 'events left out' log-events.txt || { echo "events: an imported event was left out"; status=1; }
# A feed made some other way (the dates moved inside the database) with
# 5,000 events in ten days: still bounded, and the left-out ones counted.
cp data-events/feed.db squeezed.db
/usr/bin/python3 -c "import sqlite3,sys; d=sqlite3.connect(sys.argv[1]); d.execute(\"UPDATE events SET date = printf('2026-12-%02d', 3 + id % 10)\"); d.commit()" squeezed.db ||
    die "squeezing the events"
./scenework squeezed.db '2026-12-03 08:00' > work-squeezed.txt 2> log-squeezed.txt || die "scenework squeezed failed"
read -r _ slides _ steps _ pages _ worst _ begin _ total _ rss < work-squeezed.txt
echo "figure: bounds: 5,000 events in ten days (not importable): $pages pages; longest slide ${worst} ms, peak $((rss / 1024)) MB"
[ "$pages" -le 100 ] || { echo "squeezed events: a slide of $pages pages (more than 100)"; status=1; }
grep -q 'events slide: [0-9]* of 5000 events left out' log-squeezed.txt ||
    { echo "squeezed events: no word of the events left out"; status=1; }
# 101 events in two weeks are refused at import, naming the days.
/usr/bin/python3 "$TOP/tests/robust/mkbounds.py" events stick-events-101 101 10 || die "mkbounds events 101"
expect_status 1 "$SYNC" import --data data-events --config open.conf stick-events-101 > import-events-101.txt 2>&1
grep -qF '之间有101项活动，屏幕上的近期活动一次最多列出100项' import-events-101.txt ||
    { echo "events: 101 in two weeks were not refused with their message"; status=1; }
! grep -q 'people left out' log-roll.txt || { echo "roll: a roll of 300 was cut"; status=1; }
# A roll of 301 is refused at import, saying how to split it.
/usr/bin/python3 "$TOP/tests/robust/mkbounds.py" roll stick-roll-301 301 || die "mkbounds roll 301"
expect_status 1 "$SYNC" import --data data-roll --config open.conf stick-roll-301 > import-roll-301.txt 2>&1
grep -qF '超过300人（这是第301人）' import-roll-301.txt ||
    { echo "roll: a roll of 301 was not refused with its message"; status=1; }
grep -qF '有1000条紧急公告，其他内容有5000页' import-loop.txt ||
    { echo "loop: the import did not warn that urgent notices cannot follow every slide"; status=1; }
# The loop keeps every roll and plays the urgent block more than once.
"$NB" plan --data data-loop --config nb.conf --at '2026-12-03 08:00' > plan-loop.txt 2>/dev/null
[ "$(grep -c '^honors' plan-loop.txt)" = 5000 ] || { echo "loop: not every roll plays"; status=1; }
[ "$(grep -c '^urgent' plan-loop.txt)" -ge 2000 ] || { echo "loop: the urgent block plays once"; status=1; }
[ "$status" -eq 0 ]
