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
pass=0 fail=0 failed=()
for t in "$here"/r-*.sh; do
    name=$(basename "$t" .sh)
    export T=$(mktemp -d "${TMPDIR:-/tmp}/nb-$name.XXXXXX")
    if (cd "$T" && source "$TOP/tests/e2e/lib.sh" && source "$t") >"$T/log" 2>&1; then
        pass=$((pass + 1))
        grep '^figure:' "$T/log" || echo "figure: $name: (no figure printed)"
        rm -rf "$T"
    else
        fail=$((fail + 1)); failed+=("$name")
        grep '^figure:' "$T/log"
        echo "FAIL $name (log and files kept in $T)"; tail -n 30 "$T/log" | sed 's/^/    /'
    fi
done
echo "robust ($ROBUST): $pass passed, $fail failed"
[ "$fail" -eq 0 ]
