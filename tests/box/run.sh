#!/bin/sh
# run.sh — `make box-test`: the whole box in a virtual machine (README.md here).
# Builds or reuses the guest image (image.sh, cached in $BOX_CACHE), boots it
# with QEMU and runs the checks (box.py).  Every process and temporary file it
# made is gone when it ends, however it ends; results stay in $BUILD/box.
#
#   BOX_CACHE   image cache (default /var/cache/nb-box as root,
#               else ${XDG_CACHE_HOME:-~/.cache}/nb-box)
#   BOX_ACCEL   kvm or tcg (default: kvm when a probe boot shows it works)
#   BOX_CPU     QEMU CPU model (default Nehalem: works with TCG and llvmpipe)
#   BOX_SIZE    screen size (default 1920x1080)
#   BOX_CUTS    power cuts (default 20)
#   BOX_CUT_SIZE screen size during the power cuts (default 960x540)
#   BOX_RTC     guest clock at power-on, QEMU -rtc base= (default: now, UTC)
#   BOX_ONLY    comma-separated steps, for working on one (boot, key_stick and
#               demo always run): hostile wrong_key cpu player_faults quiet
#               display_reset clock_week_back power_cuts
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
here=$top/tests/box
build=${BUILD:-build}
case $build in /*) ;; *) build=$top/$build ;; esac
if [ "$(id -u)" = 0 ]; then
    cache=${BOX_CACHE:-/var/cache/nb-box}
else
    cache=${BOX_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/nb-box}
fi
out=$build/box
t0=$(date +%s)

run=$(mktemp -d "${TMPDIR:-/tmp}/nb-box.XXXXXX")
pids=''
cleanup() {
    for p in $pids; do kill "$p" 2>/dev/null || true; done
    # QEMU, if box.py could not stop it (box.py writes its pid here).
    if [ -f "$run/qemu.pid" ]; then kill -9 "$(cat "$run/qemu.pid")" 2>/dev/null || true; fi
    rm -rf "$run"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

rm -rf "$out"
mkdir -p "$out"
echo "box: results in $out"
# The host's other work slows the emulated box down: say how busy it was.
echo "figure: host load average at start: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores)"
image=$("$here/image.sh" "$cache") || { echo "FAIL image: could not build the guest image"; exit 1; }
echo "figure: image ready after $(($(date +%s) - t0)) s ($(basename "$image"))"

# KVM when it works here: a probe boot of the guest's kernel must print its
# banner within a few seconds (on some nested hosts KVM hangs the kernel).
accel=${BOX_ACCEL:-}
if [ -z "$accel" ]; then
    accel=tcg
    if [ -w /dev/kvm ]; then
        qemu-system-x86_64 -machine q35,accel=kvm -cpu "${BOX_CPU:-Nehalem}" -m 256 \
            -display none -nodefaults -no-user-config -no-reboot \
            -chardev file,id=s,path="$run/kvm-probe.log" -serial chardev:s \
            -kernel "$image/vmlinuz" -append 'console=ttyS0 panic=-1' \
            >"$run/kvm-probe.err" 2>&1 &
        probe=$!
        pids="$pids $probe"
        i=0
        while [ $i -lt 20 ]; do
            if grep -q 'Linux version' "$run/kvm-probe.log" 2>/dev/null; then accel=kvm; break; fi
            kill -0 "$probe" 2>/dev/null || break
            sleep 0.5; i=$((i + 1))
        done
        kill "$probe" 2>/dev/null || true
        wait "$probe" 2>/dev/null || true
        pids=''
    fi
    echo "box: accelerator $accel$( [ "$accel" = tcg ] && [ -e /dev/kvm ] &&
        echo " (KVM did not boot the kernel: $(head -c 200 "$run/kvm-probe.err" | tr '\n' ' '))")"
fi

status=0
python3 "$here/box.py" --image "$image" --run "$run" --out "$out" --top "$top" \
    --nb "$build/noticeboard" --sync "$build/noticeboard-sync" --accel "$accel" \
    --cpu "${BOX_CPU:-Nehalem}" --size "${BOX_SIZE:-1920x1080}" --cuts "${BOX_CUTS:-20}" \
    --cut-size "${BOX_CUT_SIZE:-960x540}" \
    ${BOX_RTC:+--rtc "$BOX_RTC"} ${BOX_ONLY:+--only "$BOX_ONLY"} || status=$?
echo "figure: host load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "figure: box-test took $(($(date +%s) - t0)) s in all"
exit $status
