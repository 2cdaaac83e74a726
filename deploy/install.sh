#!/bin/sh
# install.sh — one-command set-up of a lobby box from this source tree:
# builds, installs (make install), creates the noticeboard system user and
# /var/lib/noticeboard, enables the player on tty1 and the USB import.
# Idempotent: a second run changes nothing and says so.
#
#   deploy/install.sh [--prefix DIR] [--root DIR] [--no-start] [--timezone ZONE]
#                      [--syncthing OFFICE-ID [--office-address ADDR] | --rsync KEYFILE]
#                                                                   (as root)
#   --prefix DIR  install prefix (default /usr/local; /usr for a system-wide
#                 install with units in /lib/systemd/system)
#   --root DIR    set up an offline system tree (an SD-card image mounted at
#                 DIR) instead of this machine: nothing is started or reloaded
#   --no-start    enable the services but do not start or restart them now
#   --syncthing OFFICE-ID  also take content from the office over the LAN:
#                 Syncthing (Debian package syncthing) receives the office's
#                 bundles into /var/lib/noticeboard/inbox (receive only) and
#                 sends /var/lib/noticeboard/outbox back (send only), to the
#                 office device with this ID only; prints this board's ID
#   --office-address ADDR  the office's Syncthing address (tcp://IP:22000)
#                 when local discovery does not reach it
#   --rsync KEYFILE  take content pushed by rsync over SSH instead: the
#                 office's public key (KEYFILE) may only rsync below
#                 /var/lib/noticeboard (rrsync), as the user nbcourier
#   (either enables noticeboard-inbox.path/.timer; docs/deploy.md, "Many boards")
#   --timezone Z  the box's time zone (default: Asia/Shanghai where none or
#                 UTC is set; another zone already set is kept, with a warning)
#
# NB_MAKE_ARGS (environment) is added to every make command, e.g. BUILD=dir.
set -eu

prefix=/usr/local root='' start=yes office='' office_addr='' rsync_key='' zone=''
while [ $# -gt 0 ]; do
    case $1 in
        --syncthing) office=${2:?--syncthing needs the office device ID}; shift 2 ;;
        --office-address) office_addr=${2:?--office-address needs an address}; shift 2 ;;
        --rsync) rsync_key=${2:?--rsync needs the office public key file}; shift 2 ;;
        --prefix) prefix=${2:?--prefix needs a directory}; shift 2 ;;
        --root) root=${2:?--root needs a directory}; shift 2 ;;
        --no-start) start=no; shift ;;
        --timezone) zone=${2:?--timezone needs a zone such as Asia/Shanghai}; shift 2 ;;
        -h|--help) sed -n '2,29p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "install.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
    esac
done
[ "$(id -u)" = 0 ] || { echo "install.sh: run as root (su -, or sudo $0)" >&2; exit 1; }
top=$(cd "$(dirname "$0")/.." && pwd)
extra=${NB_MAKE_ARGS:-}
root=${root%/}
changed=0
say() { echo "noticeboard: $*"; changed=1; }
warn() { echo "noticeboard: WARNING: $*" >&2; }

# systemd and udev are only talked to on a live system running them.
live=no
if [ -z "$root" ] && [ -d /run/systemd/system ]; then live=yes; fi

# 1. Build.  `make deps` installs missing Debian packages (it prints them):
#    here only what the build and the player need, not the test tools
#    (Xvfb, valgrind, ImageMagick…) a lobby box has no use for.
# shellcheck disable=SC2086 # NB_MAKE_ARGS is a list of words on purpose
make -s -C "$top" $extra deps 'DEB_ALL=$(DEB_BUILD) $(DEB_RUN)'
# shellcheck disable=SC2086
make -s -C "$top" $extra all

