#!/usr/bin/env bash
# bench.sh — Noticeboard side by side with a Chromium kiosk showing the same
# feed, on this machine, in one run (`make bench`; README.md says how to read
# the figures).  Each run gets a fresh Xvfb display at 1920x1080 and a window
# manager; runs interleave (Noticeboard, Chromium, Noticeboard, …) so that
# drift in the machine hits both alike.
#
#   bench.sh deps    check (and as root, install) what the bench needs
#   bench.sh         measure; env: BUILD NB SYNC RUNS QUICK (set by make), and
#                    TARGETS="noticeboard chromium" (either alone while developing)
#
# Per run and mode (ticker | slides | static), from launch:
#   pixwait: launch → first complete frame (header both halves, slide, ticker)
#   +WARM s: CPU window of WIN s (procstat.py cpu: app + Xvfb + WM)
#   then memory (procstat.py mem: PSS/RSS, >= 60 s after launch in full mode)
#   ticker mode: then tickerprobe for PROBE s on the ticker's middle row
# Then, per run, the sync: import of the big bundle into a fresh data folder
# (wall time, peak RSS via wait4), and a player watching its feed while a
# new bundle is imported: time from import's return to the header changing.
# Once at the end: layout-bench timings and callgrind instruction counts, and
# present-bench: a 60 Hz ticker presented three ways (the evidence for a fix);
# after the table, xlsx-bench: reading a workbook against the same CSV.
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
BENCH=$TOP/tests/bench

