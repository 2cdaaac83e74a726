/* faultshim.c — an LD_PRELOAD shim for the fault tests (r-faults.sh): fails
 * write-family calls on files under the data folder (EIO at the Nth call, or
 * ENOSPC after a byte budget) and pulls the stick (EIO, truncation or
 * deletion) at the first read of a file under the source folder.
 *
 * Settings, from the environment:
 *   FS_DATA=/abs/dir     the data folder whose writes are counted or failed
 *   FS_SRC=/abs/dir      the stick whose reads are disturbed
 *   FS_FAIL=N            the Nth write-family call under FS_DATA fails (EIO)
 *   FS_ERRNO=ENOSPC      the errno for FS_FAIL instead of EIO
 *   FS_SPACE=K           writes under FS_DATA fail with ENOSPC once K bytes
 *                        have been written there (a full disk)
 *   FS_PULL=eio|truncate|delete   what happens at the first read() under FS_SRC
 *   FS_LOG=/abs/file     one line per write-family call: "N op path"
 * Write-family: open/creat with O_CREAT, mkdir, write, pwrite, writev,
 * pwritev, ftruncate, fallocate, posix_fallocate, fsync, fdatasync, rename,
 * renameat, renameat2, link, linkat.  Removals (unlink, rmdir) are never
 * failed: a cleanup that cannot remove leaves litter by definition. */
#define _GNU_SOURCE
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

static const char *env_data, *env_src, *env_log;
static long fail_at = -1, space = -1;
static int fail_errno = EIO;
static const char *pull;
static long calls;          /* write-family calls under FS_DATA so far */
static long written;        /* bytes written under FS_DATA so far */
static int pulled;
static int inited;

static void init(void)
{
    if (inited)
        return;
    inited = 1;
    env_data = getenv("FS_DATA");
    env_src = getenv("FS_SRC");
    env_log = getenv("FS_LOG");
    pull = getenv("FS_PULL");
    const char *s = getenv("FS_FAIL");
    if (s)
        fail_at = atol(s);
    s = getenv("FS_SPACE");
    if (s)
        space = atol(s);
    s = getenv("FS_ERRNO");
    if (s && !strcmp(s, "ENOSPC"))
        fail_errno = ENOSPC;
}

