#!/bin/sh
# image.sh CACHE — finds or builds the box's disk image in CACHE and prints its
# folder (root.raw, vmlinuz, initrd.img).  Two layers, each keyed on a hash of
# its inputs: a Debian 12 base (debootstrap plus the packages below), then the
# project installed from this working tree with deploy/install.sh in a chroot.
set -eu
cache=${1:?usage: image.sh CACHE}
top=$(cd "$(dirname "$0")/../.." && pwd)
here=$top/tests/box
[ "$(id -u)" = 0 ] || { echo "image.sh: needs root (debootstrap, chroot)" >&2; exit 1; }
mkdir -p "$cache"
# One builder at a time per cache.
exec 8>"$cache/lock"
flock 8

t0=$(date +%s)
step() { echo "box: image: $(($(date +%s) - t0)) s: $*" >&2; }

# The mirror apt uses here (the guest has no network; the chroot does).
mirror=${BOX_MIRROR:-}
if [ -z "$mirror" ]; then
    mirror=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null |
        awk '/^URIs:/ { for (i = 2; i <= NF; i++) if ($i !~ /security/) { print $i; exit } }')
fi
if [ -z "$mirror" ]; then
    mirror=$(awk '$1 == "deb" && $3 == "bookworm" { print $2; exit }' /etc/apt/sources.list 2>/dev/null || true)