# Debian packages the bench needs beyond the build's (not build dependencies).
bench_deps() {
    local need=() have
    have() { dpkg-query -W -f='${Status}\n' "$1" 2>/dev/null | grep -q '^install ok installed'; }
    for p in chromium matchbox-window-manager xvfb x11-utils libx11-dev imagemagick valgrind \
             python3 fonts-noto-cjk; do
        have "$p" || need+=("$p")
    done
    [ ${#need[@]} -eq 0 ] && return 0
    if [ "$(id -u)" = 0 ]; then
        echo "bench: installing Debian packages: ${need[*]}"
        DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"
    else
        echo "bench: missing Debian packages. Run:"; echo; echo "    sudo apt-get install ${need[*]}"
        echo; return 1
    fi
}
if [ "${1:-}" = deps ]; then bench_deps; exit; fi

cd "$TOP" || exit 1
BUILD=${BUILD:-build}
NB=$(realpath "${NB:-$BUILD/noticeboard}")
SYNC=$(realpath "${SYNC:-$BUILD/noticeboard-sync}")
OUT=$TOP/$BUILD/bench
TOOLS=${TOOLS:-$OUT}
RUNS=${RUNS:-5}
TARGETS=${TARGETS:-noticeboard chromium}
has_nb() { case " $TARGETS " in *" noticeboard "*) return 0 ;; esac; return 1; }
if [ -n "${QUICK:-}" ] && [ "${QUICK:-0}" != 0 ]; then
    RUNS=1 WIN=15 WARM=3 PROBE=10
else
    QUICK= WIN=60 WARM=5 PROBE=15
fi
W=1920 H=1080
CHROMIUM_FLAGS=(--kiosk --no-sandbox --disable-gpu --no-first-run --disable-background-networking
                --disable-component-update --disable-sync --disable-quic --noerrdialogs
                --password-store=basic)

for f in "$SYNC" "$TOOLS/pixwait" "$TOOLS/tickerprobe" "$TOOLS/layout-bench" "$TOOLS/present-bench" \
         "$TOOLS/xlsx-bench" \
         $(has_nb && echo "$NB"); do
    [ -x "$f" ] || { echo "bench: $f is missing (run it through 'make bench')" >&2; exit 1; }
done

WORK=$OUT/work
mkdir -p "$OUT/runs" "$WORK"
rm -rf "$OUT/runs"/* "$OUT/results.txt"
LOG=$OUT/bench.log
: > "$LOG"
say() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" | tee -a "$LOG"; }

# ------------------------------------------------------------ clean-up
# Everything we start is recorded here and ended by PID (never by name).
PIDS=()
stop_pid() {    # TERM, wait up to 5 s, then KILL
    local p=$1 i
    kill "$p" 2>/dev/null || return 0
    for i in $(seq 50); do kill -0 "$p" 2>/dev/null || return 0; sleep 0.1; done
    kill -9 "$p" 2>/dev/null
}
# Chromium helpers of display $1 (they re-parent, so we find them by exe and DISPLAY).
chromium_pids() {
    local p
    for p in /proc/[0-9]*; do
        case $(readlink "$p/exe" 2>/dev/null) in /usr/lib/chromium/*) ;; *) continue ;; esac
        tr '\0' '\n' < "$p/environ" 2>/dev/null | grep -qx "DISPLAY=$1" && echo "${p#/proc/}"
    done
}
cleanup() {
    local p
    for p in "${PIDS[@]}"; do stop_pid "$p"; done
    PIDS=()
}
trap 'cleanup; exit 130' INT TERM
trap cleanup EXIT

# ------------------------------------------------------------ X display
DISP=90
start_x() {     # DIR: sets DISPLAY, XPID, WPID
    local i try
    for try in 1 2 3 4 5; do
        DISP=$((DISP + 1))
        while [ -e /tmp/.X$DISP-lock ] || [ -e /tmp/.X11-unix/X$DISP ]; do DISP=$((DISP + 1)); done
        export DISPLAY=:$DISP
        Xvfb "$DISPLAY" -screen 0 ${W}x${H}x24 -nolisten tcp -br -noreset >"$1/xvfb.log" 2>&1 &
        XPID=$!
        for i in $(seq 200); do
            kill -0 "$XPID" 2>/dev/null || break
            xdpyinfo >/dev/null 2>&1 && break
            sleep 0.05
        done
        # ours, and up?  (someone may have taken the number between check and start)
        kill -0 "$XPID" 2>/dev/null && xdpyinfo >/dev/null 2>&1 && break
        stop_pid "$XPID"
        say "Xvfb $DISPLAY did not start (try $try), taking the next display"
    done
    PIDS+=("$XPID")
    matchbox-window-manager -use_titlebar no -use_cursor no >/dev/null 2>&1 &
    WPID=$!; PIDS+=("$WPID")
    sleep 0.5
}
stop_x() {
    stop_pid "$WPID"; stop_pid "$XPID"
    PIDS=()
}

# ------------------------------------------------------------ content
CONF=$WORK/bench.conf
python3 "$BENCH/mkbundle.py" config "$CONF"
conf() { sed -n "s/^$1 *= *#\?//p" "$CONF" | head -1; }
HEADER_BG=$(conf header_bg) SLIDE_BG=$(conf bg) TICKER_BG=$(conf ticker_bg)
# The player's geometry (scene.c): header 9 % of the height, ticker 7 % of
# min(w, h); the generated page uses the same, so one set of probes fits both.
HH=$(( (H * 9 + 50) / 100 )) TH=$(( ((W < H ? W : H) * 7 + 50) / 100 ))
TICKER_ROW=$((H - TH + TH / 2))

import_into() {     # DATA BUNDLE_ROOT LOG
    rm -rf "$1"
    "$SYNC" import --data "$1" --config "$CONF" "$2" >"$3" 2>&1 ||
        { say "import into $1 failed (see $3)"; return 1; }
}
MODES=(ticker slides static)
for m in "${MODES[@]}"; do
    python3 "$BENCH/mkbundle.py" scene "$WORK/bundle-$m" "$m" || exit 1
    import_into "$WORK/data-$m" "$WORK/bundle-$m" "$WORK/import-$m.log" || exit 1
    python3 "$BENCH/mkpage.py" "$WORK/data-$m/feed.db" "$CONF" "$WORK/page-$m.html" ${W}x${H} || exit 1
done
python3 "$BENCH/mkbundle.py" scene "$WORK/bundle-switch" ticker '明德里社区党群服务中心' || exit 1
say "photos: generating the 12 MP cache once (build/bench/photos)"
python3 "$BENCH/mkbundle.py" photos "$OUT/photos" || exit 1
python3 "$BENCH/mkbundle.py" big "$WORK/bundle-big" "$OUT/photos" || exit 1

# ------------------------------------------------------------ one run
bands() {       # MODE → pixwait bands for a complete frame
    local area_h=$((H - HH)) b
    [ "$1" = ticker ] && area_h=$((H - HH - TH))
    b="hl:0,0,$((W / 2)),$HH:$HEADER_BG hr:$((W / 2)),0,$((W / 2)),$HH:$HEADER_BG"
    b="$b slide:0,$HH,$W,$area_h:$SLIDE_BG:40:16"
    [ "$1" = ticker ] && b="$b tick:0,$((H - TH)),$W,$TH:$TICKER_BG"
    echo "$b"
}

run_one() {     # TARGET MODE RUN
    local target=$1 mode=$2 run=$3 d=$OUT/runs/$1-$2-$3 app t0 sel prof=
    mkdir -p "$d"
    start_x "$d"
    # shellcheck disable=SC2046
    "$TOOLS/pixwait" 30 $(bands "$mode") >"$d/paint.txt" &
    local pw=$!; PIDS+=("$pw")
    sleep 0.3
    t0=$EPOCHREALTIME
    if [ "$target" = noticeboard ]; then
        "$NB" --data "$WORK/data-$mode" --config "$CONF" >"$d/app.log" 2>&1 &
        app=$!
        sel=(--tree "$app")
    else
        prof=$(mktemp -d "$WORK/profile.XXXXXX")
        mkdir -p "$prof/Default"
        echo '{"translate":{"enabled":false}}' >"$prof/Default/Preferences"  # no translate bubble
        chromium "${CHROMIUM_FLAGS[@]}" --user-data-dir="$prof" "file://$WORK/page-$mode.html" \
            >"$d/app.log" 2>&1 &
        app=$!
        sel=(--tree "$app" --exe /usr/lib/chromium/ --display "$DISPLAY")
    fi
    PIDS+=("$app")
    echo "launch $t0" >"$d/launch.txt"
    wait "$pw"
    local rest
    rest=$(python3 -c "import time; print(max(0, $t0 + $WARM - time.time()))")
    sleep "$rest"
    python3 "$BENCH/procstat.py" cpu "$WIN" "${sel[@]}" --xvfb "$XPID" --wm "$WPID" >"$d/cpu.json"
    python3 "$BENCH/procstat.py" mem "${sel[@]}" --xvfb "$XPID" --wm "$WPID" >"$d/mem.json"
    echo "mem_at_s $(python3 -c "import time; print(round(time.time() - $t0, 1))")" >>"$d/launch.txt"
    if [ "$mode" = ticker ]; then
        "$TOOLS/tickerprobe" "$PROBE" "$TICKER_ROW" >"$d/ticker.txt"
    fi
    [ "$run" = 1 ] && import -window root "$d/shot.png" 2>/dev/null
    kill -0 "$app" 2>/dev/null || echo "exited early" >>"$d/launch.txt"
    stop_pid "$app"
    if [ "$target" = chromium ]; then
        local i p
        for i in $(seq 50); do [ -z "$(chromium_pids "$DISPLAY")" ] && break; sleep 0.1; done
        for p in $(chromium_pids "$DISPLAY"); do kill -9 "$p" 2>/dev/null; done
        rm -rf "$prof"
    fi
    stop_x
    say "$target $mode run $run: $(grep -E '^(complete|timeout)' "$d/paint.txt" | head -1)"
}

run_sync() {    # RUN
    local d=$OUT/runs/sync-$1 t1 t2
    mkdir -p "$d"
    rm -rf "$WORK/bundle-big/noticeboard/reports"
    rm -rf "$WORK/data-big"
    python3 "$BENCH/procstat.py" run -- "$SYNC" import --data "$WORK/data-big" --config "$CONF" \
        "$WORK/bundle-big" >"$d/import.json" 2>"$d/import.log"
    say "sync run $1: big import $(cat "$d/import.json")"

    # The switch: the player shows the ticker feed; a new bundle is imported.
    start_x "$d"
    rm -rf "$WORK/data-switch"
    cp -a "$WORK/data-ticker" "$WORK/data-switch"
    "$TOOLS/pixwait" 30 $(bands ticker) >"$d/paint.txt" &
    local pw=$!; PIDS+=("$pw")
    sleep 0.3
    "$NB" --data "$WORK/data-switch" --config "$CONF" >"$d/app.log" 2>&1 &
    local app=$!; PIDS+=("$app")
    wait "$pw"
    sleep 3
    # the org name (left half of the header) changes only with the feed
    "$TOOLS/pixwait" --change 30 "org:0,0,$((W / 2)),$HH:000000" >"$d/switch.txt" &
    pw=$!; PIDS+=("$pw")
    local i
    for i in $(seq 100); do grep -q '^start' "$d/switch.txt" 2>/dev/null && break; sleep 0.05; done
    t1=$EPOCHREALTIME
    "$SYNC" import --data "$WORK/data-switch" --config "$CONF" "$WORK/bundle-switch" \
        >"$d/switch-import.log" 2>&1
    t2=$EPOCHREALTIME
    wait "$pw"
    printf 'import_start %s\nimport_end %s\n' "$t1" "$t2" >>"$d/switch.txt"
    stop_pid "$app"
    stop_x
    say "sync run $1: switch $(grep -E '^(complete|timeout)' "$d/switch.txt")"
}

# ------------------------------------------------------------ go
say "bench: RUNS=$RUNS window=${WIN}s probe=${PROBE}s quick=${QUICK:-no} on $(nproc) cores"
for run in $(seq "$RUNS"); do
    for m in "${MODES[@]}"; do
        for t in $TARGETS; do run_one "$t" "$m" "$run"; done
    done
    has_nb && run_sync "$run"
done

say "layout: timings and callgrind instruction counts"
"$TOOLS/layout-bench" 10 >"$OUT/runs/layout.txt" 2>&1
for c in announcement honors; do
    for m in cold warm; do
        valgrind --tool=callgrind --toggle-collect=bench_measured \
            --callgrind-out-file="$OUT/runs/callgrind-$c-$m.out" \
            "$TOOLS/layout-bench" --once "$c" "$m" >>"$OUT/runs/layout-once.txt" 2>"$OUT/runs/callgrind-$c-$m.log"
    done
done

# Diagnosis: the cost of keeping a 60 Hz ticker moving, by how frames reach
# the screen (present-bench.c), program + Xvfb, on one display.
say "present: renderer (GL) vs software full frame vs software band"
d=$OUT/runs/present
mkdir -p "$d"
start_x "$d"
for m in renderer full band; do     # 15 s each: the figures are steady, unlike the kiosk's
    "$TOOLS/present-bench" "$m" 19 >"$d/$m.txt" 2>&1 &
    pb=$!; PIDS+=("$pb")
    sleep 2
    python3 "$BENCH/procstat.py" cpu 15 --tree "$pb" --xvfb "$XPID" >"$d/$m.json"
    wait "$pb"
done
stop_x

{
    echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)," \
         "$(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo)"
    echo "versions: noticeboard $("$NB" --version 2>/dev/null | head -1);" \
         "$(chromium --version 2>/dev/null | head -1)"
    echo "settings: runs=$RUNS, CPU window ${WIN} s after ${WARM} s, ticker probe ${PROBE} s, ${W}x${H} Xvfb"
} >"$OUT/runs/meta.txt"
python3 "$BENCH/summarize.py" "$OUT/runs" | tee "$OUT/results.txt"

# Reading a workbook vs. the same rows as CSV (xlsx-bench.c; issue 16):
# its own figure lines, after the table.
say "xlsx: 10,000 and 50,000 rows, workbook vs CSV"
"$TOOLS/xlsx-bench" 10000 50000 | tee -a "$OUT/results.txt"

# What the play log costs an SD card (playlog-wear.sh; issue 18): one box
# hour of the demo at 20x, bytes and write() calls.
say "playlog: one box hour of the demo, bytes and writes"
NB=$NB SYNC=$SYNC "$BENCH/playlog-wear.sh" 1 20 | tee -a "$OUT/results.txt"
