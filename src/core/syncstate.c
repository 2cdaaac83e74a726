/* syncstate.c — writing and strictly reading the sync state file,
 * STORE_LAST_SYNC in the data folder, the one message the sync tool leaves
 * the player.
 *
 * The file is UTF-8 text, "\n" after every line:
 *
 *   ok                          busy PCT | ok | fail  (`status` prints it)
 *   更新成功：12条公告、…       the summary for staff, one line
 *   result: ok                  then "key: value" lines, each key once:
 *   announcements: 12           result always; stage when busy; the four
 *   events: 3                   counts for ok, ok-warnings and checked;
 *   honors: 4                   warnings and problems unless busy
 *   ticker: 2
 *   warnings: 0
 *   problems: 0
 *   report: read-only           only when the report could not be written
 *                               to the stick (not for busy): read-only,
 *                               full or failed
 *
 * Any other content, or keys that do not go with the result, read as no
 * news.  The first two lines are what the player read before there was more. */
#include "core/syncstate.h"

#include <assert.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/content.h"
#include "core/log.h"
#include "core/store.h"
#include "core/util.h"

#define FILE_MAX 4096
#define COUNT_MAX 999999999u

static const char *const result_names[] = {
    [SYNCSTATE_BUSY] = "busy",
    [SYNCSTATE_OK] = "ok",
    [SYNCSTATE_OK_WARNINGS] = "ok-warnings",
    [SYNCSTATE_CHECKED] = "checked",
    [SYNCSTATE_REJECTED] = "rejected",
    [SYNCSTATE_NOT_AUTHORISED] = "not-authorised",
    [SYNCSTATE_IO_ERROR] = "io-error",
};

static const char *const report_names[] = {
    [SYNCSTATE_REPORT_SAVED] = "saved",
    [SYNCSTATE_REPORT_READ_ONLY] = "read-only",
    [SYNCSTATE_REPORT_FULL] = "full",
    [SYNCSTATE_REPORT_FAILED] = "failed",
};

static const char *const stage_names[] = {
    [SYNCSTATE_STAGE_NONE] = "none",
    [SYNCSTATE_STAGE_AUTHORISE] = "authorise",
    [SYNCSTATE_STAGE_COPY] = "copy",
    [SYNCSTATE_STAGE_CHECK] = "check",
    [SYNCSTATE_STAGE_IMAGES] = "images",
    [SYNCSTATE_STAGE_BUILD] = "build",
    [SYNCSTATE_STAGE_ACTIVATE] = "activate",
    [SYNCSTATE_STAGE_DONE] = "done",
};

const char *syncstate_result_name(enum syncstate_result r)
{
    assert((size_t)r < ARRAY_LEN(result_names));
    return result_names[r];
}

const char *syncstate_report_name(enum syncstate_report r)
{
    assert((size_t)r < ARRAY_LEN(report_names));
    return report_names[r];
}

const char *syncstate_report_cn(enum syncstate_report r)
{
    switch (r) {
    case SYNCSTATE_REPORT_READ_ONLY: return "U盘不能写入（可能打开了写保护开关）";
    case SYNCSTATE_REPORT_FULL: return "U盘已满";
    case SYNCSTATE_REPORT_FAILED: return "写入U盘时出错";
    case SYNCSTATE_REPORT_SAVED: break;
    }
    return NULL;
}

const char *syncstate_report_todo_cn(enum syncstate_report r)
{
    switch (r) {
    case SYNCSTATE_REPORT_READ_ONLY: return "请检查U盘的写保护开关";
    case SYNCSTATE_REPORT_FULL: return "请删掉U盘上不用的文件";
    case SYNCSTATE_REPORT_FAILED: return "请检查U盘是否插好";
    case SYNCSTATE_REPORT_SAVED: break;
    }
    return NULL;
}

enum syncstate_report syncstate_report_of_errno(int err)
{
    switch (err) {
    case EROFS:
    case EACCES:
    case EPERM: return SYNCSTATE_REPORT_READ_ONLY;
    case ENOSPC:
    case EDQUOT: return SYNCSTATE_REPORT_FULL;
    default: return SYNCSTATE_REPORT_FAILED;
    }
}

const char *syncstate_stage_name(enum syncstate_stage s)
{
    assert((size_t)s < ARRAY_LEN(stage_names));
    return stage_names[s];
}

