#!/usr/bin/env bash
# make robust: runs every tests/robust/r-*.sh and collects the figures each
# prints ("figure: NAME: VALUE" lines).  ROBUST=full for the full figures
# (make robust); ROBUST=short for the shortened form make test runs.
# A script fails by exiting non-zero (a figure short of its target).
set -u
shopt -s nullglob
here=$(cd "$(dirname "$0")" && pwd)
export NB=$(realpath "${NB:?}") SYNC=$(realpath "${SYNC:?}")
export TOP=$(cd "$here/../.." && pwd) ROBUST=${ROBUST:-short}
export BUILD=${BUILD:-build}
pass=0 fail=0 skipped=0 failed=()
for t in "$here"/r-*.sh; do
    name=$(basename "$t" .sh)
    export T=$(mktemp -d "${TMPDIR:-/tmp}/nb-$name.XXXXXX")
    rc=0
    (cd "$T" && source "$TOP/tests/e2e/lib.sh" && source "$t") >"$T/log" 2>&1 || rc=$?
    if [ "$rc" -eq 0 ]; then
        pass=$((pass + 1))
        grep '^figure:' "$T/log" || echo "figure: $name: (no figure printed)"
        rm -rf "$T"
    elif [ "$rc" -eq 77 ] && [ -z "${NB_NO_SKIP:-}" ]; then
        skipped=$((skipped + 1)); echo "SKIP $name: $(sed -n 's/^SKIP: //p' "$T/log" | tail -n 1)"
        rm -rf "$T"
    else
        [ "$rc" -eq 77 ] && echo "FAILED: skipped, but NB_NO_SKIP is set: every test must run here" >>"$T/log"
        fail=$((fail + 1)); failed+=("$name")
        grep '^figure:' "$T/log"
        echo "FAIL $name (log and files kept in $T)"; tail -n 30 "$T/log" | sed 's/^/    /'
    fi
done
echo "robust ($ROBUST): $pass passed, $fail failed, $skipped skipped"
[ "$fail" -eq 0 ]