# 2. Install through a staging tree, copying only what differs, so that a
#    second run can tell that nothing changed.
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
# shellcheck disable=SC2086
make -s -C "$top" $extra install DESTDIR="$stage" PREFIX="$prefix" >/dev/null
units_changed=no rules_changed=no bins_changed=no
for f in $(cd "$stage" && find . -type f | sed 's|^\./||' | sort); do
    dest=$root/$f
    case $f in
        etc/noticeboard/noticeboard.conf)
            # The installer's config is never overwritten.
            [ -e "$dest" ] && continue ;;
    esac
    if [ -e "$dest" ] && cmp -s "$stage/$f" "$dest"; then continue; fi
    if [ -e "$dest" ]; then what=updated; else what=installed; fi
    mode=$(stat -c %a "$stage/$f")
    install -D -m "$mode" "$stage/$f" "$dest"
    say "$what /$f"
    case $f in
        */systemd/system/*) units_changed=yes ;;
        */udev/rules.d/*) rules_changed=yes ;;
        */bin/*) bins_changed=yes ;;
    esac
done

# 3. The system user: no login, no home outside its data directory.
if ! grep -q '^noticeboard:' "$root/etc/passwd"; then
    if [ -n "$root" ]; then
        useradd --prefix "$root" --system --user-group --no-create-home \
            --home-dir /var/lib/noticeboard --shell /usr/sbin/nologin noticeboard
    else
        useradd --system --user-group --no-create-home \
            --home-dir /var/lib/noticeboard --shell /usr/sbin/nologin noticeboard
    fi
    say "created system user noticeboard"
fi
# Ids from the target tree's own user database (it may not be this machine's).
uid=$(awk -F: '$1 == "noticeboard" { print $3 }' "$root/etc/passwd")
gid=$(awk -F: '$1 == "noticeboard" { print $4 }' "$root/etc/passwd")

# 4. Data directory, and the empty one the safe screen plays from.
for d in /var/lib/noticeboard /var/lib/noticeboard/safe-screen; do
    if [ ! -d "$root$d" ]; then
        install -d -m 0750 -o "$uid" -g "$gid" "$root$d"
        say "created $d"
    elif [ "$(stat -c %u:%g:%a "$root$d")" != "$uid:$gid:750" ]; then
        chown "$uid:$gid" "$root$d"; chmod 0750 "$root$d"
        say "fixed owner and mode of $d"
    fi
done

# 5. systemd: the player owns tty1, so no login prompt may start there
#    (logind would also spawn one on switching back to tty1: autovt@tty1).
sc() { if [ -n "$root" ]; then systemctl --root="$root" "$@"; else systemctl "$@"; fi; }
if [ "$live" = yes ] && [ "$units_changed" = yes ]; then
    systemctl daemon-reload
    echo "noticeboard: reloaded systemd"
fi
# Each masked by its own link: `is-enabled autovt@tty1` already says "masked"
# once getty@tty1 is (autovt@ is an alias of getty@), which left it unmasked.
for u in getty@tty1.service autovt@tty1.service; do
    if [ "$(readlink "$root/etc/systemd/system/$u" || true)" != /dev/null ]; then
        sc mask --quiet "$u"
        say "masked $u (the player owns tty1; log in on tty2 with Ctrl+Alt+F2)"
    fi
done
if [ "$(sc is-enabled noticeboard.service 2>/dev/null || true)" != enabled ]; then
    sc enable --quiet noticeboard.service
    say "enabled noticeboard.service"
fi

# 5b. The time zone: the board shows local time, and a box left on UTC
#     shows it 8 hours off in China.  None or UTC becomes Asia/Shanghai (or
#     --timezone); another zone already set is kept, with a warning.
tz_changed=no
have_zone=$(readlink "$root/etc/localtime" 2>/dev/null | sed -n 's|.*/zoneinfo/||p')
want_zone=${zone:-Asia/Shanghai}
case ${zone:+given}:$have_zone in
    given:"$zone") ;;
    :Asia/Shanghai|:Asia/Chongqing|:Asia/Harbin|:PRC) ;;
    given:*|:|:UTC|:Etc/UTC|:Etc/UCT|:UCT|:Universal|:Zulu|:Etc/GMT|:GMT)
        if [ ! -e "/usr/share/zoneinfo/$want_zone" ] && [ ! -e "$root/usr/share/zoneinfo/$want_zone" ]; then
            echo "install.sh: unknown time zone $want_zone (see /usr/share/zoneinfo)" >&2; exit 2
        fi
        ln -sfn "/usr/share/zoneinfo/$want_zone" "$root/etc/localtime"
        echo "$want_zone" >"$root/etc/timezone"
        [ -e "$root/usr/share/zoneinfo/$want_zone" ] ||
            warn "$root has no /usr/share/zoneinfo/$want_zone: install tzdata in it"
        say "set the time zone to $want_zone (was ${have_zone:-unset}; another: --timezone ZONE)"
        tz_changed=yes ;;
    *)
        warn "the time zone is $have_zone, not Asia/Shanghai (Beijing time): the board shows the"
        warn "  time of $have_zone.  If that is wrong: deploy/install.sh --timezone Asia/Shanghai"
        warn "  提醒：本机时区是 $have_zone，不是北京时间。屏幕显示的是这个时区的时间；如果不对，"
        warn "  请运行 deploy/install.sh --timezone Asia/Shanghai（或 timedatectl set-timezone Asia/Shanghai）" ;;