const char *syncstate_stage_cn(enum syncstate_stage s)
{
    switch (s) {
    case SYNCSTATE_STAGE_AUTHORISE: return "正在检查授权";
    case SYNCSTATE_STAGE_COPY: return "正在复制U盘上的文件";
    case SYNCSTATE_STAGE_CHECK: return "正在检查内容";
    case SYNCSTATE_STAGE_IMAGES: return "正在处理图片";
    case SYNCSTATE_STAGE_BUILD: return "正在生成新内容";
    case SYNCSTATE_STAGE_ACTIVATE: return "正在启用新内容";
    case SYNCSTATE_STAGE_DONE: return "马上就好";
    case SYNCSTATE_STAGE_NONE: break;
    }
    return "正在更新";
}

static bool is_success(enum syncstate_result r)
{
    return r == SYNCSTATE_OK || r == SYNCSTATE_OK_WARNINGS || r == SYNCSTATE_CHECKED;
}

void syncstate_word(const struct syncstate *st, char buf[16])
{
    if (st->result == SYNCSTATE_BUSY)
        snprintf(buf, 16, "busy %d", st->percent);
    else
        snprintf(buf, 16, "%s", is_success(st->result) ? "ok" : "fail");
}

void syncstate_set_counts(struct syncstate *st, const struct feed_content *c)
{
    st->announcements = c ? c->nann : 0;
    st->events = c ? c->nevents : 0;
    st->ticker = c ? c->nticker : 0;
    st->honors = 0;
    for (size_t i = 0; c && i < c->nrolls; i++)
        st->honors += c->rolls[i].nentries;
}

void syncstate_set_summary(struct syncstate *st, const char *text)
{
    size_t n = strlen(text), o = 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t k = utf8_decode(text + i, n - i, &cp);
        const char *put = text + i;
        size_t len = k;
        if (k == 0) {
            put = "\xEF\xBF\xBD";       /* U+FFFD */
            len = 3;
            k = 1;
        } else if (cp < 0x20 || cp == 0x7f) {
            put = " ";
            len = 1;
        }
        if (o + len >= sizeof st->summary)
            break;
        memcpy(st->summary + o, put, len);
        o += len;
        i += k;
    }
    st->summary[o] = '\0';
}

/* The invariants both the writer (assert) and the reader (refuse) hold. */
static bool consistent(const struct syncstate *st)
{
    if ((size_t)st->result >= ARRAY_LEN(result_names) ||
        (size_t)st->stage >= ARRAY_LEN(stage_names) ||
        (size_t)st->report >= ARRAY_LEN(report_names))
        return false;
    bool busy = st->result == SYNCSTATE_BUSY;
    if (busy && st->report != SYNCSTATE_REPORT_SAVED)
        return false;
    if (busy != (st->stage != SYNCSTATE_STAGE_NONE))
        return false;
    if (busy ? st->percent < 0 || st->percent > 100 : st->percent != 0)
        return false;
    bool counts = st->announcements || st->events || st->honors || st->ticker;
    if (counts && !is_success(st->result))
        return false;
    if (busy && (st->warnings || st->problems))
        return false;
    if (is_success(st->result) && st->problems)
        return false;
    if (st->result == SYNCSTATE_OK && st->warnings)
        return false;
    if (st->result == SYNCSTATE_OK_WARNINGS && !st->warnings)
        return false;
    size_t n = strnlen(st->summary, sizeof st->summary);
    if (n == sizeof st->summary || !utf8_valid(st->summary, n, NULL))
        return false;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)st->summary[i] < 0x20 || st->summary[i] == 0x7f)
            return false;
    return true;
}

/* The key lines a result carries, in the order written. */
enum key {
    K_RESULT, K_STAGE, K_ANN, K_EVENTS, K_HONORS, K_TICKER, K_WARNINGS, K_PROBLEMS, K_REPORT, K_N
};
static const char *const key_names[K_N] = {
    "result", "stage", "announcements", "events", "honors", "ticker", "warnings", "problems",
    "report",
};

/* report is written only when the report is not saved ("saved" is never
 * written: the files of before stay what they were). */
