# Sync: the free-space check before staging.  The copy needs the bundle's
# size, half again for the screen-sized media and a 256 MB reserve on the
# data disk; with less, the import stops before copying anything: exit 4,
# a Chinese reason with the sizes, nothing staged, the screen unchanged.
# The free space is made up by a statvfs shim (no small disk to mount).
cat > shim.c <<'EOF'
/* shim.c — statvfs on paths under FS_DATA reports FS_FREE_MB free. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>

static void shrink(const char *path, unsigned long *bavail, unsigned long frsize)
{
    const char *d = getenv("FS_DATA"), *mb = getenv("FS_FREE_MB");
    char *abs = realpath(path, NULL);   /* the importer may pass it relative */
    if (abs && d && mb && frsize && !strncmp(abs, d, strlen(d)))
        *bavail = strtoul(mb, NULL, 10) * (1ul << 20) / frsize;
    free(abs);
}

int statvfs(const char *path, struct statvfs *v)
{
    int (*real)(const char *, struct statvfs *) =
        (int (*)(const char *, struct statvfs *))dlsym(RTLD_NEXT, "statvfs");
    int r = real(path, v);
    if (r == 0)
        shrink(path, &v->f_bavail, v->f_frsize);
    return r;
}

int statvfs64(const char *path, struct statvfs64 *v)
{
    int (*real)(const char *, struct statvfs64 *) =
        (int (*)(const char *, struct statvfs64 *))dlsym(RTLD_NEXT, "statvfs64");
    int r = real(path, v);
    if (r == 0)
        shrink(path, &v->f_bavail, v->f_frsize);
    return r;
}
EOF
cc -shared -fPIC -O1 -Wall -Werror -o shim.so shim.c -ldl || die "cannot build the shim"
printf '[sync]\ntrust = open\n' > open.conf
cp -r "$TOP/tests/fixtures/bundles/good" stick
# 8 MB more on the stick, so the sizes in the message are not all zero.
head -c $((8 << 20)) /dev/urandom > stick/noticeboard/media/extra.bin
withfree() {
    local mb=$1; shift
    env ASAN_OPTIONS=verify_asan_link_order=0 LD_PRELOAD="$PWD/shim.so" FS_DATA="$(realpath data)" \
        FS_FREE_MB="$mb" "$@"
}

# 200 MB free: less than the reserve alone.  Refused before the copy.
mkdir data
expect_status 4 withfree 200 "$SYNC" import --data data --config open.conf stick > out.txt 2> err.txt
contains out.txt "设备存储空间不足"
contains out.txt "共 8 MB"
contains out.txt "需要约 269 MB"
contains out.txt "现在只有 200 MB"
contains out.txt "屏幕内容没有改变"
[ ! -e data/feed.db ] || die "a feed was made though the import was refused"
[ -z "$(ls -A data/staging 2>/dev/null)" ] || die "something was staged: $(ls -R data/staging)"
rep=$(ls stick/noticeboard/reports/*.txt)
grep -qF "设备存储空间不足" "$rep" || die "the stick's report lacks the reason"

# 269 MB free is enough: the same stick imports.
expect_status 0 withfree 269 "$SYNC" import --data data --config open.conf stick > ok.txt 2>&1
contains ok.txt "更新成功"
[ -z "$(ls -A data/staging)" ] || die "staging not cleaned"
