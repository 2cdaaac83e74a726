# t-install-docs.sh — every command README's "Install on a lobby box" and
# docs/deploy.md sections 1, 2, 3 and 7 tell an installer to type, read from
# the docs themselves (tests/e2e/docsteps.py) and run as written, in order,
# as root in a chroot: install.sh, the config edits, the first stick (mount,
# runuser … init, umount) followed by what staff do (fill it in, plug it
# in: the USB helper's import as user noticeboard), the signed-trust
# commands, status, rollback, plan, render, systemd-analyze verify, and the
# removal.  After every step nothing in /var/lib/noticeboard may belong to
# anyone but noticeboard (a root-owned file there breaks the next import).
# A doc command the test does not know fails it: teach it below.
#
# What a chroot cannot do, said where it happens: start or restart a unit
# (systemd is not PID 1 here: the unit is checked enabled instead), and a
# FAT stick (this kernel may lack vfat): /dev/sdb1 is a tmpfs mounted with
# the documented options, its files kept across unmounts as a stick keeps
# them.  The chroot is this machine's /usr (read-only) with its own /etc and
# /var; the prebuilt programs are installed (NB_MAKE_ARGS, as in
# t-install-script.sh), not rebuilt.
[ "$(id -u)" = 0 ] || skip "needs root (chroot, mount)"
command -v /usr/bin/python3 >/dev/null || die "python3 missing"
for c in useradd userdel runuser systemctl chroot minisign; do
    command -v "$c" >/dev/null || die "$c missing"
done
R=$T/root
mounts=()
cleanup() {
    local i
    for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do umount -l "${mounts[$i]}" 2>/dev/null || true; done
    mounts=()
    kill_bg
}
trap cleanup EXIT
bind_ro() {
    mkdir -p "$R$2"
    mount --bind "$1" "$R$2"; mounts+=("$R$2")
    mount -o remount,bind,ro "$R$2"
}
mkdir -p "$R"/{etc,var/lib,var/tmp,var/log,tmp,run,dev,proc,mnt,media,root,usr/local,nb-build,nb-bin}
chmod 1777 "$R/tmp" "$R/var/tmp"
for l in bin lib lib64 sbin; do [ -L "/$l" ] && ln -s "$(readlink "/$l")" "$R/$l"; done
for d in /usr/bin /usr/sbin /usr/lib /usr/lib64 /usr/libexec /usr/share /usr/include; do
    [ -d "$d" ] && bind_ro "$d" "$d"
done
bind_ro /var/lib/dpkg /var/lib/dpkg
# Device nodes of its own, not the host's /dev bound in (a bind left
# behind would be emptied with the test's folder).
for n in null:1:3 zero:1:5 full:1:7 random:1:8 urandom:1:9 tty:5:0; do
    IFS=: read -r name ma mi <<<"$n"
    mknod -m 666 "$R/dev/$name" c "$ma" "$mi"
done
mount -t proc proc "$R/proc"; mounts+=("$R/proc")
bind_ro "$TOP" "$TOP"
# A fresh box's /etc: root only, the host's PAM, login and linker set-up.
cp -a /etc/pam.d /etc/security /etc/login.defs /etc/nsswitch.conf /etc/ld.so.cache \
    /etc/alternatives /etc/os-release /etc/default "$R/etc/"
for f in /etc/man_db.conf /etc/manpath.config; do [ -e "$f" ] && cp -a "$f" "$R/etc/"; done
printf 'root:x:0:0:root:/root:/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n' >"$R/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$R/etc/group"
printf 'root:*:19000:0:99999:7:::\n' >"$R/etc/shadow"
printf 'root:*::\n' >"$R/etc/gshadow"
chmod 640 "$R/etc/shadow" "$R/etc/gshadow"
ln -s /proc/self/mounts "$R/etc/mtab"
cp "$NB" "$R/nb-bin/noticeboard"
cp "$SYNC" "$R/nb-bin/noticeboard-sync"
MAKEARGS="BUILD=/nb-build NB=/nb-bin/noticeboard SYNC=/nb-bin/noticeboard-sync -o /nb-bin/noticeboard -o /nb-bin/noticeboard-sync"

