/* fontfile.c — a font file read through a small block cache.
 *
 * SDL_ttf hands FreeType an SDL_RWops, and FreeType reads a CFF font such
 * as Noto Sans CJK in small pieces: for every glyph two offsets of three
 * bytes, then the charstring, each piece a seek and a read.  From SDL's
 * stdio file that was 16,500 lseek and 6,300 read calls before the first
 * frame.  Here a seek only moves a position and reads come from 4 KB
 * blocks kept in a direct-mapped cache (pread on a miss): the offset tables
 * and the subroutines every glyph calls stay in it.  A mapping of the file
 * would need no copies, but every page of it FreeType touches then counts
 * towards the player's memory (+13 MB with the Noto collection). */
#include "player/fontfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define BLOCK 4096
#define SLOTS 128           /* 512 KB per open font, filled as it is used */

struct fontfile {
    int fd;
    Sint64 size, pos;
    Sint64 block[SLOTS];    /* block number held, -1 for none */
    int len[SLOTS];         /* bytes valid (short at the end of the file) */
    unsigned char data[SLOTS][BLOCK];
};

static struct fontfile *ff(SDL_RWops *rw)
{
    return rw->hidden.unknown.data1;
}

static Sint64 ff_size(SDL_RWops *rw)
{
    return ff(rw)->size;
}

static Sint64 ff_seek(SDL_RWops *rw, Sint64 offset, int whence)
{
    struct fontfile *f = ff(rw);
    Sint64 base = whence == RW_SEEK_SET ? 0 : whence == RW_SEEK_CUR ? f->pos
                : whence == RW_SEEK_END ? f->size
                                        : -1;
    if (base < 0)
        return SDL_SetError("fontfile: bad whence %d", whence);
    if (offset < -base || offset > INT64_MAX - base)
        return SDL_SetError("fontfile: seek out of range");
    f->pos = base + offset;
    return f->pos;
}

/* The slot holding block b, read on a miss; -1 on a read error. */
static int slot_for(struct fontfile *f, Sint64 b)
{
    int s = (int)(b % SLOTS);
    if (f->block[s] == b)
        return s;
    ssize_t n;
    do
        n = pread(f->fd, f->data[s], BLOCK, (off_t)(b * BLOCK));
    while (n < 0 && errno == EINTR);
    if (n <= 0) {
        f->block[s] = -1;
        SDL_SetError("fontfile: read failed: %s", n < 0 ? strerror(errno) : "end of file");
        return -1;
    }
    f->block[s] = b;
    f->len[s] = (int)n;
    return s;
}

static size_t ff_read(SDL_RWops *rw, void *ptr, size_t size, size_t maxnum)
{
    struct fontfile *f = ff(rw);
    if (size == 0 || maxnum == 0 || f->pos >= f->size)
        return 0;
    size_t want = maxnum > (size_t)(f->size - f->pos) / size ? (size_t)(f->size - f->pos) / size
                                                              : maxnum;
    size_t left = want * size, done = 0;
    unsigned char *out = ptr;
    while (left > 0) {
        Sint64 at = f->pos + (Sint64)done;
        int s = slot_for(f, at / BLOCK);
        if (s < 0)
            break;
        int off = (int)(at % BLOCK);
        if (off >= f->len[s])
            break;      /* the file shrank under us */
        size_t n = (size_t)(f->len[s] - off);
        if (n > left)
            n = left;
        memcpy(out + done, f->data[s] + off, n);
        done += n;
        left -= n;
    }
    f->pos += (Sint64)(done / size * size);
    return done / size;
}

static size_t ff_write(SDL_RWops *rw, const void *ptr, size_t size, size_t num)
{
    SDL_SetError("fontfile: read-only");
    return 0;
}

static int ff_close(SDL_RWops *rw)
{
    struct fontfile *f = ff(rw);
    if (f) {
        close(f->fd);
        free(f);
    }
    SDL_FreeRW(rw);
    return 0;
}

SDL_RWops *fontfile_open(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        SDL_SetError("cannot open %s: %s", path, strerror(errno));
        return NULL;
    }
    struct stat st;
    struct fontfile *f = NULL;
    SDL_RWops *rw = NULL;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        SDL_SetError("%s: not a regular file", path);
        goto fail;
    }
    f = malloc(sizeof *f);
    rw = f ? SDL_AllocRW() : NULL;
    if (!rw) {
        SDL_OutOfMemory();
        goto fail;
    }
    f->fd = fd;
    f->size = st.st_size;
    f->pos = 0;
    for (int i = 0; i < SLOTS; i++)
        f->block[i] = -1;
    rw->size = ff_size;
    rw->seek = ff_seek;
    rw->read = ff_read;
    rw->write = ff_write;
    rw->close = ff_close;
    rw->type = SDL_RWOPS_UNKNOWN;
    rw->hidden.unknown.data1 = f;
    return rw;
fail:
    free(f);
    close(fd);
    return NULL;
}
