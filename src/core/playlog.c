/* playlog.c — the play log: lines held in memory, appended to the day's file
 * at most once a minute (an SD card's wear is in writes, not bytes), pruned
 * by age and size, and counted back per item for the import report. */
#include "core/playlog.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/log.h"
#include "core/util.h"
#include "core/when.h"

struct playlog {
    char *dir;
    struct sbuf buf;            /* whole lines, oldest first */
    uint64_t last_ms;
    bool started;               /* last_ms is set */
    bool failing;               /* the last append failed (logged once) */
    uint64_t bytes, writes;
};

struct playlog *playlog_open(const char *dir)
{
    struct playlog *l = xcalloc(1, sizeof *l);
    l->dir = xstrdup(dir);
    return l;
}

void playlog_close(struct playlog *l)
{
    if (!l)
        return;
    playlog_tick(l, 0, true);
    sbuf_free(&l->buf);
    free(l->dir);
    free(l);
}

/* s on one field: tabs, line breaks and other controls as spaces, cut at
 * max bytes on a character boundary (the feed holds valid UTF-8). */
static void add_field(struct sbuf *b, const char *s, size_t max)
{
    if (!s || !*s) {
        sbuf_addc(b, '-');
        return;
    }
    size_t n = strlen(s);
    if (n > max) {
        n = max;
        while (n && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        sbuf_addc(b, c < 0x20 || c == 0x7F ? ' ' : (char)c);
    }
}

/* Keeps the held lines under PLAYLOG_BUF_MAX by dropping the oldest. */
static void bound(struct playlog *l)
{
    if (l->buf.len <= PLAYLOG_BUF_MAX)
        return;
    size_t cut = l->buf.len - PLAYLOG_BUF_MAX / 2;
    const char *nl = memchr(l->buf.s + cut, '\n', l->buf.len - cut);
    cut = nl ? (size_t)(nl - l->buf.s) + 1 : l->buf.len;
    memmove(l->buf.s, l->buf.s + cut, l->buf.len - cut);
    l->buf.len -= cut;
    l->buf.s[l->buf.len] = '\0';
    log_warn("play log: %s cannot be written, older lines dropped", l->dir);
}

void playlog_add(struct playlog *l, int64_t minute, int sec, const char *kind, const char *id,
                 size_t page, const char *title)
{
    char when[17];
    when_format(minute, when);
    sbuf_addf(&l->buf, "%s:%02d\t%s\t", when, sec, kind);
    add_field(&l->buf, id, PLAYLOG_TITLE_MAX);
    sbuf_addf(&l->buf, "\t%zu\t", page + 1);
    add_field(&l->buf, title, PLAYLOG_TITLE_MAX);
    sbuf_addc(&l->buf, '\n');
    bound(l);
}

/* Appends data (whole lines of one day) to DIR/DAY.tsv in one write.  A
 * file that does not end in a line break (cut by a crash) gets one first,
 * so the cut line stays alone and the reader skips just it.  Returns the
 * bytes taken from data (all of it, or what a short write took), or -1. */
static ssize_t append(struct playlog *l, const char *day, const char *data, size_t len)
{
    char *path = xasprintf("%s/%.10s.tsv", l->dir, day);
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0 && errno == ENOENT && mkdir_p(l->dir, 0755))
        fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    ssize_t n = -1;
    if (fd >= 0) {
        struct stat st;
        char last = '\n';
        int rfd = open(path, O_RDONLY | O_CLOEXEC);
        if (rfd >= 0 && fstat(rfd, &st) == 0 && st.st_size > 0 &&
            pread(rfd, &last, 1, st.st_size - 1) != 1)
            last = '\n';
        if (rfd >= 0)
            close(rfd);
        if (last != '\n') {
            char *v = xmalloc(len + 1);
            v[0] = '\n';
            memcpy(v + 1, data, len);
            n = write(fd, v, len + 1);
            free(v);
            n = n > 0 ? n - 1 : n;
        } else {
            n = write(fd, data, len);
        }
        if (n >= 0) {
            l->bytes += (uint64_t)n + (last != '\n');
            l->writes++;
        }
        if (close(fd) != 0 && n >= 0)
            n = -1;
    }
    if (n < 0) {
        if (!l->failing)
            log_errno("play log: cannot append to %s (keeping the lines)", path);
        l->failing = true;
    } else if (l->failing) {
        log_info("play log: %s written again", path);
        l->failing = false;
    }
    free(path);
    return n;
}

