# r-xlsx.sh — hostile workbooks (issue 16): every case of xlsx-cases.tsv is
# made by mkxlsx.py (cached in $BUILD/robust/xlsx, remade when the script
# changes) and read by xlsxread.c — the reader as an import calls it, built
# here against $BUILD's objects with their sanitizers — in its own process
# with a 120 s limit.  Each must give its result, where and message, within
# 10 s of CPU time and 128 MiB peak RSS (a sheet may hold 64 MB of text
# before it is refused; under ASan: 60 s, RSS not judged).  Sourced by
# tests/robust/run.sh with $TOP $BUILD $T and ROBUST set, cwd $T; the short
# and full forms are the same (the largest case inflates 256 MB).
case $BUILD in /*) b=$BUILD ;; *) b=$TOP/$BUILD ;; esac
cc=${CC:-cc}
san= syms=$(nm -u "$b/libnbcore.a" 2>/dev/null)
grep -q '__asan_report' <<<"$syms" && san=address
grep -q '__ubsan_handle' <<<"$syms" && san=${san:+$san,}undefined
sanflags=${san:+-fsanitize=$san -fno-sanitize-recover=all -fno-omit-frame-pointer}
# shellcheck disable=SC2086 # word lists on purpose
$cc -std=c11 -O1 -g -D_GNU_SOURCE -I"$TOP/src" $sanflags -Wall -Wextra -Werror -o xlsxread \
    "$TOP/tests/robust/xlsxread.c" "$b/sync/xlsx.o" "$b/sync/numfmt.o" "$b/libnbcore.a" \
    $(pkg-config --libs libzip expat) -lm || die "cannot build xlsxread"

# The cases, made once per version of mkxlsx.py.
cache=$b/robust/xlsx
stamp=$(sha256sum "$TOP/tests/robust/mkxlsx.py" | cut -c1-16)
if [ "$(cat "$cache/stamp" 2>/dev/null)" != "$stamp" ]; then
    rm -rf "$cache" && mkdir -p "$cache"
    python3 "$TOP/tests/robust/mkxlsx.py" "$cache" || die "mkxlsx.py failed"
    echo "$stamp" > "$cache/stamp"
fi

max_ms=10000 max_kb=131072
[ -z "$san" ] || max_ms=60000
cases=0 handled=0 failed=() slow=0 slow_name= fat=0 fat_name=
while IFS=$'\t' read -r name want where msg; do
    case $name in ''|'#'*) continue ;; esac
    cases=$((cases + 1))
    out=$(timeout 120 ./xlsxread "$cache/$name.xlsx" 2>"err-$name.txt")
    rc=$?
    IFS='|' read -r got gwhere gmsg ms kb rows detail wall <<<"$out"
    problem=
    if [ "$rc" -eq 124 ]; then problem="hung (killed after 120 s)"
    elif [ "$rc" -ne 0 ]; then problem="exit $rc: $(head -c 300 "err-$name.txt")"
    elif [ "$got" != "$want" ]; then problem="result $got ($gwhere: $gmsg; $detail), expected $want"
    elif [ "$where" != - ] && [[ "$gwhere" != $where ]]; then problem="at \"$gwhere\", expected \"$where\""
    elif [ "$where" = - ] && [ -n "$gwhere" ]; then problem="at \"$gwhere\", expected the whole file"
    elif [ "$msg" != - ] && [[ "$gmsg" != *"$msg"* ]]; then problem="message \"$gmsg\" lacks \"$msg\""
    elif [ "$ms" -gt "$max_ms" ]; then problem="took $ms ms of CPU (at most $max_ms)"
    elif [ -z "$san" ] && [ "$kb" -gt "$max_kb" ]; then problem="peak RSS $kb KiB (at most $max_kb)"
    fi
    if [ -n "$problem" ]; then
        echo "case $name: $problem"
        failed+=("$name")
    else
        handled=$((handled + 1))
        echo "ok $name ($got${gwhere:+ at $gwhere}, $rows rows, CPU $ms ms, wall $wall ms, $kb KiB${detail:+; $detail})"
    fi
    [ "${ms:-0}" -gt "$slow" ] && slow=$ms slow_name=$name
    [ "${kb:-0}" -gt "$fat" ] && fat=$kb fat_name=$name
done < "$TOP/tests/robust/xlsx-cases.tsv"
echo "figure: xlsx hostile: cases handled $handled / cases $cases${san:+ ($san)}"
echo "figure: xlsx hostile: slowest $slow ms CPU ($slow_name), peak RSS $((fat / 1024)) MiB ($fat_name)${san:+, RSS not judged under $san}"
[ "$handled" -eq "$cases" ] || die "not handled as expected: ${failed[*]}"