esac

# 5c. The clock across reboots (docs/deploy.md, "The clock"): fake-hwclock
#     saves the time at shutdown (and hourly with cron) and restores it at
#     boot, only ever forward, so a box without a working hardware clock
#     never boots into 1970; noticeboard-usb also saves it after a stick
#     corrected the clock, and writes a hardware clock where there is one.
if ! grep -q '^Package: fake-hwclock$' "$root/var/lib/dpkg/status" 2>/dev/null; then
    if [ -z "$root" ] && apt-get install -y -q fake-hwclock >/dev/null 2>&1; then
        say "installed fake-hwclock (keeps the time across reboots on a box without a clock battery)"
    else
        warn "fake-hwclock is not installed${root:+ in $root}: a box without a working clock battery"
        warn "  boots at a stale time.  Install it: apt-get install fake-hwclock"
    fi
fi

# 5d. Many boards (docs/deploy.md): the inbox and outbox, the courier, and
#     the units that import what arrives.  Only when asked.
if [ -n "$office" ] || [ -n "$rsync_key" ]; then
    D=/var/lib/noticeboard
    for d in $D/inbox $D/outbox; do
        if [ ! -d "$root$d" ]; then
            # setgid: what the rsync courier writes stays in the group.
            install -d -m 2770 -o "$uid" -g "$gid" "$root$d"
            say "created $d"
        fi
    done
    if ! grep -q '^ *trust *= *signed' "$root/etc/noticeboard/noticeboard.conf" 2>/dev/null; then
        echo "noticeboard: WARNING: the inbox takes signed bundles only; set [sync] trust = signed" \
             "and public_key in /etc/noticeboard/noticeboard.conf" >&2
    fi
    if [ -n "$office" ]; then
        if ! command -v syncthing >/dev/null; then
            [ -z "$root" ] || { echo "install.sh: --syncthing with --root needs syncthing on this machine" >&2; exit 1; }
            apt-get install -y syncthing
        fi
        conf=$root$D/syncthing/config.xml
        if [ ! -e "$conf" ] || ! grep -q "device id=\"$office\"" "$conf"; then
            name=$(sed -n 's/^ *name *= *//p' "$root/etc/noticeboard/noticeboard.conf" 2>/dev/null | tail -n 1)
            set -- --home $D/syncthing --data $D --office "$office"
            [ -z "$office_addr" ] || set -- "$@" --office-address "$office_addr"
            [ -z "$name" ] || set -- "$@" --name "$name"
            [ -z "$root" ] || set -- "$@" --root "$root"
            "$top/deploy/noticeboard-syncthing" setup "$@" >"$stage/syncthing.txt"
            chown -R "$uid:$gid" "$root$D/syncthing" "$root$D/inbox/.stfolder" "$root$D/outbox/.stfolder"
            say "set up Syncthing for the office device $office"
            sed 's/^/noticeboard:   /' "$stage/syncthing.txt"
            echo "noticeboard: in the office's Syncthing, add this device and share the folder" \
                 "nb-inbox with it (send only); accept its outbox folder (receive only)."
            if [ "$live" = yes ]; then systemctl restart noticeboard-syncthing.service 2>/dev/null || true; fi
        fi
        if [ "$(sc is-enabled noticeboard-syncthing.service 2>/dev/null || true)" != enabled ]; then
            sc enable --quiet noticeboard-syncthing.service
            say "enabled noticeboard-syncthing.service"
        fi
    fi
    if [ -n "$rsync_key" ]; then
        if ! grep -q '^nbcourier:' "$root/etc/passwd"; then
            if [ -n "$root" ]; then
                useradd --prefix "$root" --system --gid noticeboard --create-home \
                    --home-dir /var/lib/nbcourier --shell /bin/sh nbcourier
            else
                useradd --system --gid noticeboard --create-home \
                    --home-dir /var/lib/nbcourier --shell /bin/sh nbcourier
            fi
            say "created user nbcourier (rsync over SSH, restricted by rrsync)"
        fi
        keys=$root/var/lib/nbcourier/.ssh/authorized_keys
        line="command=\"/usr/bin/rrsync $D\",restrict $(cat "$rsync_key")"
        if ! grep -qxF "$line" "$keys" 2>/dev/null; then
            install -d -m 700 "$(dirname "$keys")"
            echo "$line" >>"$keys"
            chmod 600 "$keys"
            chown -R "$(awk -F: '$1 == "nbcourier" { print $3 ":" $4 }' "$root/etc/passwd")" "$(dirname "$keys")"
            say "allowed the office key in $rsync_key to rsync below $D"
        fi
    fi
    for u in noticeboard-inbox.path noticeboard-inbox.timer; do
        if [ "$(sc is-enabled $u 2>/dev/null || true)" != enabled ]; then
            sc enable --quiet $u
            say "enabled $u"
        fi
    done
