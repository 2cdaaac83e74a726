#!/usr/bin/env bash
# End-to-end tests: drive the real binaries ($NB, $SYNC) on fixture bundles.
# Each tests/e2e/t-*.sh is sourced in a subshell with helpers from lib.sh;
# it fails by exiting non-zero, or skips (lib.sh `skip`).  Prints
# "e2e: N passed, N failed, N skipped".  E2E_ONLY=regex runs a subset.
set -u
shopt -s nullglob
here=$(cd "$(dirname "$0")" && pwd)
export NB=$(realpath "${NB:?}") SYNC=$(realpath "${SYNC:?}")
export TOP=$(cd "$here/../.." && pwd)
pass=0 fail=0 skipped=0 failed=()
for t in "$here"/t-*.sh; do
    name=$(basename "$t" .sh)
    # E2E_ONLY=regex runs only the matching tests (while working on them).
    [[ -z "${E2E_ONLY:-}" || "$name" =~ $E2E_ONLY ]] || continue
    export T=$(mktemp -d "${TMPDIR:-/tmp}/nb-$name.XXXXXX")
    rc=0
    (cd "$T" && source "$here/lib.sh" && source "$t") >"$T/log" 2>&1 || rc=$?
    if [ "$rc" -eq 0 ]; then
        pass=$((pass + 1)); echo "ok   $name"
        rm -rf "$T"
    elif [ "$rc" -eq 77 ] && [ -z "${NB_NO_SKIP:-}" ]; then
        skipped=$((skipped + 1)); echo "SKIP $name: $(sed -n 's/^SKIP: //p' "$T/log" | tail -n 1)"
        rm -rf "$T"
    else
        [ "$rc" -eq 77 ] && echo "FAILED: skipped, but NB_NO_SKIP is set: every test must run here" >>"$T/log"
        fail=$((fail + 1)); failed+=("$name")
        echo "FAIL $name (log and files kept in $T)"; tail -n 30 "$T/log" | sed 's/^/    /'
    fi
done
echo "e2e: $pass passed, $fail failed, $skipped skipped"
[ "$fail" -eq 0 ]
