# Helpers for end-to-end tests (sourced).  set -e semantics: any failing
# command fails the test.
set -euo pipefail
die() { echo "FAILED: $*" >&2; exit 1; }
# expect_status N cmd args… : runs cmd, fails unless it exits with N.
expect_status() {
    local want=$1; shift
    local got=0
    "$@" || got=$?
    [ "$got" -eq "$want" ] || die "'$*' exited $got, expected $want"
}
# contains FILE TEXT : fails unless FILE contains the fixed string TEXT.
contains() { grep -qF -- "$2" "$1" || { echo "--- $1:"; cat "$1"; die "$1 lacks '$2'"; }; }