static unsigned keys_for(enum syncstate_result r, enum syncstate_report rep)
{
    unsigned k = 1u << K_RESULT;
    if (r == SYNCSTATE_BUSY)
        return k | 1u << K_STAGE;
    if (is_success(r))
        k |= 1u << K_ANN | 1u << K_EVENTS | 1u << K_HONORS | 1u << K_TICKER;
    if (rep != SYNCSTATE_REPORT_SAVED)
        k |= 1u << K_REPORT;
    return k | 1u << K_WARNINGS | 1u << K_PROBLEMS;
}

bool syncstate_write(const struct store *s, const struct syncstate *st)
{
    assert(consistent(st));
    char word[16];
    syncstate_word(st, word);
    struct sbuf b = {0};
    sbuf_addf(&b, "%s\n%s\n", word, st->summary);
    const size_t *counts[K_N] = {
        [K_ANN] = &st->announcements, [K_EVENTS] = &st->events, [K_HONORS] = &st->honors,
        [K_TICKER] = &st->ticker, [K_WARNINGS] = &st->warnings, [K_PROBLEMS] = &st->problems,
    };
    unsigned keys = keys_for(st->result, st->report);
    for (int k = 0; k < K_N; k++) {
        if (!(keys & 1u << k))
            continue;
        if (k == K_RESULT)
            sbuf_addf(&b, "result: %s\n", syncstate_result_name(st->result));
        else if (k == K_STAGE)
            sbuf_addf(&b, "stage: %s\n", syncstate_stage_name(st->stage));
        else if (k == K_REPORT)
            sbuf_addf(&b, "report: %s\n", syncstate_report_name(st->report));
        else    /* a count beyond the reader's range reads as the range's end */
            sbuf_addf(&b, "%s: %zu\n", key_names[k],
                      *counts[k] > COUNT_MAX ? (size_t)COUNT_MAX : *counts[k]);
    }
    char *text = sbuf_take(&b);
    bool ok = store_state_write(s, STORE_LAST_SYNC, text);
    free(text);
    return ok;
}

/* ---------------------------------------------------------------- reading */

/* A decimal number without sign or leading zeros, at most max. */
static bool parse_count(const char *s, size_t n, size_t max, size_t *out)
{
    if (n == 0 || n > 9 || (n > 1 && s[0] == '0'))
        return false;
    size_t v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (size_t)(s[i] - '0');
    }
    if (v > max)
        return false;
    *out = v;
    return true;
}

/* Index of name (n bytes) in names[0..count), or -1. */
static int lookup(const char *const *names, size_t count, const char *s, size_t n)
{
    for (size_t i = 0; i < count; i++)
        if (strlen(names[i]) == n && !memcmp(names[i], s, n))
            return (int)i;
    return -1;
}

/* One "key: value" line into st; *seen collects the keys. */
static bool parse_key(const char *s, size_t n, struct syncstate *st, unsigned *seen)
{
    const char *colon = memchr(s, ':', n);
    if (!colon || colon + 1 >= s + n || colon[1] != ' ')
        return false;
    int k = lookup(key_names, K_N, s, (size_t)(colon - s));
    if (k < 0 || (*seen & 1u << k))
        return false;
    *seen |= 1u << k;
    const char *v = colon + 2;
    size_t vn = (size_t)(s + n - v);
    if (k == K_RESULT) {
        int r = lookup(result_names, ARRAY_LEN(result_names), v, vn);
        st->result = (enum syncstate_result)r;
        return r >= 0;
    }
    if (k == K_STAGE) {
        int g = lookup(stage_names, ARRAY_LEN(stage_names), v, vn);
        st->stage = (enum syncstate_stage)g;
        return g > 0;       /* "none" is not written for busy */
    }
    if (k == K_REPORT) {
        int r = lookup(report_names, ARRAY_LEN(report_names), v, vn);
        st->report = (enum syncstate_report)r;
        return r > 0;       /* "saved" is never written */
    }
    size_t *dst[K_N] = {
        [K_ANN] = &st->announcements, [K_EVENTS] = &st->events, [K_HONORS] = &st->honors,
        [K_TICKER] = &st->ticker, [K_WARNINGS] = &st->warnings, [K_PROBLEMS] = &st->problems,
    };
    return parse_count(v, vn, COUNT_MAX, dst[k]);
}

