/* posters.c — the 海报 folder's names, order and rows (posters.h): pure
 * string work, so the importer and the stager agree and tests reach it
 * without a stick. */
#include "sync/posters.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/util.h"
#include "core/when.h"

/* The length of a space (ASCII or U+3000 全角) at s, or 0. */
static size_t space_at(const char *s, size_t n)
{
    if (n >= 1 && s[0] == ' ')
        return 1;
    if (n >= 3 && !memcmp(s, "\xE3\x80\x80", 3))
        return 3;
    return 0;
}

/* The name with its surrounding spaces trimmed: [*start, *start + *len). */
static void trim(const char *s, size_t n, size_t *start, size_t *len)
{
    size_t a = 0, b = n, l;
    while (a < b && (l = space_at(s + a, b - a)))
        a += l;
    for (bool again = true; again && b > a;) {
        again = false;
        if (s[b - 1] == ' ') {
            b--;
            again = true;
        } else if (b - a >= 3 && !memcmp(s + b - 3, "\xE3\x80\x80", 3)) {
            b -= 3;
            again = true;
        }
    }
    *start = a;
    *len = b - a;
}

static bool folder_name_n(const char *name, size_t n)
{
    size_t a, l;
    trim(name, n, &a, &l);
    static const char trad[] = "海報";     /* typed on a traditional-Chinese PC */
    return (l == strlen(POSTERS_DIR) && !memcmp(name + a, POSTERS_DIR, l)) ||
           (l == strlen(trad) && !memcmp(name + a, trad, l)) ||
           (l == 7 && !strncasecmp(name + a, "posters", 7));
}

bool posters_folder_name(const char *name)
{
    return folder_name_n(name, strlen(name));
}

bool posters_path(const char *path)
{
    const char *slash = strchr(path, '/');
    return slash && slash[1] && !strchr(slash + 1, '/') &&
           folder_name_n(path, (size_t)(slash - path));
}

enum posters_file posters_file_kind(const char *name)
{
    if (name[0] == '.' || !strcasecmp(name, "Thumbs.db") || !strcasecmp(name, "desktop.ini"))
        return POSTERS_QUIET;
    const char *dot = strrchr(name, '.');
    if (!dot || dot == name)
        return POSTERS_OTHER;
    if (!strcasecmp(dot, ".jpg") || !strcasecmp(dot, ".jpeg") || !strcasecmp(dot, ".png"))
        return POSTERS_IMAGE;
    if (!strcasecmp(dot, ".pdf"))
        return POSTERS_PDF;
    return POSTERS_OTHER;
}

/* The digit at s (ASCII or 全角 ０-９) with its length in *len, or -1. */
static int digit_at(const unsigned char *s, size_t *len)
{
    if (*s >= '0' && *s <= '9') {
        *len = 1;
        return *s - '0';
    }
    if (s[0] == 0xEF && s[1] == 0xBC && s[2] >= 0x90 && s[2] <= 0x99) {
        *len = 3;
        return s[2] - 0x90;
    }
    return -1;
}

/* Reads a run of digits at *s into out (leading zeros dropped, at most
 * cap digits kept: longer runs compare by length first anyway). */
static size_t digit_run(const unsigned char **s, char *out, size_t cap, size_t *ndigits)
{
    size_t n = 0, all = 0, l;
    int d;
    while ((d = digit_at(*s, &l)) >= 0) {
        if (n || d) {
            if (n < cap)
                out[n] = (char)('0' + d);
            n++;
        }
        all++;
        *s += l;
    }
    *ndigits = all;
    return n;
}

int posters_name_cmp(const char *a, const char *b)
{
    const unsigned char *p = (const unsigned char *)a, *q = (const unsigned char *)b;
    while (*p && *q) {
        size_t lp, lq;
        if (digit_at(p, &lp) >= 0 && digit_at(q, &lq) >= 0) {
            char dp[64], dq[64];
            size_t np, nq, allp, allq;
            np = digit_run(&p, dp, sizeof dp, &allp);
            nq = digit_run(&q, dq, sizeof dq, &allq);
            if (np != nq)
                return np < nq ? -1 : 1;
            size_t m = np < sizeof dp ? np : sizeof dp;
            int c = memcmp(dp, dq, m);
            if (c)
                return c;
            continue;
        }
        int cp = *p >= 'A' && *p <= 'Z' ? *p + 32 : *p;
        int cq = *q >= 'A' && *q <= 'Z' ? *q + 32 : *q;
        if (cp != cq)
            return cp < cq ? -1 : 1;
        p++, q++;
    }
    if (*p || *q)
        return *p ? 1 : -1;
    return strcmp(a, b);
}

static int cmp_names(const void *a, const void *b)
{
    return posters_name_cmp(*(char *const *)a, *(char *const *)b);
}

void posters_sort(char **names, size_t n)
{
    if (n > 1)
        qsort(names, n, sizeof *names, cmp_names);
}

/* The defaults an empty cell gives (cells.c): always, every day, all day,
 * when_parse_duration("") seconds, 普通. */
void posters_row(struct nb_announcement *a, const char *image)
{
    int duration = 10;
    when_parse_duration("", &duration);
    *a = (struct nb_announcement){
        .title = xstrdup(""), .body = xstrdup(""), .image = xstrdup(image),
        .start = WHEN_ALWAYS, .end = WHEN_NEVER, .days = DAYS_ALL, .nhours = 0,
        .duration = duration, .priority = PRIO_NORMAL, .qr = xstrdup(""), .countdown = 0};
}

bool posters_is_plain(const struct nb_announcement *a)
{
    struct nb_announcement d;
    posters_row(&d, "");
    bool plain = a->image && *a->image && !*a->title && !*a->body && (!a->qr || !*a->qr) &&
                 a->start == d.start && a->end == d.end && a->days == d.days && !a->nhours &&
                 a->duration == d.duration && a->priority == d.priority && !a->countdown;
    free(d.title), free(d.body), free(d.image), free(d.qr);
    return plain;
}