fi

# 6. udev: the USB rule takes effect for the next stick.
if [ "$live" = yes ] && [ "$rules_changed" = yes ] && command -v udevadm >/dev/null; then
    udevadm control --reload
    echo "noticeboard: reloaded udev rules"
fi

# 7. Start, or restart after an update.
if [ "$live" = yes ] && [ "$start" = yes ]; then
    if ! systemctl is-active --quiet noticeboard.service; then
        systemctl stop --quiet noticeboard-fallback.service 2>/dev/null || true
        systemctl reset-failed noticeboard.service 2>/dev/null || true
        systemctl start noticeboard.service
        say "started noticeboard.service"
    elif [ "$bins_changed" = yes ] || [ "$units_changed" = yes ] || [ "$tz_changed" = yes ]; then
        systemctl restart noticeboard.service
        say "restarted noticeboard.service"
    fi
fi
if [ "$live" = yes ] && [ "$start" = yes ] && { [ -n "$office" ] || [ -n "$rsync_key" ]; }; then
    for u in noticeboard-inbox.path noticeboard-inbox.timer $([ -z "$office" ] || echo noticeboard-syncthing.service); do
        if ! systemctl is-active --quiet "$u"; then
            systemctl start "$u"
            say "started $u"
        fi
    done
fi

if [ "$changed" = 0 ]; then
    echo "noticeboard: already installed and up to date; nothing changed."
else
    # As user noticeboard, as docs/deploy.md (3.) says: run as root, init
    # would leave root's files in the data folder.
    echo "noticeboard: done.  Config: $root/etc/noticeboard/noticeboard.conf; prepare the first stick"
    echo "noticeboard: (its partition, e.g. /dev/sdb1) with:"
    echo "noticeboard:   mount -o uid=noticeboard,gid=noticeboard /dev/sdb1 /mnt"
    echo "noticeboard:   runuser -u noticeboard -- noticeboard-sync init /mnt"
    echo "noticeboard:   umount /mnt"
fi
