#!/usr/bin/env bash
# make fleet-test: many boards, one content, with real couriers on this
# machine.  An office and three boards run as Syncthing instances, each in
# its own network namespace (ip netns) joined by veth pairs to a bridge in
# the office's namespace on 10.77.0.0/24: no discovery, relays or route out
# of the machine.  The boards are set up by deploy/noticeboard-syncthing as
# install.sh does, with its default listen and GUI addresses; a fourth board
# gets the same bundles by rsync (local, no namespace).  Needs root (ip
# netns); without it the test FAILS, it does not skip.  Every wait is
# bounded by FLEET_LIMIT seconds; namespaces, links and processes are
# removed on exit.  Checks that a signed bundle
# published once reaches every board it is for (status and render), that a
# bundle published file by file is never imported half, that a targeted
# bundle is ignored by the others and a corrupted one refused everywhere,
# and that reports and status come back to the office.  Prints the seconds
# from publishing to every board showing the new feed.
set -euo pipefail
TOP=$(cd "$(dirname "$0")/../.." && pwd)
NB=$(realpath "${NB:?}") SYNC=$(realpath "${SYNC:?}")
LIMIT=${FLEET_LIMIT:-120}          # seconds any one wait may take
for c in syncthing rsync minisign; do
    command -v $c >/dev/null || { echo "fleet-test: $c missing (make deps installs it)" >&2; exit 1; }
done
command -v ip >/dev/null || { echo "FAILED: fleet-test: ip (iproute2) missing" >&2; exit 1; }
# Namespaces named after our PID, so parallel runs do not meet.
NSO=nbf$$-office
NSB=(nbf$$-b1 nbf$$-b2 nbf$$-b3)
T=$(mktemp -d "${TMPDIR:-/tmp}/nb-fleet.XXXXXX")
pids=()
made=()
cleanup() {
    local p n
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
    # Anything else still inside our namespaces, then the namespaces: deleting
    # one removes its veth ends and the bridge with it.
    for n in "${made[@]}"; do
        for p in $(ip netns pids "$n" 2>/dev/null); do kill -9 "$p" 2>/dev/null || true; done
        ip netns del "$n" 2>/dev/null || echo "fleet-test: could not remove namespace $n" >&2
    done
}
trap cleanup EXIT
trap 'exit 130' INT TERM
die() { echo "FAILED: $*" >&2; echo "files kept in $T" >&2; exit 1; }

# --- the network: a bridge in the office's namespace, one veth pair per
# board, 10.77.0.1 for the office and 10.77.0.11.. for the boards.  That
# they reach each other shows in step 0 (every board's status back).
net() { ip "$@" 2>>"$T/netns.err" || die "ip $*: $(tail -n1 "$T/netns.err")"; }
for n in "$NSO" "${NSB[@]}"; do
    ip netns add "$n" 2>"$T/netns.err" ||
        die "fleet-test needs network namespaces (run as root with iproute2): ip netns add: $(cat "$T/netns.err")"
    made+=("$n")
    net -n "$n" link set lo up
done
net -n "$NSO" link add br0 type bridge
net -n "$NSO" addr add 10.77.0.1/24 dev br0
net -n "$NSO" link set br0 up
for i in 0 1 2; do
    net -n "$NSO" link add "vb$((i + 1))" type veth peer name eth0 netns "${NSB[$i]}"
    net -n "$NSO" link set "vb$((i + 1))" master br0 up
    net -n "${NSB[$i]}" addr add "10.77.0.$((i + 11))/24" dev eth0
    net -n "${NSB[$i]}" link set eth0 up
done
export NB_TEST_CLOCK='2026-12-03 10:00'
export STNODEFAULTFOLDER=1 STNOUPGRADE=1
F=$TOP/tests/fixtures/trust
key=$(tail -n1 "$F/test.pub")
ST=$TOP/deploy/noticeboard-syncthing
cd "$T"

names=(东区-1 东区-2 西区-1)
groups=(东区 东区 西区)
boards=(b1 b2 b3)

# --- the office: its device ID first, then each board's setup with it.
syncthing generate --home=office/st --no-default-folder >/dev/null 2>&1
OFFICE=$(syncthing serve --home=office/st --device-id)
mkdir -p office/publish/.stfolder
ids=()
for i in 0 1 2; do
    b=${boards[$i]}
    mkdir -p "$b/data"
    "$ST" setup --home "$b/st" --data "$T/$b/data" --office "$OFFICE" --name "${names[$i]}" \
        --office-address tcp://10.77.0.1:22000 >"$b/setup.txt"
    sed -i 's|<localAnnounceEnabled>true<|<localAnnounceEnabled>false<|' "$b/st/config.xml"
    ids+=("$(sed -n 's/^device: //p' "$b/setup.txt")")
    printf '[sync]\ntrust = signed\npublic_key = %s\ninbox_settle = 10\n[board]\nname = %s\ngroups = %s\n' \
        "$key" "${names[$i]}" "${groups[$i]}" >"$b/nb.conf"
    mkdir -p "office/boards/${names[$i]}/.stfolder"
