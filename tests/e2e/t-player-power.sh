# Screen power in quiet hours (issue 6 item 6): [display] screen_off runs on
# entering quiet hours and screen_on on leaving them (and once at start-up
# outside them), as argv split on spaces and found in PATH, without a shell.
# The test clock (NB_TEST_CLOCK/SPEED) starts at 21:57 and runs 30x fast, so
# quiet hours 22:00-22:02 begin after 6 s and end after 10 s: the player
# must be up before they begin (it runs screen_on at start-up outside them
# only), and a slow start under ASan on a loaded machine can take more
# than the 2 s that 21:59 left.  A failing
# command is logged once, not at every transition.
mkdir -p bin empty
cat > bin/nb-screen <<'SH'
#!/bin/sh
echo "$*" >> "$NB_POWER_LOG"
SH
cat > bin/nb-fail <<'SH'
#!/bin/sh
echo "fail $*" >> "$NB_POWER_LOG"
exit "$1"
SH
chmod +x bin/nb-screen bin/nb-fail
start_xvfb 800x600
run_clocked() {   # CONFIG LOG POWERLOG: the player on the fast clock
    NB_POWER_LOG="$T/$3" PATH="$T/bin:$PATH" NB_TEST_CLOCK='2026-11-22 21:57' NB_TEST_SPEED=30 \
    ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
        "$NB" --data empty --config "$1" --window 320x180 > "$2" 2>&1 &
    nbpid=$!
    bg_pids+=("$nbpid")
}
wait_count() {   # FILE TEXT N SECONDS: TEXT appears at least N times
    local i
    for i in $(seq $(($4 * 10))); do
        [ "$(grep -cF -- "$2" "$1")" -ge "$3" ] && return 0
        sleep 0.1
    done
    cat "$1"; die "'$2' did not appear $3 times in $1 within $4 s"
}
stop_player() {
    kill -TERM "$nbpid"
    local st=0
    wait "$nbpid" || st=$?
    [ "$st" -eq 0 ] || { cat "$1"; die "player exited $st"; }
}

# 1. Working commands: on (start), off (22:00), on (22:02), in that order.
cat > power.conf <<'INI'
[display]
screen_off = nb-screen  off   now
screen_on = nb-screen on
[schedule]
quiet_hours = 22:00-22:02
INI
run_clocked power.conf nb.log power.txt
wait_for nb.log "screen off: running 'nb-screen off now'" 15
wait_count nb.log "screen on: running" 2 15   # left quiet hours again
wait_count power.txt "on" 2 5
stop_player nb.log
printf 'on\noff now\non\n' > want.txt
diff -u want.txt power.txt || die "screen commands ran in the wrong order or number"
[ "$(grep -c 'screen on: running' nb.log)" -eq 2 ] || { cat nb.log; die "screen_on not logged once per transition"; }
[ "$(grep -c 'quiet hours: screen blank' nb.log)" -eq 1 ] || die "quiet hours entered more than once"
if grep -q 'screen o[nf]f:.*\(status\|cannot\)' nb.log; then cat nb.log; die "a working command was reported as failing"; fi

# 2. Failing commands: a missing program and a non-zero exit are each logged
#    once, with the command; the player goes on (leaves quiet hours, exits 0).
cat > fail.conf <<'INI'
[display]
screen_off = nb-fail 3
screen_on = nb-no-such-program --on
[schedule]
quiet_hours = 22:00-22:02
INI
run_clocked fail.conf fail.log fail.txt
wait_for fail.log "'nb-fail 3' exited with status 3" 15
wait_count fail.log "screen on: running" 2 15
sleep 0.3
stop_player fail.log
contains fail.txt "fail 3"
[ "$(grep -c "'nb-no-such-program --on' cannot start: No such file or directory" fail.log)" -eq 1 ] \
    || { cat fail.log; die "missing screen_on program not logged exactly once"; }
[ "$(grep -c 'screen on: running' fail.log)" -eq 2 ] || { cat fail.log; die "screen_on not tried at start and after quiet hours"; }

# 3. Not configured: quiet hours only blank, nothing is run or logged.
printf '[schedule]\nquiet_hours = 22:00-22:02\n' > plain.conf
run_clocked plain.conf plain.log plain.txt
wait_for plain.log "quiet hours: screen blank" 15
stop_player plain.log
[ ! -e plain.txt ] || die "a command ran without screen_off/screen_on"
if grep -q 'screen o[nf]' plain.log; then cat plain.log; die "screen power logged without commands"; fi