bool playlog_tick(struct playlog *l, uint64_t mono_ms, bool force)
{
    if (!force) {
        if (!l->started) {
            l->started = true;
            l->last_ms = mono_ms;
            return true;
        }
        if (mono_ms - l->last_ms < PLAYLOG_FLUSH_MS)
            return true;
        l->last_ms = mono_ms;
    }
    /* Runs of lines of the same day, one write each (a flush around
     * midnight, or after the clock jumped back, makes two). */
    size_t done = 0;
    bool ok = true;
    while (ok && done < l->buf.len) {
        const char *run = l->buf.s + done;
        size_t end = done;
        while (end < l->buf.len && memcmp(l->buf.s + end, run, 10) == 0) {
            const char *nl = memchr(l->buf.s + end, '\n', l->buf.len - end);
            end = nl ? (size_t)(nl - l->buf.s) + 1 : l->buf.len;
        }
        size_t want = end - done;
        ssize_t n = append(l, run, run, want);
        if (n < 0) {
            ok = false;
            break;
        }
        done += (size_t)n;
        if ((size_t)n < want) {
            /* Short write: the line it cut is lost (the next append starts
             * on a new line), the rest is kept for the next try. */
            const char *nl = memchr(l->buf.s + done, '\n', l->buf.len - done);
            done = nl ? (size_t)(nl - l->buf.s) + 1 : l->buf.len;
            ok = false;
        }
    }
    if (done) {
        memmove(l->buf.s, l->buf.s + done, l->buf.len - done);
        l->buf.len -= done;
        l->buf.s[l->buf.len] = '\0';
    }
    return ok;
}

void playlog_stats(const struct playlog *l, uint64_t *bytes, uint64_t *writes)
{
    *bytes = l->bytes;
    *writes = l->writes;
}

/* ---------------------------------------------------------------- files */

/* The day of a file named YYYY-MM-DD.tsv, else false. */
static bool day_file(const char *name, int64_t *day)
{
    char d[11];
    if (strlen(name) != 14 || strcmp(name + 10, ".tsv"))
        return false;
    memcpy(d, name, 10);
    d[10] = '\0';
    return when_read_date(d, day);
}

struct dayfile {
    int64_t day;
    off_t size;
    char *path;
};

static int by_day(const void *a, const void *b)
{
    const struct dayfile *x = a, *y = b;
    return x->day < y->day ? -1 : x->day > y->day;
}

/* The day files of dir, oldest first; NULL with *n 0 when none or absent,
 * *ok false when dir cannot be read. */
static struct dayfile *list_days(const char *dir, size_t *n, bool *ok)
{
    *n = 0;
    *ok = true;
    DIR *d = opendir(dir);
    if (!d) {
        if (errno != ENOENT) {
            log_errno("play log: cannot read %s", dir);
            *ok = false;
        }
        return NULL;
    }
    struct dayfile *v = NULL;
    size_t cap = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        int64_t day;
        struct stat st;
        if (!day_file(de->d_name, &day))
            continue;
        char *p = xasprintf("%s/%s", dir, de->d_name);
        if (lstat(p, &st) != 0 || !S_ISREG(st.st_mode)) {
            free(p);
            continue;
        }
        xgrow(&v, &cap, *n + 1, sizeof *v);
        v[(*n)++] = (struct dayfile){day, st.st_size, p};
    }
    closedir(d);
    if (*n)
        qsort(v, *n, sizeof *v, by_day);
    return v;
}

static void free_days(struct dayfile *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i].path);
    free(v);
}

size_t playlog_prune(const char *dir, int64_t today)
{
    size_t n, removed = 0;
    bool ok;
    struct dayfile *v = list_days(dir, &n, &ok);
    uint64_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += (uint64_t)v[i].size;
    for (size_t i = 0; i < n && v[i].day < today; i++) {
        if (v[i].day >= today - PLAYLOG_KEEP_DAYS && total <= PLAYLOG_MAX_BYTES)
            break;
        if (unlink(v[i].path) == 0) {
            removed++;
            total -= (uint64_t)v[i].size;
        } else {
            log_errno("play log: cannot remove %s", v[i].path);
        }
    }
    if (removed)
        log_info("play log: removed %zu old day files from %s", removed, dir);
    free_days(v, n);
    return removed;
}

/* ---------------------------------------------------------------- reading */

struct table {
    size_t *slot;               /* item index + 1, 0 empty */
    size_t nslot;
    size_t cap;
};

static uint64_t hash(const char *k, const char *i, const char *t)
{
    uint64_t h = 1469598103934665603u;
    for (const char *s[3] = {k, i, t}, **p = s; p < s + 3; p++) {
        for (const unsigned char *c = (const unsigned char *)*p; *c; c++)
            h = (h ^ *c) * 1099511628211u;
        h = (h ^ 0xFF) * 1099511628211u;
    }
    return h;
}