#define REAL(ret, name, args)                                                  \
    static ret(*real_##name) args;                                             \
    if (!real_##name)                                                          \
        *(void **)&real_##name = dlsym(RTLD_NEXT, #name)

/* The absolute path of path (relative to dirfd), without resolving
 * symlinks; "" when unknown.  Raw syscalls: nothing here may recurse. */
static void abs_path(int dirfd, const char *path, char out[PATH_MAX])
{
    out[0] = 0;
    if (!path)
        return;
    if (path[0] == '/') {
        snprintf(out, PATH_MAX, "%s", path);
        return;
    }
    char base[PATH_MAX];
    if (dirfd == AT_FDCWD) {
        if (!getcwd(base, sizeof base))
            return;
    } else {
        char link[64];
        snprintf(link, sizeof link, "/proc/self/fd/%d", dirfd);
        ssize_t n = readlink(link, base, sizeof base - 1);
        if (n < 0)
            return;
        base[n] = 0;
    }
    if (snprintf(out, PATH_MAX, "%s/%s", base, path) >= PATH_MAX)
        out[0] = 0;
}

static void fd_path(int fd, char out[PATH_MAX])
{
    char link[64];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, out, PATH_MAX - 1);
    out[n < 0 ? 0 : n] = 0;
}

static int under(const char *root, const char *p)
{
    size_t n = root ? strlen(root) : 0;
    return n && !strncmp(p, root, n) && (p[n] == '/' || p[n] == 0);
}

static void log_call(const char *op, const char *p, size_t bytes)
{
    if (!env_log)
        return;
    char line[PATH_MAX + 64];
    int n = snprintf(line, sizeof line, "%ld %s %s %zu\n", calls, op, p, bytes);
    if (n >= (int)sizeof line)
        n = (int)sizeof line - 1;
    int fd = (int)syscall(SYS_openat, AT_FDCWD, env_log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC,
                          0644);
    if (fd >= 0) {
        if (syscall(SYS_write, fd, line, (size_t)n) < 0) {
            /* nothing to do: the log is a test aid */
        }
        syscall(SYS_close, fd);
    }
}

/* Counts one write-family call on path p (of `bytes` bytes); returns the
 * errno to fail it with, or 0 to let it through. */
static int judge_n(const char *op, const char *p, size_t bytes)
{
    init();
    if (!under(env_data, p))
        return 0;
    calls++;
    log_call(op, p, bytes);
    return calls == fail_at ? fail_errno : 0;
}

static int judge(const char *op, const char *p)
{
    return judge_n(op, p, 0);
}

static int judge_fd(const char *op, int fd)
{
    init();
    if (!env_data)
        return 0;
    char p[PATH_MAX];
    fd_path(fd, p);
    return judge(op, p);
}

/* Bytes about to be written under the data folder: ENOSPC past the budget. */
static int judge_bytes(const char *op, int fd, size_t n)
{
    init();
    if (!env_data)
        return 0;
    char p[PATH_MAX];
    fd_path(fd, p);
    int e = judge_n(op, p, n);
    if (e || space < 0 || !under(env_data, p))
        return e;
    if (written + (long)n > space)
        return ENOSPC;
    written += (long)n;
    return 0;
}

#define FAIL_IF(e, ret)                                                        \
    do {                                                                       \
        if (e) {                                                               \
            errno = (e);                                                       \
            return ret;                                                        \
        }                                                                      \
    } while (0)

/* ---------------------------------------------------------------- opening */

static int judge_open(int dirfd, const char *path, int flags)
{
    if (!(flags & O_CREAT))
        return 0;
    init();
    char p[PATH_MAX];
    abs_path(dirfd, path, p);
    return judge("open", p);
}

int open(const char *path, int flags, ...);
int open(const char *path, int flags, ...)
{
    REAL(int, open, (const char *, int, ...));
    mode_t mode = 0;
    if (flags & (O_CREAT | O_TMPFILE)) {
        va_list ap;
        va_start(ap, flags);
        mode = va_arg(ap, mode_t);
        va_end(ap);
    }
    FAIL_IF(judge_open(AT_FDCWD, path, flags), -1);
    return real_open(path, flags, mode);
}

int open64(const char *path, int flags, ...);
int open64(const char *path, int flags, ...)
{
    REAL(int, open64, (const char *, int, ...));
    mode_t mode = 0;
    if (flags & (O_CREAT | O_TMPFILE)) {
        va_list ap;
        va_start(ap, flags);
        mode = va_arg(ap, mode_t);
        va_end(ap);
    }
    FAIL_IF(judge_open(AT_FDCWD, path, flags), -1);
    return real_open64(path, flags, mode);
}

int openat(int dirfd, const char *path, int flags, ...);
int openat(int dirfd, const char *path, int flags, ...)
{
    REAL(int, openat, (int, const char *, int, ...));
    mode_t mode = 0;
    if (flags & (O_CREAT | O_TMPFILE)) {
        va_list ap;
        va_start(ap, flags);
        mode = va_arg(ap, mode_t);
        va_end(ap);
    }
    FAIL_IF(judge_open(dirfd, path, flags), -1);
    return real_openat(dirfd, path, flags, mode);
}

int openat64(int dirfd, const char *path, int flags, ...);
int openat64(int dirfd, const char *path, int flags, ...)
{
    REAL(int, openat64, (int, const char *, int, ...));
    mode_t mode = 0;
    if (flags & (O_CREAT | O_TMPFILE)) {
        va_list ap;
        va_start(ap, flags);
        mode = va_arg(ap, mode_t);
        va_end(ap);
    }
    FAIL_IF(judge_open(dirfd, path, flags), -1);
    return real_openat64(dirfd, path, flags, mode);
}

int creat(const char *path, mode_t mode)
{
    REAL(int, creat, (const char *, mode_t));
    FAIL_IF(judge_open(AT_FDCWD, path, O_CREAT), -1);
    return real_creat(path, mode);
}

int mkdir(const char *path, mode_t mode)
{
    REAL(int, mkdir, (const char *, mode_t));
    init();
    char p[PATH_MAX];
    abs_path(AT_FDCWD, path, p);
    FAIL_IF(judge("mkdir", p), -1);
    return real_mkdir(path, mode);
}

int mkdirat(int dirfd, const char *path, mode_t mode)
{
    REAL(int, mkdirat, (int, const char *, mode_t));
    init();
    char p[PATH_MAX];
    abs_path(dirfd, path, p);
    FAIL_IF(judge("mkdir", p), -1);
    return real_mkdirat(dirfd, path, mode);
}

/* ---------------------------------------------------------------- writing */

ssize_t write(int fd, const void *buf, size_t n)
{
    REAL(ssize_t, write, (int, const void *, size_t));
    FAIL_IF(judge_bytes("write", fd, n), -1);
    return real_write(fd, buf, n);
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
    REAL(ssize_t, pwrite, (int, const void *, size_t, off_t));
    FAIL_IF(judge_bytes("pwrite", fd, n), -1);
    return real_pwrite(fd, buf, n, off);
}

ssize_t pwrite64(int fd, const void *buf, size_t n, off_t off);
ssize_t pwrite64(int fd, const void *buf, size_t n, off_t off)
{
    REAL(ssize_t, pwrite64, (int, const void *, size_t, off_t));
    FAIL_IF(judge_bytes("pwrite64", fd, n), -1);
    return real_pwrite64(fd, buf, n, off);
}

static size_t iov_bytes(const struct iovec *iov, int cnt)
{
    size_t n = 0;
    for (int i = 0; i < cnt; i++)
        n += iov[i].iov_len;
    return n;
}

ssize_t writev(int fd, const struct iovec *iov, int cnt)
{
    REAL(ssize_t, writev, (int, const struct iovec *, int));
    FAIL_IF(judge_bytes("writev", fd, iov_bytes(iov, cnt)), -1);
    return real_writev(fd, iov, cnt);
}

ssize_t pwritev(int fd, const struct iovec *iov, int cnt, off_t off)
{
    REAL(ssize_t, pwritev, (int, const struct iovec *, int, off_t));
    FAIL_IF(judge_bytes("pwritev", fd, iov_bytes(iov, cnt)), -1);
    return real_pwritev(fd, iov, cnt, off);
}

int ftruncate(int fd, off_t len)
{
    REAL(int, ftruncate, (int, off_t));
    FAIL_IF(judge_fd("ftruncate", fd), -1);
    return real_ftruncate(fd, len);
}

int ftruncate64(int fd, off_t len);
int ftruncate64(int fd, off_t len)
{
    REAL(int, ftruncate64, (int, off_t));
    FAIL_IF(judge_fd("ftruncate64", fd), -1);
    return real_ftruncate64(fd, len);
}

int fallocate(int fd, int mode, off_t off, off_t len)
{
    REAL(int, fallocate, (int, int, off_t, off_t));
    FAIL_IF(judge_bytes("fallocate", fd, (size_t)len), -1);
    return real_fallocate(fd, mode, off, len);
}

int fallocate64(int fd, int mode, off_t off, off_t len);
int fallocate64(int fd, int mode, off_t off, off_t len)
{
    REAL(int, fallocate64, (int, int, off_t, off_t));
    FAIL_IF(judge_bytes("fallocate64", fd, (size_t)len), -1);
    return real_fallocate64(fd, mode, off, len);
}

/* posix_fallocate returns the error instead of setting errno. */
int posix_fallocate(int fd, off_t off, off_t len)
{
    REAL(int, posix_fallocate, (int, off_t, off_t));
    int e = judge_bytes("posix_fallocate", fd, (size_t)len);
    return e ? e : real_posix_fallocate(fd, off, len);
}

int posix_fallocate64(int fd, off_t off, off_t len);
int posix_fallocate64(int fd, off_t off, off_t len)
{
    REAL(int, posix_fallocate64, (int, off_t, off_t));
    int e = judge_bytes("posix_fallocate64", fd, (size_t)len);
    return e ? e : real_posix_fallocate64(fd, off, len);
}

int fsync(int fd)
{
    REAL(int, fsync, (int));
    FAIL_IF(judge_fd("fsync", fd), -1);
    return real_fsync(fd);
}

int fdatasync(int fd)
{
    REAL(int, fdatasync, (int));
    FAIL_IF(judge_fd("fdatasync", fd), -1);
    return real_fdatasync(fd);
}

/* ---------------------------------------------------------------- names */

/* A rename or link counts when either name is under the data folder. */
static int judge_two(const char *op, int d1, const char *a, int d2, const char *b)
{
    init();
    char p[PATH_MAX], q[PATH_MAX];
    abs_path(d1, a, p);
    abs_path(d2, b, q);
    if (!under(env_data, q) && under(env_data, p))
        return judge(op, p);
    return judge(op, q);
}

int rename(const char *a, const char *b)
{
    REAL(int, rename, (const char *, const char *));
    FAIL_IF(judge_two("rename", AT_FDCWD, a, AT_FDCWD, b), -1);
    return real_rename(a, b);
}

int renameat(int d1, const char *a, int d2, const char *b)
{
    REAL(int, renameat, (int, const char *, int, const char *));
    FAIL_IF(judge_two("renameat", d1, a, d2, b), -1);
    return real_renameat(d1, a, d2, b);
}

int renameat2(int d1, const char *a, int d2, const char *b, unsigned flags)
{
    REAL(int, renameat2, (int, const char *, int, const char *, unsigned));
    FAIL_IF(judge_two("renameat2", d1, a, d2, b), -1);
    return real_renameat2(d1, a, d2, b, flags);
}

int link(const char *a, const char *b)
{
    REAL(int, link, (const char *, const char *));
    FAIL_IF(judge_two("link", AT_FDCWD, a, AT_FDCWD, b), -1);
    return real_link(a, b);
}

int linkat(int d1, const char *a, int d2, const char *b, int flags)
{
    REAL(int, linkat, (int, const char *, int, const char *, int));
    FAIL_IF(judge_two("linkat", d1, a, d2, b), -1);
    return real_linkat(d1, a, d2, b, flags);
}

/* ---------------------------------------------------------------- the stick */

static int rm_file(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    if (flag == FTW_F || flag == FTW_SL)
        syscall(SYS_unlink, p);
    return 0;
}

/* The first read of a file on the stick: the stick goes away. */
static int judge_read(int fd)
{
    init();
    if (!pull || pulled || !env_src)
        return 0;
    char p[PATH_MAX];
    fd_path(fd, p);
    if (!under(env_src, p))
        return 0;
    pulled = 1;
    if (!strcmp(pull, "eio"))
        return EIO;
    if (!strcmp(pull, "truncate")) {
        struct stat st;
        /* By name: the descriptor is read-only. */
        if (fstat(fd, &st) == 0)
            syscall(SYS_truncate, p, st.st_size / 2);
    } else if (!strcmp(pull, "delete")) {
        /* Every file on the stick: those not yet opened are gone for good
         * (this one stays readable through its descriptor, as on Linux). */
        nftw(env_src, rm_file, 16, FTW_PHYS);
    }
    return 0;
}

ssize_t read(int fd, void *buf, size_t n)
{
    REAL(ssize_t, read, (int, void *, size_t));
    FAIL_IF(judge_read(fd), -1);
    return real_read(fd, buf, n);
}
