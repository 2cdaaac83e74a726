/* util.h — allocation that aborts on failure, a growable string buffer,
 * UTF-8 helpers.  Allocation failure is a bug-class event on a lobby box:
 * we abort and systemd restarts us (as Redis zmalloc, foot xmalloc). */
#pragma once
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define NB_PRINTF(f, a) __attribute__((format(printf, f, a)))

void *xmalloc(size_t n);
/* Registers fn to run once when an x-allocation fails, just before the
 * abort: the sync tool removes its staging folder, so an import that runs
 * out of memory leaves nothing behind.  fn must not allocate with the x
 * functions (it runs when memory is short); NULL unregisters. */
void xmalloc_on_failure(void (*fn)(void));
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
/* Grows *p (an array of *cap elements of size `size`) so that it holds at
 * least `need` elements.  Doubles; aborts on overflow. */
void xgrow(void *pp, size_t *cap, size_t need, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) NB_PRINTF(1, 2);
/* Formats a reason into *why (malloc'd; nothing when why is NULL) and
 * returns false, for `return set_why(why, "...", ...);`. */
bool set_why(char **why, const char *fmt, ...) NB_PRINTF(2, 3);
/* The value of one hexadecimal digit, or -1. */
int hex_digit(char c);

/* A growable, always NUL-terminated byte string.  Zero-initialise to use. */
struct sbuf {
    char *s;
    size_t len, cap;
};
void sbuf_add(struct sbuf *b, const char *s, size_t n);
void sbuf_adds(struct sbuf *b, const char *s);
void sbuf_addc(struct sbuf *b, char c);
void sbuf_addf(struct sbuf *b, const char *fmt, ...) NB_PRINTF(2, 3);
void sbuf_vaddf(struct sbuf *b, const char *fmt, va_list ap);
/* Hands the string to the caller (never NULL) and resets the buffer. */
char *sbuf_take(struct sbuf *b);
void sbuf_free(struct sbuf *b);

/* Decodes one code point at s (n bytes available).  Returns its length in
 * bytes (1..4), or 0 when the sequence is invalid, overlong, a surrogate or
 * truncated. */
size_t utf8_decode(const char *s, size_t n, uint32_t *cp);
/* Appends the UTF-8 form of cp (must be a valid scalar value). */
void utf8_encode(struct sbuf *b, uint32_t cp);
/* true when s[0..n) is valid UTF-8.  On false, *bad (optional) gets the
 * byte offset of the first invalid sequence. */
bool utf8_valid(const char *s, size_t n, size_t *bad);
/* true when s[0..n) is valid UTF-8 without NUL or any control character
 * (C0, DEL, C1), but "\n" where newlines is true: text the board may show
 * and print.  On false, *bad (optional) gets the offset of the first bad
 * character. */
bool utf8_printable(const char *s, size_t n, bool newlines, size_t *bad);
/* Number of code points in a valid UTF-8 string. */
size_t utf8_len(const char *s);
/* Appends s for one line of a terminal or a tab-separated field: TAB, CR
 * and LF become a space; other control characters (C0, DEL, C1) and bytes
 * that are not UTF-8 become U+FFFD, so no escape sequence reaches the
 * terminal whatever a feed holds. */
void sbuf_add_line(struct sbuf *b, const char *s);

/* Whole-file helpers.  read_file returns a NUL-terminated malloc'd buffer
 * or NULL with errno set; it refuses files larger than max bytes (EFBIG). */
char *read_file(const char *path, size_t max, size_t *len);
/* Writes data to path atomically: path.tmp, fsync, rename, fsync(dir). */
bool write_file_atomic(const char *path, const void *data, size_t len);
/* fsync of the directory holding path (or of path itself if it is a dir). */
bool fsync_dir(const char *dir);
/* mkdir -p with mode; true if the directory exists afterwards. */
bool mkdir_p(const char *path, unsigned mode);
/* Run as root, gives path (not following a symlink) to the owner of the
 * directory `like` when that is another user, so what root makes in a
 * service user's folder stays that user's; otherwise does nothing.  A
 * failure is logged. */
void chown_like(const char *path, const char *like);