fi
mirror=${mirror:-http://deb.debian.org/debian}
security=$(echo "$mirror" | sed 's|/debian/*$|/debian-security|')

# What a Debian 12 box has (systemd, udev, a kernel, make), what the Makefile
# says the build and the player need (what install.sh's `make deps` would
# install), fake-hwclock (which install.sh installs on a live box: it keeps
# the time across reboots), and two test tools: the guest agent the harness drives the box
# through, and sqlite3 for quick_check.
deb=$(make -s --no-print-directory -C "$top" -f Makefile -f - box-print-deb <<'EOF'
box-print-deb:
	@echo $(DEB_BUILD) $(DEB_RUN)
EOF
)
pkgs="systemd systemd-sysv udev linux-image-amd64 kmod procps make fake-hwclock $deb qemu-guest-agent sqlite3"
# Bump when the recipe below changes.
base_recipe=4
base_key=$(printf '%s\n' "$base_recipe" "$pkgs" | sha256sum | cut -c1-16)
base=$cache/base-$base_key

chroot_mounts=''
umount_all() {
    for m in $chroot_mounts; do umount -l "$m" 2>/dev/null || true; done
    chroot_mounts=''
}
mount_chroot() {
    for m in proc sys dev dev/pts; do
        mount --bind "/$m" "$1/$m"
        chroot_mounts="$1/$m $chroot_mounts"
    done
}
in_root() {
    r=$1; shift
    chroot "$r" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
        DEBIAN_FRONTEND=noninteractive "$@"
}
work=''
cleanup() {
    umount_all
    [ -z "$work" ] || rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ ! -e "$base/done" ]; then
    rm -rf "$base"
    work=$cache/tmp-base-$$
    rm -rf "$work"
    step "debootstrap --variant=minbase bookworm ($mirror)"
    debootstrap --variant=minbase bookworm "$work" "$mirror" >"$cache/debootstrap.log" 2>&1 ||
        { tail -20 "$cache/debootstrap.log" >&2; exit 1; }
    cat >"$work/etc/apt/sources.list" <<EOF
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb $security bookworm-security main
EOF
    printf '#!/bin/sh\nexit 101\n' >"$work/usr/sbin/policy-rc.d"
    chmod +x "$work/usr/sbin/policy-rc.d"
    # A small initramfs: TCG unpacks and runs it slowly.
    mkdir -p "$work/etc/initramfs-tools/conf.d"
    echo MODULES=list >"$work/etc/initramfs-tools/conf.d/box.conf"
    printf '%s\n' virtio_pci virtio_blk ext4 >>"$work/etc/initramfs-tools/modules"
    mount_chroot "$work"
    step "apt-get install $(echo "$pkgs" | wc -w) packages"
    # shellcheck disable=SC2086 # a list of package names
    in_root "$work" sh -c "apt-get update -qq && apt-get install -y -qq --no-install-recommends $pkgs" \
        >"$cache/apt.log" 2>&1 || { tail -20 "$cache/apt.log" >&2; exit 1; }
    in_root "$work" apt-get clean
    umount_all
    rm -f "$work/usr/sbin/policy-rc.d"
    mv "$work" "$base"
    work=''
    touch "$base/done"
    # Older bases are of no use any more.
    for d in "$cache"/base-*; do [ "$d" = "$base" ] || rm -rf "$d"; done
    step "base ready: $(du -sh "$base" | cut -f1)"
fi

# The project layer: what install.sh uses (Makefile, src, deploy, man pages)
# and this script.
files=$(cd "$top" && git ls-files -co --exclude-standard -- Makefile src deploy docs/man tests/box/image.sh |
    while read -r f; do [ -f "$f" ] && echo "$f"; done | sort)
proj_key=$( (echo "$base_key"; cd "$top" && echo "$files" | tr '\n' '\0' | xargs -0 sha256sum) |
    sha256sum | cut -c1-16)
img=$cache/box-$proj_key
if [ -e "$img/done" ]; then
    echo "$img"
    exit 0
fi

step "project layer $proj_key: copying the base"
rm -rf "$img"
work=$cache/tmp-box-$$
rm -rf "$work"
mkdir -p "$work"
cp -a "$base" "$work/root"
r=$work/root
rm -f "$r/done"
mkdir -p "$r/root/noticeboard"
(cd "$top" && echo "$files" | tar -cf - -T -) | tar -xf - -C "$r/root/noticeboard"

# The machine an installer has: a host name, a root file system, UTC.
echo box >"$r/etc/hostname"
echo '/dev/vda / ext4 rw,errors=remount-ro 0 1' >"$r/etc/fstab"
ln -sf /usr/share/zoneinfo/Etc/UTC "$r/etc/localtime"
echo 'Etc/UTC' >"$r/etc/timezone"

step "deploy/install.sh (as an installer runs it; systemd is not running in a chroot)"
mount_chroot "$r"
in_root "$r" env NB_MAKE_ARGS=-j2 /root/noticeboard/deploy/install.sh >"$work/install.log" 2>&1 ||
    { tail -30 "$work/install.log" >&2; exit 1; }
sed 's/^/box: image:   /' "$work/install.log" | grep 'noticeboard:' >&2 || true
umount_all
# What an installer does next (docs/deploy.md, section 2): the name the
# header and the safe screen show until a stick brings one.
sed -i 's/^;org_name = .*/org_name = 幸福里社区党群服务中心/' "$r/etc/noticeboard/noticeboard.conf"
grep -q '^org_name = ' "$r/etc/noticeboard/noticeboard.conf" ||
    { echo "image.sh: could not set org_name in the shipped config" >&2; exit 1; }

# Test instrumentation, not part of a box: the journal on the serial console
# (with the monotonic time stamps the harness reads), timers that would run at
# random moments off, the getty-static gettys off (no dbus, so no logind).
mkdir -p "$r/etc/systemd/journald.conf.d"
cat >"$r/etc/systemd/journald.conf.d/box-test.conf" <<'EOF'
[Journal]
ForwardToConsole=yes
TTYPath=/dev/ttyS0
MaxLevelConsole=info
EOF
for u in apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer e2scrub_reap.service \
         fstrim.timer dpkg-db-backup.timer getty-static.service man-db.timer; do
    ln -sf /dev/null "$r/etc/systemd/system/$u"
done
# The agent is started by udev when its virtio port appears; its line per
# command would flood the console.
mkdir -p "$r/etc/systemd/system/qemu-guest-agent.service.d"
printf '[Service]\nLogLevelMax=notice\n' >"$r/etc/systemd/system/qemu-guest-agent.service.d/box-test.conf"
cp "$r"/boot/vmlinuz-* "$work/vmlinuz"
cp "$r"/boot/initrd.img-* "$work/initrd.img"
echo "$proj_key" >"$r/etc/nb-box-image"

step "root file system image (mkfs.ext4 -d)"
truncate -s 6G "$work/root.raw"
mkfs.ext4 -q -F -L boxroot -d "$r" "$work/root.raw"
cp "$work/install.log" "$work/install.txt"
rm -rf "$r"
mv "$work" "$img"
work=''
touch "$img/done"
for d in "$cache"/box-*; do [ "$d" = "$img" ] || rm -rf "$d"; done
step "image ready: $img"
echo "$img"
