# r-fuzz.sh — fuzzing (issue 7 part 3).  Sourced by tests/robust/run.sh with
# $TOP $BUILD $T and ROBUST set, cwd $T.
#   short (make test): the committed seed corpus tests/fuzz/corpus/NAME is
#     replayed through every harness by tests/fuzz/replay.c, built with the
#     normal compiler against $BUILD's objects (so with their sanitizers under
#     make SANITIZE=address,undefined test); needs no clang.
#   full (make robust): also `make fuzz` (libFuzzer, ASan+UBSan) for
#     FUZZ_SECONDS (60) per harness when clang is installed.
# Figures: inputs replayed per harness; libFuzzer execs and crashes.
names="csv when manifest minisign feed media pdf xlsx"
case $BUILD in /*) b=$BUILD ;; *) b=$TOP/$BUILD ;; esac
cc=${CC:-cc}

# Same sanitizers as the objects we link (they were built by make with or
# without SANITIZE); read from the archive rather than guessed.
# (Symbols captured first: grep -q would cut nm off, and pipefail may be on.)
san= syms=$(nm -u "$b/libnbcore.a" 2>/dev/null)
grep -q '__asan_report' <<<"$syms" && san=address
grep -q '__ubsan_handle' <<<"$syms" && san=${san:+$san,}undefined
sanflags=${san:+-fsanitize=$san -fno-sanitize-recover=all -fno-omit-frame-pointer}

pcflags=$(pkg-config --cflags sqlite3 libunibreak sdl2 SDL2_image libsodium poppler-glib cairo libzip expat freetype2 fontconfig)
pclibs=$(pkg-config --libs sqlite3 libunibreak sdl2 SDL2_image libsodium libjpeg poppler-glib cairo libzip expat xlsxwriter freetype2 fontconfig)
syncobj=$(ls "$b"/sync/*.o | grep -v '/main\.o$')
status=0
for n in $names; do
    # shellcheck disable=SC2086 # word lists on purpose
    if ! $cc -std=c11 -O1 -g -D_GNU_SOURCE -I"$TOP/src" -I"$TOP/tests/fuzz" $pcflags $sanflags \
            -Wall -Wextra -Werror -o "$T/replay-$n" "$TOP/tests/fuzz/replay.c" \
            "$TOP/tests/fuzz/fuzz-$n.c" $syncobj "$b/libnbcore.a" $pclibs -lm 2>"$T/cc-$n.err"; then
        echo "figure: fuzz replay $n: build failed"
        head -n 20 "$T/cc-$n.err"
        status=1
        continue
    fi
    rc=0
    # A hang is a finding too (a PNG once looped for ever): 5 minutes cap.
    out=$(timeout 300 "$T/replay-$n" "$TOP/tests/fuzz/corpus/$n" 2>"$T/replay-$n.err") || rc=$?
    count=$(sed -n 's/^replayed \([0-9]*\) inputs$/\1/p' <<<"$out")
    if [ "$rc" -eq 0 ] && [ "${count:-0}" -gt 0 ]; then
        echo "figure: fuzz replay $n${san:+ ($san)}: ${count} inputs, 0 crashes"
    else
        echo "figure: fuzz replay $n${san:+ ($san)}: ${count:-0} inputs, exit $rc"
        sed 's/^/    /' "$T/replay-$n.err" | head -n 30
        status=1
    fi
done

if [ "$ROBUST" = full ]; then
    # libFuzzer present: clang and its runtime (libclang-rt-14-dev) link a
    # one-line harness.
    if command -v clang >/dev/null &&
        echo 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return 0; }' |
            clang -fsanitize=fuzzer -x c - -o "$T/probe" 2>/dev/null; then
        make -C "$TOP" --no-print-directory BUILD="$BUILD" FUZZ_SECONDS="${FUZZ_SECONDS:-60}" fuzz || status=1
    else
        echo "figure: fuzz: not run (clang with libFuzzer missing: apt-get install clang libclang-rt-14-dev)"
    fi
fi
[ "$status" -eq 0 ]
