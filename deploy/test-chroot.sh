#!/bin/sh
# test-chroot.sh — the installer's trial run in a throwaway Debian 12 root
# (docs/deploy.md, "Tested"): debootstrap, git clone this repository inside,
# deploy/install.sh --prefix /usr twice (the second run must change nothing),
# make install on top (must still change nothing), systemd-analyze verify.
# Needs root, debootstrap and the Debian mirror; takes a few minutes; not
# part of make test.
#
#   sudo deploy/test-chroot.sh [DIR]     (default /tmp/nbroot; kept afterwards
#                                         for a look, reused by the next run)
#
# MIRROR (environment) overrides http://deb.debian.org/debian.
set -eu
root=${1:-/tmp/nbroot}
mirror=${MIRROR:-http://deb.debian.org/debian}
top=$(cd "$(dirname "$0")/.." && pwd)
[ "$(id -u)" = 0 ] || { echo "test-chroot.sh: run as root" >&2; exit 1; }
command -v debootstrap >/dev/null || { echo "test-chroot.sh: apt-get install debootstrap" >&2; exit 1; }

t0=$(date +%s)
step() { echo "== $(($(date +%s) - t0)) s: $*"; }

if [ ! -x "$root/usr/bin/apt-get" ]; then
    step "debootstrap --variant=minbase bookworm $root"
    debootstrap --variant=minbase bookworm "$root" "$mirror" > "$root.debootstrap.log" 2>&1 ||
        { tail -20 "$root.debootstrap.log"; exit 1; }
fi

# What a booted box has and a chroot lacks: /proc, /sys, /dev; the source
# tree read-only at /mnt/src; no daemon may start (policy-rc.d).
mounted=''
cleanup() { for m in $mounted; do umount -l "$m" 2>/dev/null || true; done; }
trap cleanup EXIT
for m in proc sys dev dev/pts; do
    mountpoint -q "$root/$m" || { mount --bind "/$m" "$root/$m"; mounted="$root/$m $mounted"; }
done
mkdir -p "$root/mnt/src"
mountpoint -q "$root/mnt/src" || {
    mount --bind "$top" "$root/mnt/src" && mount -o remount,bind,ro "$root/mnt/src"
    mounted="$root/mnt/src $mounted"
}
printf '#!/bin/sh\nexit 101\n' > "$root/usr/sbin/policy-rc.d"
chmod +x "$root/usr/sbin/policy-rc.d"

# man-db: systemd-analyze verify runs `man` for each Documentation= page.
step "inside: apt-get install make git systemd udev man-db (what a Debian 12 box has)"
chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
    DEBIAN_FRONTEND=noninteractive /bin/sh -eu <<'IN'
apt-get update -qq
apt-get install -y -qq --no-install-recommends make git ca-certificates systemd udev \
    man-db >/dev/null
rm -rf /root/noticeboard
git clone -q /mnt/src /root/noticeboard
echo "cloned $(git -C /root/noticeboard log --oneline -1)"
IN

step "inside: deploy/install.sh --prefix /usr (first run)"
run_install() {
    chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
        DEBIAN_FRONTEND=noninteractive /root/noticeboard/deploy/install.sh --prefix /usr
}
run_install | tee "$root/root/install-1.txt"

step "inside: deploy/install.sh --prefix /usr (second run: nothing may change)"
run_install | tee "$root/root/install-2.txt"
grep -q 'nothing changed' "$root/root/install-2.txt" || { echo "FAILED: second run changed something"; exit 1; }

step "inside: make install PREFIX=/usr, then install.sh again (still nothing)"
chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
    make -s -C /root/noticeboard install PREFIX=/usr >/dev/null
run_install | tee "$root/root/install-3.txt"
grep -q 'nothing changed' "$root/root/install-3.txt" ||
    { echo "FAILED: make install and install.sh disagree"; exit 1; }

step "inside: enabled and masked (systemd is not PID 1 here: the symlinks are the proof)"
chroot "$root" /bin/sh -eu <<'IN'
ls -l /etc/systemd/system/multi-user.target.wants/noticeboard.service \
      /etc/systemd/system/getty@tty1.service /etc/systemd/system/autovt@tty1.service
[ "$(readlink /etc/systemd/system/getty@tty1.service)" = /dev/null ]
[ "$(readlink /etc/systemd/system/autovt@tty1.service)" = /dev/null ]
[ "$(systemctl is-enabled noticeboard.service)" = enabled ]
getent passwd noticeboard
stat -c '%n %U:%G %a' /var/lib/noticeboard /var/lib/noticeboard/safe-screen
IN

step "inside: systemd-analyze verify"
chroot "$root" /bin/sh -c 'cd /lib/systemd/system &&
    for u in noticeboard.service noticeboard-fallback.service noticeboard-import@sdb1.service; do
        systemd-analyze verify "./$u" 2>&1 || echo "verify $u failed"
    done' | tee "$root/root/verify.txt"
# The one complaint docs/deploy.md explains: systemd 252 predates RestartMode=.
if grep -v "Unknown key 'RestartMode'" "$root/root/verify.txt" | grep -q .; then
    echo "FAILED: systemd-analyze verify"; exit 1
fi
step "inside: the installed programs work: first stick with init, import, status, plan"
chroot "$root" /bin/sh -eu <<'IN'
as_nb() { setpriv --reuid=noticeboard --regid=noticeboard --init-groups "$@"; }
rm -rf /tmp/stick && install -d -o noticeboard -g noticeboard /tmp/stick
as_nb noticeboard-sync init /tmp/stick
test -s /tmp/stick/noticeboard/noticeboard.key
as_nb noticeboard-sync import /tmp/stick | tail -1
noticeboard-sync status | grep feed_version
noticeboard plan --at '2026-11-22 09:30'
IN

step "done: $root is kept (rm -rf it when finished)"
