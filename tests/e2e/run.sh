#!/usr/bin/env bash
# End-to-end tests: drive the real binaries ($NB, $SYNC) on fixture bundles.
# Each tests/e2e/t-*.sh is sourced in a subshell with helpers from lib.sh;
# it fails by exiting non-zero.  Prints "e2e: N passed, N failed".
set -u
shopt -s nullglob
here=$(cd "$(dirname "$0")" && pwd)
export NB=$(realpath "${NB:?}") SYNC=$(realpath "${SYNC:?}")
export TOP=$(cd "$here/../.." && pwd)
pass=0 fail=0 failed=()
for t in "$here"/t-*.sh; do
    name=$(basename "$t" .sh)
    export T=$(mktemp -d "${TMPDIR:-/tmp}/nb-$name.XXXXXX")
    if (cd "$T" && source "$here/lib.sh" && source "$t") >"$T/log" 2>&1; then
        pass=$((pass + 1)); echo "ok   $name"
        rm -rf "$T"
    else
        fail=$((fail + 1)); failed+=("$name")
        echo "FAIL $name (log and files kept in $T)"; tail -n 30 "$T/log" | sed 's/^/    /'
    fi
done
echo "e2e: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
