/* stickw.c — writing to a stick through folder fds opened without following
 * links, files created exclusively and renamed within their folder (see
 * stickw.h). */
#include "sync/stickw.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/util.h"

/* Random names drawn before giving up: each try is a fresh 48-bit name,
 * so only a stick that is hostile and lucky, or broken, runs out. */
#define TMP_TRIES 16

int stickw_dir(int dfd, const char *name, bool create)
{
    if (!*name || strchr(name, '/') || !strcmp(name, ".") || !strcmp(name, "..")) {
        errno = EINVAL;
        return -1;
    }
    int fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd >= 0 || errno != ENOENT || !create)
        return fd;
    /* mkdirat never follows a link at the last component: a dangling link
     * there gives EEXIST, and the open below then refuses it. */
    if (mkdirat(dfd, name, 0755) < 0 && errno != EEXIST)
        return -1;
    return openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

int stickw_bundle_dir(const char *dest, bool create)
{
    int root = open(dest, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (root < 0 && errno == ENOENT && create && mkdir_p(dest, 0755))
        root = open(dest, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (root < 0)
        return -1;
    int fd = stickw_dir(root, "noticeboard", create);
    int e = errno;
    close(root);
    errno = e;
    return fd;
}

static bool write_all(int fd, const void *data, size_t len)
{
    const char *p = data;
    while (len) {
        ssize_t w = write(fd, p, len);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        p += w;
        len -= (size_t)w;
    }
    return true;
}

/* Writes, fsyncs and closes fd; false with errno (fd closed either way). */
static bool fill(int fd, const void *data, size_t len)
{
    bool ok = write_all(fd, data, len) && fsync(fd) == 0;
    int e = errno;
    ok = close(fd) == 0 && ok;
    if (!ok && e)
        errno = e;
    return ok;
}

bool stickw_create(int dfd, const char *name, const void *data, size_t len)
{
    int fd = openat(dfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0)
        return false;
    if (!fill(fd, data, len)) {
        int e = errno;
        unlinkat(dfd, name, 0);
        errno = e;
        return false;
    }
    return true;
}

bool stickw_replace(int dfd, const char *name, const void *data, size_t len)
{
    char *tmp = NULL;
    int fd = -1;
    for (int i = 0; i < TMP_TRIES && fd < 0; i++) {
        uint8_t r[6];
        if (getrandom(r, sizeof r, 0) != (ssize_t)sizeof r)
            return false;
        free(tmp);
        /* Not derived from name: a 255-byte name leaves no room. */
        tmp = xasprintf(".nb-%02x%02x%02x%02x%02x%02x.tmp", r[0], r[1], r[2], r[3], r[4], r[5]);
        fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
        if (fd < 0 && errno != EEXIST)
            break;
    }
    if (fd < 0) {
        int e = errno;
        free(tmp);
        errno = e;
        return false;
    }
    bool ok = fill(fd, data, len) && renameat(dfd, tmp, dfd, name) == 0;
    int e = errno;
    if (!ok)
        unlinkat(dfd, tmp, 0);
    free(tmp);
    /* The rename is durable once the folder is synced; FAT sticks may not
     * support it (EINVAL), which is no reason to call the write failed. */
    if (ok && fsync(dfd) < 0 && errno != EINVAL && errno != EROFS)
        return false;
    errno = e;
    return ok;
}

char *stickw_why(const char *what, int err)
{
    switch (err) {
    case ELOOP:
    case ENOTDIR:
    case EEXIST:
        return xasprintf("U盘上的“%s”是快捷方式（符号链接）或不是文件夹，为了安全没有写入。"
                         "请在电脑上删掉它后重试",
                         what);
    case ENOSPC:
    case EDQUOT:
        return xasprintf("写入“%s”失败：U盘已满，请删掉不用的文件后重试", what);
    case EROFS:
    case EACCES:
    case EPERM:
        return xasprintf("写入“%s”失败：U盘被写保护或没有写入权限", what);
    default:
        return xasprintf("写入“%s”失败，请检查U盘是否插好、是否已满或被写保护", what);
    }
}