# in_root DIR CMD : runs the shell command CMD in the chroot, in DIR, as
# root with a login's environment (and the test clock).
in_root() {
    local dir=$1; shift
    env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
        LANG=C.UTF-8 TERM=dumb NB_MAKE_ARGS="$MAKEARGS" NB_TEST_CLOCK="$NB_TEST_CLOCK" \
        NB_TEST_SET_CLOCK=/tmp/clock-set.txt ASAN_OPTIONS="${ASAN_OPTIONS:-}" \
        UBSAN_OPTIONS="${UBSAN_OPTIONS:-}" \
        chroot "$R" /bin/sh -c "cd $dir && $*" </dev/null
}
at '2026-11-23 09:00'

# The stick: a tmpfs at the mount point (see above), its files kept in
# stick-files/ while unplugged.
mkdir stick-files
plug() {    # plug MOUNT-CMD-WITH-/dev/sdb1 : the doc's mount, on a "stick"
    local cmd=${1//\/dev\/sdb1/-t tmpfs sdb1}
    echo "  (/dev/sdb1 is a tmpfs here: $cmd)"
    in_root /root "$cmd"
    local mp=${cmd##* }
    mounts+=("$R$mp")
    # As on FAT: every file is the mount's owner (uid=, gid=).
    local own mode
    own=$(stat -c %u:%g "$R$mp") mode=$(stat -c %a "$R$mp")
    cp -a stick-files/. "$R$mp/"
    chown -R "$own" "$R$mp"
    chmod "$mode" "$R$mp"
}
unplug() {  # unplug MOUNT-POINT : keeps the stick's files, then the doc's umount
    rm -rf stick-files && mkdir stick-files
    cp -a "$R$1/." stick-files/
}
# What staff do with a prepared stick: fill it in on the office PC, plug it
# into the box, where the USB helper imports it as user noticeboard.
staff_import() {
    if [ -e stick-files/noticeboard/内容.xlsx ]; then
        /usr/bin/python3 - stick-files/noticeboard/内容.xlsx <<'PY'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
wb["公告"]["A2"] = "本周办公时间"
wb["活动"]["B2"] = "冬季健康讲座"
wb["表彰"]["B2"] = "李梅"
wb["滚动消息"]["A2"] = "欢迎光临"
wb["设置"]["B2"] = "幸福里社区服务中心"
wb.save(sys.argv[1])
PY
    else
        fill_templates stick-files
    fi
    mkdir -p "$R/run/nb-usb"
    mount -t tmpfs -o uid="$(awk -F: '$1 == "noticeboard" { print $3 }' "$R/etc/passwd")" sdb1 "$R/run/nb-usb"
    mounts+=("$R/run/nb-usb")
    cp -a stick-files/. "$R/run/nb-usb/"
    chown -R --reference="$R/var/lib/noticeboard" "$R/run/nb-usb"
    local st=0
    in_root / "runuser -u noticeboard -- noticeboard-sync import /run/nb-usb" >>staff.log 2>&1 || st=$?
    [ "$st" -eq 0 ] || { cat staff.log; die "the staff's import of the stick init made exited $st"; }
    ls "$R"/run/nb-usb/noticeboard/reports/*.txt >/dev/null || die "no report on the stick"
    rm -rf stick-files && mkdir stick-files && cp -a "$R/run/nb-usb/." stick-files/
    umount "$R/run/nb-usb"
    echo "  (staff filled the stick in and imported it: $(tail -n 1 staff.log))"
}
# The data folder stays the noticeboard user's, whoever ran the step.
owned() {
    [ -d "$R/var/lib/noticeboard" ] || return 0
    local bad uid
    uid=$(awk -F: '$1 == "noticeboard" { print $3 }' "$R/etc/passwd")
    [ -n "$uid" ] || return 0
    bad=$(find "$R/var/lib/noticeboard" ! -uid "$uid" -printf '%u %p\n' | sed "s|$R||" | head -n 5)
    [ -z "$bad" ] || die "after '$1' ($2) files in the data folder belong to another user:
$bad"
}
set_conf() {    # set_conf '[section] key = value'
    /usr/bin/python3 - "$R/etc/noticeboard/noticeboard.conf" "$1" <<'EOF'
import re, sys
path, span = sys.argv[1], sys.argv[2]
sec, key, val = re.match(r"^\[([a-z]+)\] ([a-z_]+) = (.*)$", span).groups()
lines = open(path, encoding="utf-8").read().split("\n")
cur, done, head = None, False, None
for i, l in enumerate(lines):
    m = re.match(r"^\[([a-z]+)\]", l)
    if m:
        cur = m.group(1)
        if cur == sec:
            head = i
    elif cur == sec and re.match(r"^[;#]?\s*" + key + r"\s*=", l):
        lines[i] = f"{key} = {val}"
        done = True
        break
if not done:
    if head is None:
        lines += [f"[{sec}]", f"{key} = {val}"]
    else:
        lines.insert(head + 1, f"{key} = {val}")
open(path, "w", encoding="utf-8").write("\n".join(lines))
EOF
}

/usr/bin/python3 "$TOP/tests/e2e/docsteps.py" "$TOP/README.md:Install on a lobby box" \
    "$TOP/docs/deploy.md:1." "$TOP/docs/deploy.md:2." "$TOP/docs/deploy.md:3." \
    "$TOP/docs/deploy.md:7." | sed "s|$TOP/||g" >steps.tsv
[ "$(grep -c "	cmd	\|	sh	" steps.tsv)" -ge 20 ] || { cat steps.tsv; die "too few commands read from the docs"; }
[ "$(grep -c "	conf	" steps.tsv)" -ge 4 ] || { cat steps.tsv; die "too few config edits read from the docs"; }

ran=0 last_plan='' after_init=no
while IFS=$'\t' read -r -u 9 where sect kind text; do
    if [ "$kind" = conf ]; then
        echo "== $where: config edit $text"
        set_conf "$text"
        # The config is read first: 2 when unusable, 4 for the missing stick.
        st=0
        in_root / "runuser -u noticeboard -- noticeboard-sync import --dry-run /nonexistent" >conf.log 2>&1 \
            || st=$?
        [ "$st" -eq 4 ] || { cat conf.log; die "$where: after '$text' the config is not usable ($st)"; }
        ran=$((ran + 1))
        continue
    fi
    case $kind:$text in
        sh:*|*" "*) ;;
        *) continue ;;      # a program named in a sentence, not a command
    esac
    echo "== $where: $text"
    st=0
    case $sect:$text in
        # Named in a sentence, not steps: the flag that signs; in section 1,
        # the alternative to install.sh and what removes it (run in 7.).
        README.md:*:"minisign -Sm"|docs/deploy.md:1.:"make install"|docs/deploy.md:1.:"make uninstall")
            echo "  (a mention, not a step)"; continue ;;
    esac
    case $text in
        "systemctl restart "*|"systemctl start "*|"systemctl stop "*)
            u=${text##* }
            echo "  (not run: systemd is not PID 1 in a chroot; checked enabled instead)"
            [ "$(in_root / "systemctl is-enabled $u")" = enabled ] || die "$where: $u is not enabled" ;;
        deploy/install.sh*)
            in_root "$TOP" "$text" >step.log 2>&1 || st=$?
            # Its closing hint gives the first stick's commands as the docs do.
            if grep -q "prepare the first stick" step.log; then
                for c in "$(grep -m1 '^runuser -u noticeboard -- noticeboard-sync init' "$TOP/README.md")" \
                         "$(grep -m1 '^mount -o uid=noticeboard' "$TOP/README.md")"; do
                    [ -n "$c" ] && grep -qF -- "$c" step.log \
                        || { cat step.log; die "$where: install.sh's hint lacks '$c'"; }
                done
            fi ;;
        "make "*)
            in_root "$TOP" "$text $MAKEARGS" >step.log 2>&1 || st=$? ;;
        "mount "*/dev/sdb1*)
            plug "$text" >step.log 2>&1 || st=$? ;;
        "umount "*)
            unplug "${text##* }"
            in_root /root "$text" >step.log 2>&1 || st=$? ;;
        "minisign -G "*)
            in_root /root "printf 'pw\npw\n' | $text" >step.log 2>&1 || st=$? ;;
        "minisign -S"*)
            in_root /root "printf 'pw\n' | $text" >step.log 2>&1 || st=$? ;;
        "noticeboard-sync pack /media/usb")
            # The administrator's copy of a filled stick.
            rm -rf "$R/media/usb" && cp -a stick-files "$R/media/usb"
            in_root /root "$text" >step.log 2>&1 || st=$? ;;
        "noticeboard render … "*)
            [ -n "$last_plan" ] || die "$where: render with … but no plan before it"
            in_root /root "${text/…/$last_plan}" >step.log 2>&1 || st=$? ;;
        "noticeboard plan "*)
            last_plan=${text#noticeboard plan }; last_plan=${last_plan%% --at*}" --at${text##*--at}"
            in_root /root "$text" >step.log 2>&1 || st=$? ;;
        "systemd-analyze verify "*)
            # As on most boxes: no Syncthing (it comes only with --syncthing).
            if [ -e "$R/usr/bin/syncthing" ]; then
                : >no-syncthing
                mount --bind no-syncthing "$R/usr/bin/syncthing"; mounts+=("$R/usr/bin/syncthing")
            fi
            in_root /root "$text" >step.log 2>&1 || st=$?
            umount "$R/usr/bin/syncthing" 2>/dev/null || true
            # systemd 252 does not know RestartMode= (docs/deploy.md, section 4);
            # without man-db (a minimal Debian) verify cannot look up the
            # units' man pages and says so, as the docs say too.
            documented="Unknown key 'RestartMode'"
            [ -x "$R/usr/bin/man" ] || documented="$documented|Command 'man noticeboard(-sync)?\(1\)' failed"
            if [ "$st" -ne 0 ] || grep -Ev "$documented" step.log | finds .; then
                cat step.log; die "$where: '$text' found more than the documented notes"
            fi ;;
        "journalctl "*)
            # No journald in a chroot: the command is valid if it finds no journal.
            in_root /root "$text" >step.log 2>&1 || st=$?
            if [ "$st" -ne 0 ] && grep -q "No journal files were found" step.log; then
                echo "  (no journal in a chroot: the unit pattern was accepted)"; st=0
            fi ;;
        "systemctl disable --now "*)
            # Disabled here; stopping needs systemd as PID 1, which a chroot has not.
            in_root /root "$text" >step.log 2>&1 || st=$?
            if [ "$st" -ne 0 ] && grep -q "not been booted with systemd" step.log; then
                echo "  (not stopped: systemd is not PID 1 in a chroot; checked disabled instead)"
                [ "$(in_root / "systemctl is-enabled ${text##* }" || true)" = disabled ] \
                    || die "$where: ${text##* } is still enabled"
                st=0
            fi ;;
        "systemctl unmask "*|"userdel "*|\
        "noticeboard-sync status"|"noticeboard-sync rollback"|"runuser -u noticeboard -- "*)
            in_root /root "$text" >step.log 2>&1 || st=$? ;;
        *)
            die "$where: the docs tell installers to type '$text', and this test does not know it: teach it" ;;
    esac
    sed 's/^/  /' step.log
    [ "$st" -eq 0 ] || die "$where: '$text' exited $st"
    ran=$((ran + 1))
    owned "$text" "$where"
    case $text in
        "runuser -u noticeboard -- noticeboard-sync init "*) after_init=yes ;;
        "umount "*) if [ "$after_init" = yes ]; then staff_import; after_init=no; fi ;;
        "minisign -Sm /media/usb/"*)
            # The box trusts the signer: the signed copy imports.
            pk=$(sed -n 2p "$R/root/noticeboard.pub")
            set_conf "[sync] trust = signed"
            set_conf "[sync] public_key = $pk"
            in_root / "runuser -u noticeboard -- noticeboard-sync import /media/usb" >signed.log 2>&1 \
                || { cat signed.log; die "the stick signed as the README says was not imported"; }
            set_conf "[sync] trust = key"
            echo "  (the signed stick imports: $(tail -n 1 signed.log))" ;;
        "noticeboard-sync status")
            grep -q '^feed_version: [1-9]' step.log || die "$where: status shows no feed" ;;
        "noticeboard render "*)
            ls "$R"/tmp/proof/*.png >/dev/null || die "$where: render drew nothing" ;;
        "make uninstall")
            [ ! -e "$R/usr/local/bin/noticeboard" ] || die "$where: make uninstall left the player" ;;
        "userdel noticeboard")
            ! grep -q '^noticeboard:' "$R/etc/passwd" || die "$where: the user is still there" ;;
    esac
done 9<steps.tsv
echo "ran $ran steps from the docs"
[ "$ran" -ge 25 ] || die "only $ran steps ran"
cleanup
! grep -qF " $R" /proc/mounts || die "mounts left under $R: $(grep -F " $R" /proc/mounts)"