/* The first line: "busy PCT" (*pct set), "ok" or "fail"; 0, 1 or 2, or -1. */
static int parse_word(const char *s, size_t n, int *pct)
{
    size_t v;
    if (n > 5 && !memcmp(s, "busy ", 5) && parse_count(s + 5, n - 5, 100, &v)) {
        *pct = (int)v;
        return 0;
    }
    if (n == 2 && !memcmp(s, "ok", 2))
        return 1;
    if (n == 4 && !memcmp(s, "fail", 4))
        return 2;
    return -1;
}

static bool parse(const char *text, size_t len, struct syncstate *st, int *bad_line)
{
    memset(st, 0, sizeof *st);
    *bad_line = 1;
    if (len == 0 || len > FILE_MAX || text[len - 1] != '\n' || memchr(text, '\0', len))
        return false;
    int word = -1, pct = 0;
    unsigned seen = 0;
    const char *p = text, *end = text + len;
    for (int line = 1; p < end; line++) {
        *bad_line = line;
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = (size_t)(nl - p);
        if (line == 1) {
            if ((word = parse_word(p, n, &pct)) < 0)
                return false;
        } else if (line == 2) {
            if (n >= sizeof st->summary)
                return false;
            memcpy(st->summary, p, n);
            st->summary[n] = '\0';
        } else if (!parse_key(p, n, st, &seen)) {
            return false;
        }
        p = nl + 1;
    }
    *bad_line = 0;
    if (!(seen & 1u << K_RESULT) || seen != keys_for(st->result, st->report))
        return false;
    int want = st->result == SYNCSTATE_BUSY ? 0 : is_success(st->result) ? 1 : 2;
    if (word != want)
        return false;
    st->percent = pct;
    return consistent(st);
}

bool syncstate_parse(const char *text, size_t len, struct syncstate *out)
{
    int bad;
    if (parse(text, len, out, &bad))
        return true;
    memset(out, 0, sizeof *out);
    return false;
}

bool syncstate_read(const struct store *s, struct syncstate *out)
{
    memset(out, 0, sizeof *out);
    char *path = store_state_path(s, STORE_LAST_SYNC);
    size_t len = 0;
    char *text = read_file(path, FILE_MAX, &len);
    bool ok = false;
    int bad = 0;
    if (!text) {
        if (errno == EFBIG)
            log_warn("%s is too big for a sync state: ignored", path);
        else if (errno != ENOENT)
            log_errno("cannot read %s", path);
    } else if (!(ok = parse(text, len, out, &bad))) {
        memset(out, 0, sizeof *out);
        if (bad)
            log_warn("%s line %d is not a sync state: ignored", path, bad);
        else
            log_warn("%s is not a sync state: ignored", path);
    }
    free(text);
    free(path);
    return ok;
}

/* staging/ holds something (an entry other than . and ..). */
static bool staging_used(const struct store *s)
{
    DIR *d = opendir(s->staging);
    if (!d)
        return false;
    struct dirent *e;
    bool used = false;
    while (!used && (e = readdir(d)))
        used = strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
    closedir(d);
    return used;
}

bool syncstate_recover(struct store *s)
{
    struct syncstate st;
    /* The cheap look first: a player starts this way at every boot. */
    bool busy = syncstate_read(s, &st) && st.result == SYNCSTATE_BUSY;
    if (!busy && !staging_used(s))
        return false;
    int fd = -1;
    if (store_lock(s, &fd) != STORE_LOCK_OK)
        return false;   /* an import runs (its state is live), or logged */
    /* Read again under the lock: an import may have ended in between. */
    busy = syncstate_read(s, &st) && st.result == SYNCSTATE_BUSY;
    bool used = staging_used(s);
    store_clean_staging(s);
    bool ok = true;
    if (busy) {
        int pct = st.percent;
        memset(&st, 0, sizeof st);
        st.result = SYNCSTATE_IO_ERROR;
        /* Before or after the switch: both are possible after a cut, and
         * importing again is right for both. */
        syncstate_set_summary(&st, "上次更新没有做完就中断了（可能是断电）。请把U盘再插一次，重新更新。");
        ok = syncstate_write(s, &st);
        log_warn("an import was interrupted at %d%% (power cut or kill): sync state set to "
                 "io-error%s", pct, used ? ", its staging removed" : "");
    } else {
        log_warn("leftovers of an interrupted import removed from %s", s->staging);
    }
    store_unlock(fd);
    return ok;
}
