# The systemd watchdog (issue 6): the player sends READY=1 after its first
# frame and WATCHDOG=1 from its render loop; when the loop stands still (the
# test-freeze hook) the pings stop, so systemd would restart a hung player;
# when it moves again they resume.
at '2026-11-23 09:00'
command -v python3 >/dev/null || die "python3 missing"
mkdir -p stick/noticeboard
printf 'title,body\n通知,内容\n' > stick/noticeboard/announcements.csv
printf '[sync]\ntrust = open\n' > open.conf
"$SYNC" import --data data --config open.conf stick > import.txt 2>&1 || die "import"
start_xvfb 800x600

# A stand-in for systemd's notify socket: logs each datagram with a time.
cat > listen.py <<'PY'
import socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
out = open(sys.argv[2], "a", buffering=1)
while True:
    msg = s.recv(4096).decode()
    for line in msg.split("\n"):
        out.write("%.3f %s\n" % (time.monotonic(), line))
PY
python3 listen.py "$T/notify.sock" pings.txt &
bg_pids+=($!)
for _ in $(seq 50); do [ -S "$T/notify.sock" ] && break; sleep 0.1; done

# 400 ms watchdog → a ping at least every 200 ms while the loop runs.
NOTIFY_SOCKET="$T/notify.sock" WATCHDOG_USEC=400000 \
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
    "$NB" --data data --config open.conf --window 320x180 > nb.log 2>&1 &
bg_pids+=($!)
wait_for pings.txt "READY=1" 20
sleep 2
count() { grep -c "WATCHDOG=1" pings.txt || true; }
n1=$(count)
[ "$n1" -ge 5 ] || die "only $n1 watchdog pings in the first 2 s"

touch data/state/test-freeze      # the loop stands still within 1 s
# Counted from when no ping has come for a second (the loop looks for the
# file once a second, and the listener may write a last ping late); if
# pings never stop, n2 is the count after 10 s and n3 shows them going on.
prev=-1
for _ in $(seq 10); do
    sleep 1
    n2=$(count)
    [ "$n2" = "$prev" ] && break
    prev=$n2
done
sleep 2
n3=$(count)
[ "$n3" -eq "$n2" ] || die "pings went on while the loop was frozen ($n2 → $n3)"

rm data/state/test-freeze
sleep 1.5
n4=$(count)
[ "$n4" -gt "$n3" ] || die "pings did not resume after the loop moved again"
echo "watchdog: $n1 pings in 2 s running, $((n3 - n2)) in 2 s frozen, resumed ($((n4 - n3)))"
