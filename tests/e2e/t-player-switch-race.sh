# A feed activated while the player opens feed.db is loaded once, not twice.
# The player took the feed's identity with stat() before SQLite opened the
# path, so a rename landing in between paired the old file's identity with
# the new file's content, and the next poll loaded the same new feed again
# (an extra crossfade).  An LD_PRELOAD shim makes the race certain: at the
# first open() of feed.db it renames version 2 over version 1.
at '2026-11-23 09:00'
command -v cc >/dev/null || die "a C compiler is needed for the open() shim"
cat > shim.c <<'C'
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

static int swapped;

/* At the first open of a path ending in /feed.db, activate $SHIM_SWAP. */
static void maybe_swap(const char *path)
{
    const char *swap = getenv("SHIM_SWAP");
    size_t n = strlen(path);
    if (swapped || !swap || n < 8 || strcmp(path + n - 8, "/feed.db") != 0)
        return;
    swapped = 1;
    if (rename(swap, path) != 0)
        perror("shim rename");
}

static int pass(const char *sym, const char *path, int flags, va_list ap)
{
    int (*real)(const char *, int, ...) = (int (*)(const char *, int, ...))dlsym(RTLD_NEXT, sym);
    mode_t mode = (flags & (O_CREAT | O_TMPFILE)) ? va_arg(ap, mode_t) : 0;
    maybe_swap(path);
    return real(path, flags, mode);
}

int open(const char *path, int flags, ...)
{
    va_list ap;
    va_start(ap, flags);
    int fd = pass("open", path, flags, ap);
    va_end(ap);
    return fd;
}

int open64(const char *path, int flags, ...)
{
    va_list ap;
    va_start(ap, flags);
    int fd = pass("open64", path, flags, ap);
    va_end(ap);
    return fd;
}
C
cc -shared -fPIC -o shim.so shim.c -ldl || die "cannot build the shim"

mkdir -p stick/noticeboard
printf '[sync]\ntrust = open\n' > open.conf
printf 'title,body\n第一版通知,内容一\n' > stick/noticeboard/announcements.csv
"$SYNC" import --data data --config open.conf stick > import1.txt 2>&1 || die "import 1"
printf 'title,body\n第二版通知,内容二\n' > stick/noticeboard/announcements.csv
"$SYNC" import --data data --config open.conf stick > import2.txt 2>&1 || die "import 2"
# feed.db is version 1 again, and version 2 waits beside it as a fresh file.
cp data/feed.db swap.db
cp data/feeds/00000001.db data/v1.tmp
mv data/v1.tmp data/feed.db

start_xvfb 800x600
# The shim is not built with the sanitizers: it may come before their runtime.
SHIM_SWAP=$PWD/swap.db LD_PRELOAD=$PWD/shim.so \
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0:verify_asan_link_order=0 \
    "$NB" --data data --config open.conf --window 320x180 > nb.log 2>&1 &
nb=$!
bg_pids+=($nb)
wait_for nb.log "playing 1 slides" 20
[ ! -e swap.db ] || die "the shim did not swap the feed (no open() of feed.db seen)"
sleep 3                                   # three feed polls
kill -0 "$nb" || die "the player died"
contains nb.log "feed version 2"
n=$(grep -c "feed version" nb.log || true)
[ "$n" -eq 1 ] || { cat nb.log; die "the feed was loaded $n times, expected once"; }