static struct playlog_item *item_for(struct playlog_tally *t, struct table *tb, const char *kind,
                                     const char *id, const char *title)
{
    if ((t->n + 1) * 2 > tb->nslot) {
        size_t ns = tb->nslot ? tb->nslot * 2 : 64;
        free(tb->slot);
        tb->slot = xcalloc(ns, sizeof *tb->slot);
        tb->nslot = ns;
        for (size_t j = 0; j < t->n; j++) {
            struct playlog_item *it = &t->items[j];
            size_t h = hash(it->kind, it->id, it->title) & (ns - 1);
            while (tb->slot[h])
                h = (h + 1) & (ns - 1);
            tb->slot[h] = j + 1;
        }
    }
    size_t h = hash(kind, id, title) & (tb->nslot - 1);
    while (tb->slot[h]) {
        struct playlog_item *it = &t->items[tb->slot[h] - 1];
        if (!strcmp(it->kind, kind) && !strcmp(it->id, id) && !strcmp(it->title, title))
            return it;
        h = (h + 1) & (tb->nslot - 1);
    }
    xgrow(&t->items, &tb->cap, t->n + 1, sizeof *t->items);
    t->items[t->n] = (struct playlog_item){xstrdup(kind), xstrdup(id), xstrdup(title), 0, 0};
    tb->slot[h] = ++t->n;
    return &t->items[t->n - 1];
}

static bool known_kind(const char *k)
{
    static const char *const kinds[] = {"urgent", "announcement", "events", "honors", "idle"};
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
        if (!strcmp(k, kinds[i]))
            return true;
    return false;
}

/* One line (NUL-terminated, without its line break); false when it is not
 * a line the writer writes. */
static bool parse_line(char *s, int64_t *minute, char **f)
{
    if (strlen(s) < 20 || s[16] != ':' || s[19] != '\t')
        return false;
    s[16] = '\0';
    s[19] = '\0';
    if (!when_read_moment(s, minute) || s[17] < '0' || s[17] > '5' || s[18] < '0' || s[18] > '9')
        return false;
    char *p = s + 20;
    for (int i = 0; i < 4; i++) {
        f[i] = p;
        p = strchr(p, '\t');
        if (i < 3 && !p)
            return false;
        if (p)
            *p++ = '\0';
        else
            break;
    }
    if (p)
        return false;   /* a fifth tab: not ours */
    char *end;
    errno = 0;
    unsigned long page = strtoul(f[2], &end, 10);
    return known_kind(f[0]) && *f[1] && *f[3] && f[2][0] >= '1' && f[2][0] <= '9' && !*end &&
           page >= 1 && !errno;
}

static int most_shown(const void *a, const void *b)
{
    const struct playlog_item *x = a, *y = b;
    if (x->shown != y->shown)
        return x->shown > y->shown ? -1 : 1;
    int c = strcmp(x->kind, y->kind);
    return c ? c : strcmp(x->title, y->title);
}

bool playlog_read(const char *dir, int64_t from, int64_t to, struct playlog_tally *t)
{
    memset(t, 0, sizeof *t);
    size_t n;
    bool ok;
    struct dayfile *v = list_days(dir, &n, &ok);
    struct table tb = {0};
    for (size_t i = 0; i < n; i++) {
        if (v[i].day < from || v[i].day > to)
            continue;
        size_t len;
        char *data = read_file(v[i].path, 256u << 20, &len);
        if (!data) {
            log_errno("play log: cannot read %s", v[i].path);
            continue;
        }
        for (char *line = data, *next; line < data + len; line = next) {
            char *nl = memchr(line, '\n', (size_t)(data + len - line));
            next = nl ? nl + 1 : data + len;
            if (!nl)
                break;          /* cut by a crash */
            *nl = '\0';
            int64_t m;
            char *f[4];
            if (!parse_line(line, &m, f) || m / WHEN_MIN_PER_DAY < from ||
                m / WHEN_MIN_PER_DAY > to)
                continue;
            t->lines++;
            if (!t->first || m < t->first)
                t->first = m;
            if (m > t->last)
                t->last = m;
            if (strcmp(f[2], "1"))
                continue;
            struct playlog_item *it = item_for(t, &tb, f[0], f[1], f[3]);
            it->shown++;
            if (m > it->last)
                it->last = m;
        }
        free(data);
    }
    free(tb.slot);
    free_days(v, n);
    if (t->n)
        qsort(t->items, t->n, sizeof *t->items, most_shown);
    return ok;
}

void playlog_tally_free(struct playlog_tally *t)
{
    for (size_t i = 0; i < t->n; i++) {
        free(t->items[i].kind);
        free(t->items[i].id);
        free(t->items[i].title);
    }
    free(t->items);
    memset(t, 0, sizeof *t);
}
