#!/usr/bin/env bash
# Runs every unit-test binary given; prints one summary line cmocka-style.
# Exits non-zero if any failed.
set -u
pass=0 fail=0 failed=()
for t in "$@"; do
    if "$t"; then pass=$((pass + 1)); else fail=$((fail + 1)); failed+=("$t"); fi
done
echo "unit: $pass passed, $fail failed"
[ "$fail" -eq 0 ] || { printf 'failed: %s\n' "${failed[@]}"; exit 1; }
