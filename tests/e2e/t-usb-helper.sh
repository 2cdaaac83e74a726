# t-usb-helper.sh — deploy/noticeboard-usb (run by noticeboard-import@.service)
# with systemd-mount, systemd-umount, mountpoint, blkid and setpriv replaced by
# recording fakes: it refuses odd device names, ignores non-FAT/exFAT/NTFS and
# sticks without noticeboard/, mounts with the documented options, runs
# `noticeboard-sync import` on the mount point as the configured user, maps
# exit statuses (0/1 are normal, 3/4 fail the unit) and always unmounts.
H=$TOP/deploy/noticeboard-usb
mkdir -p bin stick/noticeboard run
export PATH=$T/bin:$PATH FAKE=$T
cat >bin/blkid <<'F'
#!/bin/sh
echo "${FAKE_FS:-vfat}"
F
cat >bin/systemd-mount <<'F'
#!/bin/sh
echo "systemd-mount $*" >>"$FAKE/calls"
for last; do :; done
mkdir -p "$last" && cp -r "$FAKE/stick/." "$last/" && touch "$last/.mounted"
F
cat >bin/systemd-umount <<'F'
#!/bin/sh
echo "systemd-umount $*" >>"$FAKE/calls"
rm -rf "${1:?}"/* "$1/.mounted"
F
cat >bin/mountpoint <<'F'
#!/bin/sh
for last; do :; done
[ -e "$last/.mounted" ]
F
cat >bin/setpriv <<'F'
#!/bin/sh
opts=
while [ $# -gt 0 ]; do case $1 in --*) opts="$opts $1"; shift ;; *) break ;; esac; done
echo "setpriv$opts" >>"$FAKE/calls"
exec "$@"
F
# The sync tool stand-in: records its arguments, checks it sees the stick.
cat >bin/fake-sync <<'F'
#!/bin/sh
echo "sync $*" >>"$FAKE/calls"
for last; do :; done
[ -d "$last/noticeboard" ] || exit 99
exit "${FAKE_STATUS:-0}"
F
chmod +x bin/*
printf '[sync]\ntrust = key\nset_clock = yes\n' >nb.conf
export NB_SYNC=$T/bin/fake-sync NB_CONFIG=$T/nb.conf NB_DATA=$T/data NB_USER=root NB_RUNDIR=$T/run

# Odd names never become paths.
expect_status 2 sh "$H" import '../etc'
expect_status 2 sh "$H" import 'sdb1 x'
expect_status 2 sh "$H" frobnicate sdb1
[ ! -e calls ] || die "something ran for a refused name"

# A normal import.
# FAT keeps local time: the box's UTC offset goes to the mount (Beijing: 480).
TZ=Asia/Shanghai sh "$H" import sdb1 2>helper.log
contains calls "systemd-mount --no-ask-password --fsck=no --collect --options=rw,nosuid,nodev,noexec,noatime,uid=0,gid=0,umask=077,flush,utf8,time_offset=480 /dev/sdb1 $T/run/usb-sdb1"
contains calls "sync import --data $T/data --config $T/nb.conf $T/run/usb-sdb1"
contains calls "setpriv --reuid=0 --regid=0 --init-groups --inh-caps=-all,+sys_time --ambient-caps=-all,+sys_time"
contains calls "systemd-umount $T/run/usb-sdb1"
contains helper.log "imported"
[ ! -e run/usb-sdb1 ] || die "mount point left behind"

# With set_clock = no the import gets no capability at all.
: >calls
printf '[sync]\ntrust = key\nset_clock = no\n' >nb.conf
sh "$H" import sdb1 2>/dev/null
contains calls "--inh-caps=-all --ambient-caps=-all"

# The default (auto) grants CAP_SYS_TIME.  A clock the import moved (the fake
# `date` jumps a week while the uptime does not) is kept across reboots:
# the hardware clock where there is one, fake-hwclock where installed; an
# import that did not move it writes neither.
printf '[sync]\ntrust = key\n' >nb.conf
cat >bin/date <<'F'
#!/bin/sh
if [ "$1" = +%s ] && [ -e "$FAKE/date-now" ]; then cat "$FAKE/date-now"; else exec /bin/date "$@"; fi
F
cat >bin/hwclock <<'F'
#!/bin/sh
echo "hwclock $*" >>"$FAKE/calls"
F
cat >bin/fake-hwclock <<'F'
#!/bin/sh
echo "fake-hwclock $*" >>"$FAKE/calls"
F
sed -i 's|^exit "${FAKE_STATUS:-0}"|[ -z "${FAKE_MOVE:-}" ] \|\| echo 1765000000 >"$FAKE/date-now"\nexit "${FAKE_STATUS:-0}"|' bin/fake-sync
chmod +x bin/*
touch rtc0
export NB_RTC=$T/rtc0
echo 1764395200 >date-now
: >calls
sh "$H" import sdb1 2>helper.log
contains calls "--inh-caps=-all,+sys_time --ambient-caps=-all,+sys_time"
! grep -q 'hwclock' calls || die "the clock was saved though it did not move"
: >calls
FAKE_MOVE=1 sh "$H" import sdb1 2>helper.log
contains helper.log "keeping it"
contains calls "hwclock --systohc --utc --noadjfile"
contains calls "fake-hwclock save force"
: >calls
rm rtc0
echo 1764395200 >date-now
FAKE_MOVE=1 sh "$H" import sdb1 2>helper.log
! grep -q '^hwclock' calls || die "hwclock ran without an RTC"
contains calls "fake-hwclock save force"
rm -f date-now bin/date bin/hwclock bin/fake-hwclock

# restore-clock moves the clock forward to the last good time, never back,
# never to 2090 or later, not with set_clock = no (a recording `date`: no
# test sets the machine's clock).
cat >bin/date <<'F'
#!/bin/sh
case $1 in
    -s) echo "date $*" >>"$FAKE/calls"; exit 0 ;;
    +%s) cat "$FAKE/date-now"; exit 0 ;;
esac
exec /bin/date "$@"
F
chmod +x bin/date
mkdir -p data/state
echo 1796284800 >date-now                     # 2026-12-03 16:00 in Beijing
: >calls
printf '2026-12-03 18:00\n' >data/state/clock.txt
TZ=Asia/Shanghai sh "$H" restore-clock 2>rc.log
contains calls "date -s @1796292000"
contains rc.log "set forward to 2026-12-03 18:00"
: >calls
for saved in '2026-12-03 15:00' '2099-01-01 00:00' 'garbage'; do
    printf '%s\n' "$saved" >data/state/clock.txt
    TZ=Asia/Shanghai sh "$H" restore-clock 2>/dev/null
done
printf '2026-12-03 18:00\n' >data/state/clock.txt
printf '[sync]\nset_clock = no\n' >nb.conf
TZ=Asia/Shanghai sh "$H" restore-clock 2>/dev/null
[ ! -s calls ] || { cat calls; die "restore-clock moved the clock where it must not"; }
rm -rf bin/date date-now data
printf '[sync]\ntrust = key\n' >nb.conf

# Rejected content is a normal outcome; not authorized / I/O fail the unit.
FAKE_STATUS=1 sh "$H" import sdb1 2>helper.log
contains helper.log "content rejected"
FAKE_STATUS=3 expect_status 3 sh "$H" import sdb1
FAKE_STATUS=4 expect_status 4 sh "$H" import sdb1
[ ! -e run/usb-sdb1 ] || die "mount point left after a failed import"

# exFAT: no FAT-only options.
: >calls
FAKE_FS=exfat sh "$H" import sdc1 2>/dev/null
contains calls "umask=077 /dev/sdc1"

# A stick without noticeboard/ is mounted, left alone, unmounted.
rm -rf stick/noticeboard
: >calls
sh "$H" import sdb1 2>helper.log
contains helper.log "no noticeboard/ folder"
! grep -q '^sync' calls || die "sync ran on a stick without a bundle"
contains calls "systemd-umount"

# Other file systems are not even mounted.
: >calls
FAKE_FS=ext4 sh "$H" import sdb1 2>helper.log
contains helper.log "ignored"
[ ! -s calls ] || die "mounted an ext4 partition"

# cleanup is idempotent.
sh "$H" cleanup sdb1
sh "$H" cleanup sdb1
