# r-text.sh — forced line splitting is linear (issue 15 item 3): a title of
# N unbreakable characters (one Latin word; a run of closing marks; one
# grapheme of N ideographs joined by ZWJ, cut within the box) laid out
# with the player's own fonts in the 1080p announcement box at the smallest
# body size, by tests/robust/textwork.c built against $BUILD's objects.
# Figures: milliseconds and bytes measured for N and 4N characters.  The
# check is the work, not the time: 4N characters may cost at most 4.5 times
# the bytes measured for N (quadratic splitting costs 16 times).
# Short: 5,000 and 20,000 characters; full: 20,000 and 80,000, and 1,400,000
# (the size of the feed.db that once kept the player from ever starting).
case $BUILD in /*) b=$BUILD ;; *) b=$TOP/$BUILD ;; esac
cc=${CC:-cc}
san= syms=$(nm -u "$b/libnbcore.a" 2>/dev/null)
grep -q '__asan_report' <<<"$syms" && san=address
grep -q '__ubsan_handle' <<<"$syms" && san=${san:+$san,}undefined
sanflags=${san:+-fsanitize=$san -fno-sanitize-recover=all -fno-omit-frame-pointer}
pkgs="${NB_CORE_PKGS:?run through make} ${NB_PLAYER_PKGS:?run through make}"
# shellcheck disable=SC2086 # word lists on purpose
pcflags=$(pkg-config --cflags $pkgs) pclibs=$(pkg-config --libs $pkgs)
# shellcheck disable=SC2086 # word lists on purpose
$cc -std=c11 -O2 -g -D_GNU_SOURCE -I"$TOP/src" $pcflags $sanflags -Wall -Wextra -Wno-unused-parameter -Werror \
    -o textwork "$TOP/tests/robust/textwork.c" "$b/player/font.o" "$b/player/fontfile.o" \
    "$b/libnbcore.a" $pclibs -lm || die "textwork does not build"
if [ "$ROBUST" = full ]; then sizes="20000 80000 1400000"; else sizes="5000 20000"; fi
# shellcheck disable=SC2086
./textwork $sizes > work.txt || die "textwork failed (no font, or a line wider than the box)"
cat work.txt
status=0
for shape in latin marks cluster; do
    set -- $(awk -v s=$shape '$1 == s { print $2, $3, $4 }' work.txt | head -n 2 | tr '\n' ' ')
    n1=$1 ms1=$2 by1=$3 n2=$4 ms2=$5 by2=$6
    echo "figure: text: forced split, $shape: $n1 chars ${ms1} ms ($by1 bytes measured), $n2 chars ${ms2} ms ($by2 bytes measured)"
    [ $((by2 * 2)) -le $((by1 * 9)) ] || { echo "$shape: $n2 characters measured $by2 bytes, over 4.5 x $by1: not linear"; status=1; }
    big=$(awk -v s=$shape '$1 == s && $2 == 1400000 { print $3 " ms, " $4 " bytes measured, " $5 " lines" }' work.txt)
    [ -z "$big" ] || echo "figure: text: forced split, $shape: 1400000 chars $big"
done
[ "$status" -eq 0 ]
