# t-units.sh — the systemd units, installed for real below a temporary prefix
# (so every ExecStart= path exists), pass `systemd-analyze verify` with no
# complaint but the one documented for systemd < 254 (RestartMode=), and the
# player units keep their sandbox (exposure "OK", i.e. below 2.0).
command -v systemd-analyze >/dev/null || skip "no systemd-analyze (Debian package systemd)"
P=$T/prefix
env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s --no-print-directory -C "$TOP" \
    BUILD="$T/build" NB="$NB" SYNC="$SYNC" -o "$NB" -o "$SYNC" \
    install PREFIX="$P" SYSCONFDIR="$P/etc" >/dev/null
U=$P/lib/systemd/system
contains "$U/noticeboard.service" "ExecStart=$P/bin/noticeboard --config $P/etc/noticeboard/noticeboard.conf"
export MANPATH=$P/share/man:
cd "$U"
for u in noticeboard.service noticeboard-fallback.service noticeboard-import@sdb1.service \
         noticeboard-inbox.service noticeboard-inbox.path noticeboard-inbox.timer \
         noticeboard-syncthing.service; do
    systemd-analyze verify "./$u" 2>verify.err || { cat verify.err; die "$u: verify failed"; }
    if grep -v "Unknown key 'RestartMode'" verify.err | finds .; then
        cat verify.err; die "$u: systemd-analyze verify complained"
    fi
done
for u in noticeboard.service noticeboard-fallback.service noticeboard-inbox.service; do
    score=$(systemd-analyze security --offline=yes "./$u" 2>/dev/null |
            sed -n 's/.*Overall exposure level for .*: \([0-9.]*\).*/\1/p')
    [ -n "$score" ] || die "$u: no exposure score"
    awk -v s="$score" 'BEGIN { exit !(s < 2.0) }' || die "$u: exposure $score, want < 2.0"
done
