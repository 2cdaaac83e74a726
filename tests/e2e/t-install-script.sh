# t-install-script.sh — deploy/install.sh on an offline system tree (--root):
# first run installs files, creates the nologin system user and the data
# directories, masks the tty1 login, enables the player; a second run changes
# nothing and says so; a damaged file is put back and only it is reported.
# Needs root (useradd, chown); elsewhere it only checks the script's syntax.
sh -n "$TOP/deploy/install.sh"
if [ "$(id -u)" != 0 ] || ! command -v useradd >/dev/null || ! command -v systemctl >/dev/null; then
    skip "needs root, useradd and systemctl (the script's syntax was checked)"
fi
R=$T/img
mkdir -p "$R/etc"
printf 'root:x:0:0:root:/root:/bin/bash\n' >"$R/etc/passwd"
printf 'root:x:0:\n' >"$R/etc/group"
printf 'root:*:19000:0:99999:7:::\n' >"$R/etc/shadow"
printf 'root:*::\n' >"$R/etc/gshadow"
# As on Debian: autovt@ is an alias of getty@, so once getty@tty1 is masked
# `is-enabled autovt@tty1` says "masked" too; each still needs its own mask.
mkdir -p "$R/lib/systemd/system"
printf '[Service]\nExecStart=/sbin/agetty %%I\n[Install]\nWantedBy=getty.target\n' \
    >"$R/lib/systemd/system/getty@.service"
ln -s getty@.service "$R/lib/systemd/system/autovt@.service"
# The prebuilt binaries are installed as they are; BUILD is private.
export NB_MAKE_ARGS="BUILD=$T/build NB=$NB SYNC=$SYNC -o $NB -o $SYNC"
run() { env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL "$TOP/deploy/install.sh" --root "$R" "$@"; }

run >first.log
contains first.log "installed /usr/local/bin/noticeboard"
contains first.log "installed /usr/local/lib/systemd/system/noticeboard.service"
contains first.log "created system user noticeboard"
contains first.log "enabled noticeboard.service"
grep -q '^noticeboard:x:[0-9]*:[0-9]*::/var/lib/noticeboard:/usr/sbin/nologin$' "$R/etc/passwd" \
    || die "no nologin system user in passwd"
uid=$(awk -F: '$1 == "noticeboard" { print $3 }' "$R/etc/passwd")
[ "$uid" -lt 1000 ] || die "user noticeboard is not a system user (uid $uid)"
for d in var/lib/noticeboard var/lib/noticeboard/safe-screen; do
    [ "$(stat -c %u:%a "$R/$d")" = "$uid:750" ] || die "$d not owned by noticeboard with mode 750"
done
[ "$(readlink "$R/etc/systemd/system/getty@tty1.service")" = /dev/null ] || die "getty@tty1 not masked"
[ "$(readlink "$R/etc/systemd/system/autovt@tty1.service")" = /dev/null ] || die "autovt@tty1 not masked"
[ -L "$R/etc/systemd/system/multi-user.target.wants/noticeboard.service" ] || die "player not enabled"
cmp "$NB" "$R/usr/local/bin/noticeboard" || die "player not installed"
# A tree without a time zone (or on UTC) gets Beijing time.
contains first.log "set the time zone to Asia/Shanghai"
[ "$(readlink "$R/etc/localtime")" = /usr/share/zoneinfo/Asia/Shanghai ] || die "time zone not set"
[ "$(cat "$R/etc/timezone")" = Asia/Shanghai ] || die "/etc/timezone not written"

run >second.log
contains second.log "nothing changed"
[ "$(wc -l <second.log)" -eq 1 ] || { cat second.log; die "second run did something"; }

# An edited config is kept; a damaged unit is restored, and only it is named.
echo "; site edit" >>"$R/etc/noticeboard/noticeboard.conf"
echo "# damaged" >>"$R/usr/local/lib/systemd/system/noticeboard.service"
run >third.log
contains third.log "updated /usr/local/lib/systemd/system/noticeboard.service"
[ "$(grep -c 'installed\|updated' third.log)" -eq 1 ] || { cat third.log; die "third run touched more"; }
contains "$R/etc/noticeboard/noticeboard.conf" "; site edit"

# Another zone on purpose is set with --timezone and then kept, with a
# warning in English and Chinese, and nothing changed.
run --timezone Asia/Urumqi >tz.log
contains tz.log "set the time zone to Asia/Urumqi"
run >tz2.log 2>tz2.err
[ "$(wc -l <tz2.log)" -eq 1 ] || { cat tz2.log; die "a kept zone changed something"; }
contains tz2.err "the time zone is Asia/Urumqi, not Asia/Shanghai"
contains tz2.err "不是北京时间"
[ "$(readlink "$R/etc/localtime")" = /usr/share/zoneinfo/Asia/Urumqi ] || die "a chosen zone was replaced"