done
# The office as an installer sets it up in its Syncthing: the publishing
# folder send-only to every board, each board's outbox accepted receive-only.
{
    echo '<configuration version="36">'
    echo "  <folder id=\"nb-inbox\" path=\"$T/office/publish\" type=\"sendonly\" fsWatcherEnabled=\"true\" fsWatcherDelayS=\"1\" rescanIntervalS=\"60\">"
    echo "    <device id=\"$OFFICE\"></device>"
    for id in "${ids[@]}"; do echo "    <device id=\"$id\"></device>"; done
    echo "  </folder>"
    for i in 0 1 2; do
        echo "  <folder id=\"nb-out-${ids[$i]%%-*}\" path=\"$T/office/boards/${names[$i]}\" type=\"receiveonly\" rescanIntervalS=\"60\">"
        echo "    <device id=\"$OFFICE\"></device><device id=\"${ids[$i]}\"></device>"
        echo "  </folder>"
    done
    echo "  <device id=\"$OFFICE\" name=\"office\"><address>dynamic</address></device>"
    for i in 0 1 2; do
        echo "  <device id=\"${ids[$i]}\" name=\"${names[$i]}\"><address>tcp://10.77.0.$((i + 11)):22000</address></device>"
    done
    echo "  <gui enabled=\"true\" tls=\"false\"><address>127.0.0.1:8384</address></gui>"
    echo "  <options><listenAddress>tcp://10.77.0.1:22000</listenAddress>"
    echo "    <globalAnnounceEnabled>false</globalAnnounceEnabled><localAnnounceEnabled>false</localAnnounceEnabled>"
    echo "    <relaysEnabled>false</relaysEnabled><natEnabled>false</natEnabled><urAccepted>-1</urAccepted>"
    echo "    <autoUpgradeIntervalH>0</autoUpgradeIntervalH><crashReportingEnabled>false</crashReportingEnabled>"
    echo "    <startBrowser>false</startBrowser></options>"
    echo '</configuration>'
} >office/st/config.xml
# The rsync board: same data folder layout, no daemon.
mkdir -p b4/data
printf '[sync]\ntrust = signed\npublic_key = %s\ninbox_settle = 10\n[board]\nname = 南区-1\ngroups = 南区, 东区\n' \
    "$key" >b4/nb.conf
mkdir -p "office/boards/南区-1"

# ip netns exec execs syncthing, so $! is syncthing itself.
serve() {
    ip netns exec "$1" syncthing serve --home="$2" --no-browser --no-restart --logflags=0 >"$2.log" 2>&1 &
    pids+=($!)
}
serve "$NSO" office/st
for i in 0 1 2; do serve "${NSB[$i]}" "${boards[$i]}/st"; done

