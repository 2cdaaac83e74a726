# t-install.sh — `make install DESTDIR=…` lays out exactly the expected files
# (programs, man pages, units, udev rule, USB helper, default config), with the
# @…@ placeholders replaced; a re-install keeps an edited config; `make
# uninstall` removes every installed file but an edited config.
# The prebuilt $NB/$SYNC are installed as they are (-o: never rebuilt), and
# BUILD is private, so this does not race other builds in the tree.
mk() {
    env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s --no-print-directory -C "$TOP" \
        BUILD="$T/build" NB="$NB" SYNC="$SYNC" -o "$NB" -o "$SYNC" "$@"
}
listing() { (cd "$1" && find . \( -type f -o -type l \) | sort); }

# --- default PREFIX=/usr/local
D=$T/root
mk install DESTDIR="$D" >install.log
listing "$D" >got
cat >want <<'LIST'
./etc/noticeboard/noticeboard.conf
./usr/local/bin/noticeboard
./usr/local/bin/noticeboard-sync
./usr/local/lib/systemd/system/noticeboard-fallback.service
./usr/local/lib/systemd/system/noticeboard-import@.service
./usr/local/lib/systemd/system/noticeboard-inbox.path
./usr/local/lib/systemd/system/noticeboard-inbox.service
./usr/local/lib/systemd/system/noticeboard-inbox.timer
./usr/local/lib/systemd/system/noticeboard-syncthing.service
./usr/local/lib/systemd/system/noticeboard.service
./usr/local/lib/udev/rules.d/99-noticeboard-usb.rules
./usr/local/libexec/noticeboard/noticeboard-syncthing
./usr/local/libexec/noticeboard/noticeboard-usb
./usr/local/share/man/man1/noticeboard-sync.1
./usr/local/share/man/man1/noticeboard.1
LIST
diff -u want got || die "installed files differ from the expected layout"

cmp "$NB" "$D/usr/local/bin/noticeboard" || die "player binary not installed as built"
cmp "$SYNC" "$D/usr/local/bin/noticeboard-sync" || die "sync binary not installed as built"
[ -x "$D/usr/local/libexec/noticeboard/noticeboard-usb" ] || die "helper not executable"
cmp "$TOP/deploy/noticeboard.conf" "$D/etc/noticeboard/noticeboard.conf" || die "config differs"
! grep -rlIE '@[A-Z_]+@' "$D" || die "unsubstituted placeholders left"
contains "$D/usr/local/lib/systemd/system/noticeboard.service" \
    "ExecStart=/usr/local/bin/noticeboard --config /etc/noticeboard/noticeboard.conf"
contains "$D/usr/local/lib/systemd/system/noticeboard-import@.service" \
    "ExecStart=/usr/local/libexec/noticeboard/noticeboard-usb import %i"
contains "$D/usr/local/libexec/noticeboard/noticeboard-usb" \
    'SYNC=${NB_SYNC:-/usr/local/bin/noticeboard-sync}'
# The installed helper is valid shell.
sh -n "$D/usr/local/libexec/noticeboard/noticeboard-usb"

# --- a re-install keeps the installer's edited config
echo "; edited on site" >>"$D/etc/noticeboard/noticeboard.conf"
cp "$D/etc/noticeboard/noticeboard.conf" edited.conf
mk install DESTDIR="$D" >reinstall.log
contains reinstall.log "keeping existing"
cmp edited.conf "$D/etc/noticeboard/noticeboard.conf" || die "re-install overwrote the config"

# --- uninstall: everything goes but the edited config
mk uninstall DESTDIR="$D" >uninstall.log
contains uninstall.log "it was edited"
listing "$D" >left
printf './etc/noticeboard/noticeboard.conf\n' >want-left
diff -u want-left left || die "uninstall left files behind"

# --- an unedited config is removed too, and PREFIX=/usr puts units in /lib
D2=$T/root-usr
mk install DESTDIR="$D2" PREFIX=/usr >/dev/null
[ -f "$D2/lib/systemd/system/noticeboard.service" ] || die "PREFIX=/usr: unit not in /lib/systemd/system"
[ -f "$D2/lib/udev/rules.d/99-noticeboard-usb.rules" ] || die "PREFIX=/usr: rule not in /lib/udev/rules.d"
contains "$D2/lib/systemd/system/noticeboard.service" "ExecStart=/usr/bin/noticeboard "
mk uninstall DESTDIR="$D2" PREFIX=/usr >/dev/null
[ -z "$(listing "$D2")" ] || { listing "$D2"; die "PREFIX=/usr uninstall left files behind"; }
