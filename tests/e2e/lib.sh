# Helpers for end-to-end tests (sourced).  set -e semantics: any failing
# command fails the test.
set -euo pipefail
die() { echo "FAILED: $*" >&2; exit 1; }
# skip REASON : this test cannot run here (exit 77).  The runner counts it
# as SKIP with the reason; with NB_NO_SKIP=1 (CI) a skip is a failure.
skip() { echo "SKIP: $*"; exit 77; }
# at 'YYYY-MM-DD HH:MM' : both programs' wall clock starts there for the
# rest of the test (core/now.c), so nothing depends on the day it runs.
at() { export NB_TEST_CLOCK="$1"; }
# No test ever sets the machine's clock: an import that would appends the
# time to this file instead (core/now.c, now_set).
export NB_TEST_SET_CLOCK="${T:-$PWD}/clock-set.txt"
# expect_status N cmd args… : runs cmd, fails unless it exits with N.
expect_status() {
    local want=$1; shift
    local got=0
    "$@" || got=$?
    [ "$got" -eq "$want" ] || die "'$*' exited $got, expected $want"
}
# contains FILE TEXT : fails unless FILE contains the fixed string TEXT.
contains() { grep -qF -- "$2" "$1" || { echo "--- $1:"; cat "$1"; die "$1 lacks '$2'"; }; }
# … | finds GREP-ARGS… : `grep -q` for the end of a pipe.  grep -q stops
# reading at the first match; a writer with more to write then dies of
# SIGPIPE, and pipefail fails the pipeline though the text was there
# (r-hostile failed so once in CI, on a 20 KB report).  This reads it all.
finds() { grep "$@" > /dev/null; }
# fill_templates DIR : does what staff do with the templates init wrote to
# DIR/noticeboard: replaces each example with real content (an untouched
# example row is refused on import).
fill_templates() {
    local f
    for f in "$1"/noticeboard/*.csv; do
        sed -i -e 's/社区服务大厅办公时间/本周办公时间/' -e 's/健康讲座：冬季常见病预防/冬季健康讲座/' \
            -e 's/张三/李梅/' -e 's/欢迎来到社区服务中心，办事请先取号，谢谢配合。/欢迎光临/' \
            -e 's/（请改成本单位名称）社区服务中心/幸福里社区服务中心/' "$f"
    done
}
# Background processes started through these helpers are killed on exit.
bg_pids=()
kill_bg() { local p; for p in "${bg_pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap kill_bg EXIT
# start_xvfb WxH : starts a private Xvfb and exports DISPLAY.
start_xvfb() {
    command -v Xvfb >/dev/null || die "Xvfb missing (make deps installs xvfb)"
    Xvfb -displayfd 3 -screen 0 "${1:-800x600}x24" -nolisten tcp 3>display.txt 2>xvfb.log &
    bg_pids+=($!)
    local i
    for i in $(seq 100); do [ -s display.txt ] && break; sleep 0.1; done
    [ -s display.txt ] || die "Xvfb did not start"
    export DISPLAY=:$(cat display.txt)
}
# wait_for FILE TEXT SECONDS : waits until FILE contains TEXT.
wait_for() {
    local i
    for i in $(seq $(($3 * 10))); do grep -qF -- "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
    cat "$1"; die "'$2' did not appear in $1 within $3 s"
}
# slow_bundle DIR : a bundle slow enough to interrupt in DIR/noticeboard:
# 30 large posters to decode and scale (30 announcements).
slow_bundle() {
    local i
    mkdir -p "$1/noticeboard/media"
    { echo "title,image"
      for i in $(seq 1 30); do
          cp "$TOP/tests/fixtures/images/big.jpg" "$1/noticeboard/media/p$i.jpg"
          echo "海报$i,p$i.jpg"
      done; } > "$1/noticeboard/announcements.csv"
}
