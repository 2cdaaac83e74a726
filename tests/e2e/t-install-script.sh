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

# Many boards, when asked: Syncthing for the office device and rsync for an
# office key; the inbox units enabled; a second run changes nothing.
command -v syncthing >/dev/null || die "syncthing missing (make deps installs it)"
syncthing generate --home=office --no-default-folder >/dev/null 2>&1
OFFICE=$(syncthing serve --home=office --device-id)
echo 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOfficeKeyForTestsOnly office@pc' >office.pub
printf '[board]\nname = 东区-3\n' >>"$R/etc/noticeboard/noticeboard.conf"
run --syncthing "$OFFICE" --office-address tcp://192.168.1.10:22000 --rsync office.pub >fleet.log 2>&1
contains fleet.log "set up Syncthing for the office device $OFFICE"
contains fleet.log "inbox-folder: nb-inbox (receive only)"
contains fleet.log "WARNING: the inbox takes signed bundles only"
C=$R/var/lib/noticeboard/syncthing/config.xml
contains "$C" "<device id=\"$OFFICE\" name=\"office\""
contains "$C" '<address>tcp://192.168.1.10:22000</address>'
contains "$C" 'path="/var/lib/noticeboard/inbox" type="receiveonly"'
contains "$C" 'path="/var/lib/noticeboard/outbox" type="sendonly"'
contains "$C" 'name="东区-3"'
contains "$C" '<globalAnnounceEnabled>false</globalAnnounceEnabled>'
[ "$(stat -c %u "$C")" = "$uid" ] || die "the Syncthing config is not the noticeboard user's"
for d in inbox outbox; do
    [ "$(stat -c %u:%a "$R/var/lib/noticeboard/$d")" = "$uid:2770" ] || die "$d: owner or mode"
    [ -d "$R/var/lib/noticeboard/$d/.stfolder" ] || die "$d: no Syncthing folder marker"
done
for u in multi-user.target.wants/noticeboard-syncthing.service paths.target.wants/noticeboard-inbox.path \
         timers.target.wants/noticeboard-inbox.timer; do
    [ -L "$R/etc/systemd/system/$u" ] || die "$u not enabled"
done
grep -q '^nbcourier:.*:/var/lib/nbcourier:/bin/sh$' "$R/etc/passwd" || die "no nbcourier user"
contains "$R/var/lib/nbcourier/.ssh/authorized_keys" 'command="/usr/bin/rrsync /var/lib/noticeboard",restrict ssh-ed25519 AAAAC3'
run --syncthing "$OFFICE" --rsync office.pub >fleet2.log 2>&1
grep -q "nothing changed" fleet2.log || { cat fleet2.log; die "a second courier run changed something"; }
# Another zone on purpose is set with --timezone and then kept, with a
# warning in English and Chinese, and nothing changed.
run --timezone Asia/Urumqi >tz.log
contains tz.log "set the time zone to Asia/Urumqi"
run >tz2.log 2>tz2.err
[ "$(wc -l <tz2.log)" -eq 1 ] || { cat tz2.log; die "a kept zone changed something"; }
contains tz2.err "the time zone is Asia/Urumqi, not Asia/Shanghai"
contains tz2.err "不是北京时间"
[ "$(readlink "$R/etc/localtime")" = /usr/share/zoneinfo/Asia/Urumqi ] || die "a chosen zone was replaced"