# One pass of every board's timer: the inbox command, and the rsync
# courier for b4 (push the publishing folder, pull the outbox back).
tick() {
    local b
    for b in b1 b2 b3; do "$SYNC" inbox --data "$b/data" --config "$b/nb.conf" >>"$b/inbox.log" 2>&1 || true; done
    rsync -rt --delete --delay-updates --exclude .stfolder office/publish/ b4/data/inbox/
    "$SYNC" inbox --data b4/data --config b4/nb.conf >>b4/inbox.log 2>&1 || true
    rsync -rt --exclude .stfolder b4/data/outbox/ "office/boards/南区-1/"
}
fv() { "$SYNC" status --data "$1/data" | sed -n 's/^feed_version: //p'; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
# until_all DESC CMD…: ticks until CMD succeeds, at most LIMIT seconds.
until_all() {
    local desc=$1; shift
    local t0 i
    t0=$(date +%s)
    while ! "$@"; do
        [ $(($(date +%s) - t0)) -lt "$LIMIT" ] || die "$desc: not within $LIMIT s"
        tick
        sleep 0.2
    done
}

# --- 0. Every board reachable: its first status comes back to the office.
t0=$(now)
status_back() {
    local n
    for n in "${names[@]}" 南区-1; do [ -s "office/boards/$n/status.txt" ] || return 1; done
}
until_all "first status back" status_back
connect=$(since $t0)

# bundle DIR VERSION TEXT [target lines…]: packed and signed.
bundle() {
    local d=$1 v=$2 text=$3; shift 3
    mkdir -p "$d/noticeboard/media"
    printf '\xef\xbb\xbf内容\r\n%s\r\n' "$text" >"$d/noticeboard/ticker.csv"
    printf '\xef\xbb\xbftitle,body,image\r\n%s,本公告由办公室发布,media/p.jpg\r\n' "$text" >"$d/noticeboard/announcements.csv"
    cp "$TOP/tests/fixtures/images/small.jpg" "$d/noticeboard/media/p.jpg"
    "$SYNC" pack "$d" >/dev/null
    sed -i "s/^version: .*/version: $v/" "$d/noticeboard/MANIFEST"
    local l
    for l in "$@"; do echo "$l" >>"$d/noticeboard/MANIFEST"; done
    minisign -S -s "$F/test.sec" -m "$d/noticeboard/MANIFEST" >/dev/null
}

# --- 1. Published file by file (the MANIFEST and its signature first): no
# board imports before the last file is in, then every board does.
bundle v1 1001 全体公告第一版
mkdir -p office/publish/noticeboard/media
for f in MANIFEST MANIFEST.minisig ticker.csv media/p.jpg; do
    cp "v1/noticeboard/$f" "office/publish/noticeboard/$f"
    for k in 1 2 3 4 5 6 7 8 9 10; do tick; sleep 0.3; done
    for b in b1 b2 b3 b4; do
        [ -z "$(fv $b)" ] || [ "$(fv $b)" = 0 ] || die "$b imported with $f the last file in"
    done
done
# The partial bundle did reach the boards, and they wait for the rest.
for b in b1 b2 b3 b4; do
    [ -s "$b/data/inbox/noticeboard/media/p.jpg" ] || die "$b: the partial transfer did not arrive"
    grep -q 'inbox: waiting' "$b/data/outbox/status.txt" || die "$b: not waiting for the rest"
done
t1=$(now)
cp v1/noticeboard/announcements.csv office/publish/noticeboard/
all_v() {
    local b
    for b in b1 b2 b3 b4; do [ "$(fv $b)" = "$1" ] || return 1; done
}
until_all "bundle 1 on every board" all_v 1
reach1=$(since $t1)
for b in b1 b2 b3 b4; do
    "$NB" render --data "$b/data" --config "$b/nb.conf" --at '2026-12-03 10:00' --size 640x360 \
        --out "$b/shot" >/dev/null
    "$NB" plan --data "$b/data" --config "$b/nb.conf" --at '2026-12-03 10:00' | grep -q 全体公告第一版 ||
        die "$b does not play bundle 1"
done
reports_back() {
    local n
    for n in "${names[@]}" 南区-1; do
        grep -qs 'inbox: imported' "office/boards/$n/status.txt" || return 1
        grep -qsF 更新成功 "office/boards/$n"/reports/*.txt || return 1
        [ -s "office/boards/$n/screen/01-announcement.png" ] || return 1
    done
}
t2=$(now)
until_all "reports of bundle 1 back in the office" reports_back
back1=$(since $t2)

# --- 2. A bundle for the group 东区 only: b1, b2 and b4 take it, b3 says
# in the status it sends back that it was not for it.
bundle v2 1002 东区通知 'groups: 东区'
rsync -r --delete v2/noticeboard/ office/publish/noticeboard/
t3=$(now)
targeted() {
    local b
    for b in b1 b2 b4; do [ "$(fv $b)" = 2 ] || return 1; done
    grep -qs 'inbox: not-for-this-board' "office/boards/西区-1/status.txt"
}
until_all "targeted bundle" targeted
reach2=$(since $t3)
[ "$(fv b3)" = 1 ] || die "西区-1 took a bundle for 东区"
grep -q 'inbox_version: 1002' "office/boards/西区-1/status.txt" || die "西区-1's status does not name the bundle"

# --- 3. A corrupted bundle (a file changed after signing) is refused by
# every board with a report that comes back; no screen changes.
bundle v3 1003 坏的内容
echo 篡改 >>v3/noticeboard/ticker.csv
rsync -r --delete v3/noticeboard/ office/publish/noticeboard/
t4=$(now)
refused() {
    local n
    for n in "${names[@]}" 南区-1; do grep -qs 'inbox: refused' "office/boards/$n/status.txt" || return 1; done
}
until_all "corrupted bundle refused" refused
refuse=$(since $t4)
for b in b1 b2 b4; do [ "$(fv $b)" = 2 ] || die "$b changed on a corrupted bundle"; done
[ "$(fv b3)" = 1 ] || die "b3 changed on a corrupted bundle"
for n in "${names[@]}" 南区-1; do
    grep -lF 未授权 "office/boards/$n"/reports/*.txt >/dev/null || die "no refusal report from $n"
done

printf 'fleet: office + 3 Syncthing boards in network namespaces (veth, 10.77.0.0/24) + 1 rsync board\n'
printf 'fleet: first status of every board back in the office: %.1f s\n' "$connect"
printf 'fleet: bundle 1, last file published -> every board plays it: %.1f s\n' "$reach1"
printf 'fleet: its reports, status and screen back in the office: %.1f s more\n' "$back1"
printf 'fleet: targeted bundle -> its 3 boards, the 4th says not for it: %.1f s\n' "$reach2"
printf 'fleet: corrupted bundle -> refused by all 4, reports back: %.1f s (inbox_settle = 10 s)\n' "$refuse"
printf 'fleet: passed\n'
rm -rf "$T"
