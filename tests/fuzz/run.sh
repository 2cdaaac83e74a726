#!/usr/bin/env bash
# run.sh DIR SECONDS NAME... — runs each libFuzzer build DIR/fuzz-NAME for
# SECONDS on its committed seeds (tests/fuzz/corpus/NAME, read only) plus a
# working corpus DIR/corpus-NAME that grows from run to run.  Prints
# "figure: fuzz NAME: EXECS execs, CRASHES crashes" and exits 1 on any crash
# (artifacts kept as DIR/crash-NAME-*, log as DIR/NAME.log).
set -u
dir=$1 secs=$2; shift 2
top=$(cd "$(dirname "$0")/../.." && pwd)
bad=0
for n in "$@"; do
    # Longest input worth trying per harness: a few lines for the date
    # parsers, a small sheet for CSV, a few pages for SQLite and images.
    case $n in
        when) max=1024 ;; manifest|minisign) max=4096 ;; csv) max=16384 ;;
        feed|media|pdf|xlsx) max=65536 ;; *) max=8192 ;;
    esac
    # A dictionary of the format's words, when there is one (fuzz-pdf).
    dict=
    [ -f "$top/tests/fuzz/$n.dict" ] && dict=-dict=$top/tests/fuzz/$n.dict
    mkdir -p "$dir/corpus-$n"
    rm -f "$dir/crash-$n-"*
    "$dir/fuzz-$n" -max_total_time="$secs" -max_len="$max" -timeout=20 -rss_limit_mb=2048 $dict \
        -print_final_stats=1 -artifact_prefix="$dir/crash-$n-" \
        "$dir/corpus-$n" "$top/tests/fuzz/corpus/$n" >"$dir/$n.log" 2>&1
    rc=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/$n.log" | tail -n1)
    crashes=$(find "$dir" -maxdepth 1 -name "crash-$n-*" | wc -l)
    # A non-zero exit without an artifact (e.g. a sanitizer report at exit)
    # is a crash too.
    [ "$rc" -ne 0 ] && [ "$crashes" -eq 0 ] && crashes=1
    echo "figure: fuzz $n: ${execs:-0} execs, $crashes crashes"
    if [ "$crashes" -ne 0 ]; then
        bad=1
        echo "  fuzz-$n failed (exit $rc); log $dir/$n.log:"
        grep -E 'ERROR|SUMMARY|invariant|runtime error|#[0-9] ' "$dir/$n.log" | head -n 20 | sed 's/^/    /'
    fi
done
exit $bad
