/* feed.c — the SQLite feed v1 (docs/feed.md): the schema in one table that
 * both creates and checks it, the hardened read-only reader, the one-shot
 * writer, and a canonical digest. */
#include "core/feed.h"

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/log.h"
#include "core/now.h"
#include "core/sha256.h"
#include "core/util.h"

/* ---------------------------------------------------------------- schema */

struct feed_col {
    const char *name, *type;
    bool notnull;
    int pk;                 /* position in the primary key, 0 when not in it */
};

struct feed_table {
    const char *name;
    const struct feed_col *cols;
    size_t ncols;
    const char *tail;       /* table constraints after the columns, or NULL */
};

#define COLS(...) (const struct feed_col[]){__VA_ARGS__}, \
    sizeof((const struct feed_col[]){__VA_ARGS__}) / sizeof(struct feed_col)

/* The whole schema.  CREATE TABLE statements are generated from it and
 * feed_check compares PRAGMA table_xinfo against it, so the two can never
 * drift apart.  Times are TEXT 'YYYY-MM-DD HH:MM' (NULL = open). */
static const struct feed_table schema[] = {
    {"meta", COLS({"key", "TEXT", true, 1}, {"value", "TEXT", true, 0}), NULL},
    {"announcements", COLS({"id", "INTEGER", false, 1}, {"title", "TEXT", true, 0},
        {"body", "TEXT", true, 0}, {"image", "TEXT", false, 0},
        {"start_at", "TEXT", false, 0}, {"end_at", "TEXT", false, 0},
        {"days", "INTEGER", true, 0}, {"hours", "TEXT", true, 0},
        {"duration", "INTEGER", true, 0}, {"priority", "INTEGER", true, 0}), NULL},
    {"events", COLS({"id", "INTEGER", false, 1}, {"date", "TEXT", true, 0},
        {"start_time", "TEXT", false, 0}, {"end_time", "TEXT", false, 0},
        {"title", "TEXT", true, 0}, {"place", "TEXT", true, 0},
        {"organizer", "TEXT", true, 0}, {"note", "TEXT", true, 0}), NULL},
    {"honor_rolls", COLS({"id", "INTEGER", false, 1}, {"name", "TEXT", true, 0},
        {"start_at", "TEXT", false, 0}, {"end_at", "TEXT", false, 0}), NULL},
    {"honor_entries", COLS({"roll_id", "INTEGER", true, 1}, {"position", "INTEGER", true, 2},
        {"name", "TEXT", true, 0}, {"honor", "TEXT", true, 0}, {"unit", "TEXT", true, 0},
        {"year", "TEXT", true, 0}, {"photo", "TEXT", false, 0}),
        "PRIMARY KEY (roll_id, position), FOREIGN KEY (roll_id) REFERENCES honor_rolls(id)"},
    {"ticker", COLS({"id", "INTEGER", false, 1}, {"text", "TEXT", true, 0},
        {"start_at", "TEXT", false, 0}, {"end_at", "TEXT", false, 0}), NULL},
    {"holidays", COLS({"date", "TEXT", true, 1}, {"kind", "TEXT", true, 0},
        {"name", "TEXT", true, 0}), NULL},
    {"settings", COLS({"key", "TEXT", true, 1}, {"value", "TEXT", true, 0}), NULL},
    {"media", COLS({"name", "TEXT", true, 1}, {"sha256", "TEXT", true, 0},
        {"mime", "TEXT", true, 0}, {"width", "INTEGER", true, 0},
        {"height", "INTEGER", true, 0}, {"data", "BLOB", true, 0}), NULL},
};

/* Limits against a hostile feed.db from a stick (docs/feed.md). */
#define FEED_MAX_FILE   (1024LL << 20)  /* whole file */
#define FEED_MAX_VALUE  (32 << 20)      /* one string or blob */
#define FEED_MAX_ROWS   100000          /* per table */
#define FEED_MAX_STEPS  20000           /* progress callbacks of 10,000 VM ops each */

static char *schema_sql(void)
{
    struct sbuf b = {0};
    for (size_t t = 0; t < ARRAY_LEN(schema); t++) {
        const struct feed_table *tb = &schema[t];
        sbuf_addf(&b, "CREATE TABLE %s (", tb->name);
        int npk = 0;
        for (size_t i = 0; i < tb->ncols; i++)
            npk += tb->cols[i].pk != 0;
        for (size_t i = 0; i < tb->ncols; i++) {
            const struct feed_col *c = &tb->cols[i];
            sbuf_addf(&b, "%s%s %s%s%s", i ? ", " : "", c->name, c->type,
                      c->notnull ? " NOT NULL" : "",
                      c->pk && npk == 1 ? " PRIMARY KEY" : "");
        }
        if (tb->tail)
            sbuf_addf(&b, ", %s", tb->tail);
        sbuf_adds(&b, ");\n");
    }
    return sbuf_take(&b);
}

/* ---------------------------------------------------------------- time text */

/* Strict 'YYYY-MM-DD' / 'HH:MM' / 'YYYY-MM-DD HH:MM': the feed is written by
 * us, so anything looser is a sign of a hand-made or damaged file. */
static bool digits(const char *s, int n, int *v)
{
    *v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        *v = *v * 10 + (s[i] - '0');
    }
    return true;
}

static bool parse_date(const char *s, int64_t *day)
{
    int y, m, d;
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-' || !digits(s, 4, &y) ||
        !digits(s + 5, 2, &m) || !digits(s + 8, 2, &d) || !when_valid_date(y, m, d))
        return false;
    *day = when_days_from_civil(y, m, d);
    return true;
}

static bool parse_clock(const char *s, bool allow_24, int *min)
{
    int h, m;
    if (!s || strlen(s) != 5 || s[2] != ':' || !digits(s, 2, &h) || !digits(s + 3, 2, &m) ||
        m > 59 || h > 24 || (h == 24 && (m || !allow_24)))
        return false;
    *min = h * 60 + m;
    return true;
}

static bool parse_moment(const char *s, int64_t *t)
{
    int64_t day;
    int m;
    char d[11];
    if (!s || strlen(s) != 16 || s[10] != ' ')
        return false;
    memcpy(d, s, 10);
    d[10] = '\0';
    if (!parse_date(d, &day) || !parse_clock(s + 11, false, &m))
        return false;
    *t = day * WHEN_MIN_PER_DAY + m;
    return true;
}

/* hours: '' or 'HH:MM-HH:MM,HH:MM-HH:MM' */
static bool parse_hours(const char *s, struct when_window *w, uint8_t *n)
{
    *n = 0;
    if (!*s)
        return true;
    for (;;) {
        char a[6], b[6];
        int from, to;
        if (strlen(s) < 11 || s[5] != '-' || *n >= WHEN_MAX_WINDOWS)
            return false;
        memcpy(a, s, 5); a[5] = '\0';
        memcpy(b, s + 6, 5); b[5] = '\0';
        if (!parse_clock(a, false, &from) || !parse_clock(b, true, &to) || to == 0 || from == to)
            return false;
        w[*n].from = (int16_t)from;
        w[*n].to = (int16_t)to;
        (*n)++;
        s += 11;
        if (!*s)
            return true;
        if (*s++ != ',')
            return false;
    }
}

/* ---------------------------------------------------------------- reader */

struct feed {
    sqlite3 *db;
    int steps;              /* progress callbacks since the current operation began */
};

static int progress(void *arg)
{
    struct feed *f = arg;
    return ++f->steps > FEED_MAX_STEPS;    /* non-zero interrupts the statement */
}

static bool set_why(char **why, const char *fmt, ...) NB_PRINTF(2, 3);
static bool set_why(char **why, const char *fmt, ...)
{
    if (why) {
        struct sbuf b = {0};
        va_list ap;
        va_start(ap, fmt);
        sbuf_vaddf(&b, fmt, ap);
        va_end(ap);
        *why = sbuf_take(&b);
    }
    return false;
}

static bool pragma_int(sqlite3 *db, const char *sql, int64_t *v)
{
    sqlite3_stmt *st;
    bool ok = false;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return false;
    if (sqlite3_step(st) == SQLITE_ROW) {
        *v = sqlite3_column_int64(st, 0);
        ok = true;
    }
    sqlite3_finalize(st);
    return ok;
}

static const struct feed_table *find_table(const char *name)
{
    for (size_t t = 0; t < ARRAY_LEN(schema); t++)
        if (!strcmp(schema[t].name, name))
            return &schema[t];
    return NULL;
}

static bool check_columns(sqlite3 *db, const struct feed_table *tb, char **why)
{
    char *sql = xasprintf("PRAGMA table_xinfo(%s)", tb->name);
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    free(sql);
    if (rc != SQLITE_OK)
        return set_why(why, "not a Noticeboard feed: cannot read columns of %s: %s",
                       tb->name, sqlite3_errmsg(db));
    size_t i = 0;
    bool ok = true;
    /* table_xinfo: cid, name, type, notnull, dflt_value, pk, hidden */
    while (ok && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 1);
        const char *type = (const char *)sqlite3_column_text(st, 2);
        if (i >= tb->ncols) {
            ok = set_why(why, "not a Noticeboard feed: table %s has an extra column %s",
                         tb->name, name ? name : "?");
            break;
        }
        const struct feed_col *c = &tb->cols[i];
        if (!name || strcmp(name, c->name) || !type || strcmp(type, c->type) ||
            (sqlite3_column_int(st, 3) != 0) != c->notnull ||
            sqlite3_column_type(st, 4) != SQLITE_NULL ||
            sqlite3_column_int(st, 5) != c->pk || sqlite3_column_int(st, 6) != 0)
            ok = set_why(why, "not a Noticeboard feed: table %s column %zu is %s %s, expected %s %s",
                         tb->name, i + 1, name ? name : "?", type ? type : "?", c->name, c->type);
        i++;
    }
    sqlite3_finalize(st);
    if (ok && rc != SQLITE_DONE)
        return set_why(why, "not a Noticeboard feed: cannot read columns of %s: %s",
                       tb->name, sqlite3_errmsg(db));
    if (ok && i != tb->ncols)
        return set_why(why, "not a Noticeboard feed: table %s has %zu columns, expected %zu",
                       tb->name, i, tb->ncols);
    return ok;
}

static bool meta_get(sqlite3 *db, const char *key, char **value)
{
    sqlite3_stmt *st;
    bool ok = false;
    if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = ?", -1, &st, NULL) != SQLITE_OK)
        return false;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) == SQLITE_TEXT) {
        *value = xstrdup((const char *)sqlite3_column_text(st, 0));
        ok = true;
    }
    sqlite3_finalize(st);
    return ok;
}

static bool parse_int(const char *s, int64_t *v)
{
    if (!*s || strlen(s) > 18)
        return false;
    int64_t n = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return false;
        n = n * 10 + (*s - '0');
    }
    *v = n;
    return true;
}

bool feed_check(struct sqlite3 *db, char **why)
{
    int64_t v;
    if (!pragma_int(db, "PRAGMA application_id", &v))
        return set_why(why, "not a Noticeboard feed: unreadable (%s)", sqlite3_errmsg(db));
    if ((uint32_t)v != FEED_APPLICATION_ID)
        return set_why(why, "not a Noticeboard feed: application_id is 0x%08x", (unsigned)v);
    if (!pragma_int(db, "PRAGMA user_version", &v) || v != FEED_SCHEMA_VERSION)
        return set_why(why, "not a Noticeboard feed: schema version %lld, expected %d",
                       (long long)v, FEED_SCHEMA_VERSION);

    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT type, name, tbl_name, sql FROM sqlite_schema", -1, &st, NULL)
        != SQLITE_OK)
        return set_why(why, "not a Noticeboard feed: unreadable schema (%s)", sqlite3_errmsg(db));
    bool seen[ARRAY_LEN(schema)] = {0};
    bool ok = true;
    int rc;
    while (ok && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *type = (const char *)sqlite3_column_text(st, 0);
        const char *name = (const char *)sqlite3_column_text(st, 1);
        const char *tbl = (const char *)sqlite3_column_text(st, 2);
        if (!type || !name || !tbl) {
            ok = set_why(why, "not a Noticeboard feed: damaged schema");
        } else if (!strcmp(type, "table")) {
            const struct feed_table *tb = find_table(name);
            if (!tb)
                ok = set_why(why, "not a Noticeboard feed: unexpected table %s", name);
            else
                seen[tb - schema] = true;
        } else if (!strcmp(type, "index")) {
            /* Only the automatic indexes of PRIMARY KEYs (they have no SQL):
             * a hand-written index could carry expressions. */
            if (sqlite3_column_type(st, 3) != SQLITE_NULL || !find_table(tbl))
                ok = set_why(why, "not a Noticeboard feed: unexpected index %s", name);
        } else {
            ok = set_why(why, "not a Noticeboard feed: unexpected %s %s", type, name);
        }
    }
    sqlite3_finalize(st);
    if (!ok)
        return false;
    if (rc != SQLITE_DONE)
        return set_why(why, "not a Noticeboard feed: unreadable schema (%s)", sqlite3_errmsg(db));
    for (size_t t = 0; t < ARRAY_LEN(schema); t++) {
        if (!seen[t])
            return set_why(why, "not a Noticeboard feed: table %s missing", schema[t].name);
        if (!check_columns(db, &schema[t], why))
            return false;
    }

    char *val = NULL;
    if (!meta_get(db, "format", &val) || strcmp(val, "noticeboard-feed")) {
        free(val);
        return set_why(why, "not a Noticeboard feed: meta format missing or wrong");
    }
    free(val);
    val = NULL;
    if (!meta_get(db, "schema_version", &val) || strcmp(val, "1")) {
        free(val);
        return set_why(why, "not a Noticeboard feed: meta schema_version missing or not 1");
    }
    free(val);
    val = NULL;
    if (!meta_get(db, "feed_version", &val) || !parse_int(val, &v) || v < 1) {
        free(val);
        return set_why(why, "not a Noticeboard feed: meta feed_version missing or invalid");
    }
    free(val);
    val = NULL;
    if (!meta_get(db, "created_at", &val) || !parse_moment(val, &v)) {
        free(val);
        return set_why(why, "not a Noticeboard feed: meta created_at missing or invalid");
    }
    free(val);
    return true;
}

/* Percent-encodes path for a file: URI (RFC 3986 unreserved and '/' kept). */
static char *file_uri(const char *path)
{
    struct sbuf b = {0};
    sbuf_adds(&b, "file:");
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("/-._~", *p))
            sbuf_addc(&b, (char)*p);
        else
            sbuf_addf(&b, "%%%02X", *p);
    }
    sbuf_adds(&b, "?mode=ro&immutable=1");
    return sbuf_take(&b);
}

struct feed *feed_open(const char *path, char **why)
{
    if (why)
        *why = NULL;
    struct stat stt;
    if (stat(path, &stt) < 0) {
        set_why(why, "cannot open feed %s: %s", path, strerror(errno));
        return NULL;
    }
    if (!S_ISREG(stt.st_mode) || stt.st_size > FEED_MAX_FILE) {
        set_why(why, "not a Noticeboard feed: %s is not a regular file below 1 GiB", path);
        return NULL;
    }
    struct feed *f = xcalloc(1, sizeof *f);
    char *uri = file_uri(path);
    /* Activated feeds are never modified (store.c only renames new files in),
     * so immutable=1 is true and spares us locking and journal probing. */
    int rc = sqlite3_open_v2(uri, &f->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL);
    free(uri);
    if (rc != SQLITE_OK) {
        set_why(why, "cannot open feed %s: %s", path, f->db ? sqlite3_errmsg(f->db) : "out of memory");
        feed_close(f);
        return NULL;
    }
    /* A feed from a stick is untrusted input: no schema-borne functions,
     * no triggers or views, no writable schema, bounded values and work. */
    sqlite3_db_config(f->db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
    sqlite3_db_config(f->db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
    sqlite3_db_config(f->db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, NULL);
    sqlite3_db_config(f->db, SQLITE_DBCONFIG_ENABLE_VIEW, 0, NULL);
    sqlite3_limit(f->db, SQLITE_LIMIT_LENGTH, FEED_MAX_VALUE);
    sqlite3_limit(f->db, SQLITE_LIMIT_SQL_LENGTH, 1 << 20);
    sqlite3_limit(f->db, SQLITE_LIMIT_ATTACHED, 0);
    sqlite3_progress_handler(f->db, 10000, progress, f);

    char *reason = NULL;
    if (!feed_check(f->db, &reason)) {
        if (why)
            *why = reason;
        else
            free(reason);
        feed_close(f);
        return NULL;
    }
    int64_t n;
    f->steps = 0;
    sqlite3_stmt *st;
    bool intact = false;
    /* integrity_check, not quick_check: only it compares each index with
     * its table.  A feed whose primary-key index disagrees with its rows
     * passes quick_check, and then ORDER BY (served by that index) hands
     * back holidays out of date order and lookups by name find the wrong
     * row (found by tests/fuzz/fuzz-feed).  The extra cost is one index
     * probe per row: milliseconds for a full feed. */
    if (sqlite3_prepare_v2(f->db, "PRAGMA integrity_check(1)", -1, &st, NULL) == SQLITE_OK) {
        intact = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) &&
                 !strcmp((const char *)sqlite3_column_text(st, 0), "ok");
        sqlite3_finalize(st);
    }
    if (!intact) {
        set_why(why, "not a Noticeboard feed: %s is damaged (integrity_check failed)", path);
        feed_close(f);
        return NULL;
    }
    for (size_t t = 0; t < ARRAY_LEN(schema); t++) {
        char *sql = xasprintf("SELECT count(*) FROM %s", schema[t].name);
        bool ok = pragma_int(f->db, sql, &n);
        free(sql);
        if (!ok || n > FEED_MAX_ROWS) {
            set_why(why, "not a Noticeboard feed: table %s is unreadable or has over %d rows",
                    schema[t].name, FEED_MAX_ROWS);
            feed_close(f);
            return NULL;
        }
    }
    return f;
}

void feed_close(struct feed *f)
{
    if (!f)
        return;
    sqlite3_close(f->db);
    free(f);
}

int64_t feed_version(struct feed *f)
{
    char *v = NULL;
    int64_t n = 0;
    f->steps = 0;
    if (!meta_get(f->db, "feed_version", &v) || !parse_int(v, &n))
        n = 0;
    free(v);
    return n;
}

/* Column accessors for the loader: every value is validated here so the
 * schedule and renderer can trust the content (feeds may come from sticks). */
struct rd {
    sqlite3_stmt *st;
    const char *table;
    int64_t row;
    char *why;
};

static bool rd_fail(struct rd *r, int col, const char *what)
{
    if (!r->why)
        r->why = xasprintf("feed table %s row %lld column %s: %s", r->table, (long long)r->row,
                           sqlite3_column_name(r->st, col), what);
    return false;
}

/* Text column: NULL allowed only when nullable; must be valid UTF-8 with no NUL. */
static bool rd_text(struct rd *r, int col, bool nullable, char **out)
{
    *out = NULL;
    int type = sqlite3_column_type(r->st, col);
    if (type == SQLITE_NULL)
        return nullable ? true : rd_fail(r, col, "missing value");
    if (type != SQLITE_TEXT)
        return rd_fail(r, col, "not text");
    const char *s = (const char *)sqlite3_column_text(r->st, col);
    size_t n = (size_t)sqlite3_column_bytes(r->st, col);
    if (!s || strlen(s) != n || !utf8_valid(s, n, NULL))
        return rd_fail(r, col, "invalid UTF-8");
    *out = xstrndup(s, n);
    return true;
}

static bool rd_int(struct rd *r, int col, int64_t lo, int64_t hi, int64_t *out)
{
    if (sqlite3_column_type(r->st, col) != SQLITE_INTEGER)
        return rd_fail(r, col, "not an integer");
    *out = sqlite3_column_int64(r->st, col);
    if (*out < lo || *out > hi)
        return rd_fail(r, col, "out of range");
    return true;
}

static bool rd_moment(struct rd *r, int col, int64_t open, int64_t *out)
{
    char *s;
    if (!rd_text(r, col, true, &s))
        return false;
    bool ok = true;
    if (!s)
        *out = open;
    else if (!parse_moment(s, out))
        ok = rd_fail(r, col, "not a 'YYYY-MM-DD HH:MM' time");
    free(s);
    return ok;
}

static bool rd_clock(struct rd *r, int col, bool allow_24, int16_t *out)
{
    char *s;
    int m = -1;
    if (!rd_text(r, col, true, &s))
        return false;
    bool ok = !s || parse_clock(s, allow_24, &m);
    free(s);
    *out = (int16_t)m;
    return ok ? true : rd_fail(r, col, "not an 'HH:MM' time");
}

static bool rd_open(struct feed *f, struct rd *r, const char *table, const char *sql)
{
    memset(r, 0, sizeof *r);
    r->table = table;
    if (sqlite3_prepare_v2(f->db, sql, -1, &r->st, NULL) != SQLITE_OK) {
        r->why = xasprintf("feed table %s: %s", table, sqlite3_errmsg(f->db));
        return false;
    }
    return true;
}

/* Steps; true on a row.  On the end or an error returns false, with r->why
 * set on an error. */
static bool rd_next(struct feed *f, struct rd *r)
{
    int rc = sqlite3_step(r->st);
    if (rc == SQLITE_ROW) {
        r->row++;
        return true;
    }
    if (rc != SQLITE_DONE && !r->why)
        r->why = xasprintf("feed table %s: %s", r->table, sqlite3_errmsg(f->db));
    return false;
}

static bool rd_close(struct rd *r, char **why)
{
    sqlite3_finalize(r->st);
    if (!r->why)
        return true;
    if (why && !*why)
        *why = r->why;
    else
        free(r->why);
    return false;
}

static bool load_ann(struct feed *f, struct feed_content *c, char **why)
{
    struct rd r;
    size_t cap = 0;
    if (rd_open(f, &r, "announcements", "SELECT id, title, body, image, start_at, end_at, days, "
                "hours, duration, priority FROM announcements ORDER BY id"))
        while (rd_next(f, &r)) {
            xgrow(&c->ann, &cap, c->nann + 1, sizeof *c->ann);
            struct nb_announcement *a = &c->ann[c->nann];
            memset(a, 0, sizeof *a);
            int64_t days = 0, dur = 0, prio = 0;
            char *hours = NULL;
            bool ok = rd_int(&r, 0, 1, INT64_MAX, &a->id) && rd_text(&r, 1, false, &a->title) &&
                      rd_text(&r, 2, false, &a->body) && rd_text(&r, 3, true, &a->image) &&
                      rd_moment(&r, 4, WHEN_ALWAYS, &a->start) &&
                      rd_moment(&r, 5, WHEN_NEVER, &a->end) &&
                      rd_int(&r, 6, 1, DAYS_ALL | DAYS_WORKDAY | DAYS_WEEKEND, &days) &&
                      rd_text(&r, 7, false, &hours) && rd_int(&r, 8, 1, 86400, &dur) &&
                      rd_int(&r, 9, PRIO_NORMAL, PRIO_URGENT, &prio);
            if (ok && !parse_hours(hours, a->hours, &a->nhours))
                ok = rd_fail(&r, 7, "not 'HH:MM-HH:MM,…' windows");
            free(hours);
            a->days = (uint16_t)days;
            a->duration = (int)dur;
            a->priority = (enum priority)prio;
            c->nann++;  /* counted even when half-filled, so content_destroy frees it */
            if (!ok)
                break;
        }
    return rd_close(&r, why);
}

static int cmp_event(const void *pa, const void *pb)
{
    const struct nb_event *a = pa, *b = pb;
    if (a->day != b->day)
        return a->day < b->day ? -1 : 1;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    return (a->id > b->id) - (a->id < b->id);
}

static bool load_events(struct feed *f, struct feed_content *c, char **why)
{
    struct rd r;
    size_t cap = 0;
    if (rd_open(f, &r, "events", "SELECT id, date, start_time, end_time, title, place, "
                "organizer, note FROM events ORDER BY id"))
        while (rd_next(f, &r)) {
            xgrow(&c->events, &cap, c->nevents + 1, sizeof *c->events);
            struct nb_event *e = &c->events[c->nevents++];
            memset(e, 0, sizeof *e);
            char *date = NULL;
            bool ok = rd_int(&r, 0, 1, INT64_MAX, &e->id) && rd_text(&r, 1, false, &date);
            if (ok && !parse_date(date, &e->day))
                ok = rd_fail(&r, 1, "not a 'YYYY-MM-DD' date");
            free(date);
            ok = ok && rd_clock(&r, 2, false, &e->start) && rd_clock(&r, 3, true, &e->end) &&
                 rd_text(&r, 4, false, &e->title) && rd_text(&r, 5, false, &e->place) &&
                 rd_text(&r, 6, false, &e->organizer) && rd_text(&r, 7, false, &e->note);
            if (!ok)
                break;
        }
    bool ok = rd_close(&r, why);
    if (ok && c->nevents)
        qsort(c->events, c->nevents, sizeof *c->events, cmp_event);
    return ok;
}

static bool load_rolls(struct feed *f, struct feed_content *c, char **why)
{
    struct rd r;
    size_t cap = 0;
    if (rd_open(f, &r, "honor_rolls", "SELECT id, name, start_at, end_at FROM honor_rolls ORDER BY id"))
        while (rd_next(f, &r)) {
            xgrow(&c->rolls, &cap, c->nrolls + 1, sizeof *c->rolls);
            struct nb_roll *o = &c->rolls[c->nrolls++];
            memset(o, 0, sizeof *o);
            if (!(rd_int(&r, 0, 1, INT64_MAX, &o->id) && rd_text(&r, 1, false, &o->name) &&
                  rd_moment(&r, 2, WHEN_ALWAYS, &o->start) && rd_moment(&r, 3, WHEN_NEVER, &o->end)))
                break;
        }
    if (!rd_close(&r, why))
        return false;

    /* Entries come sorted by roll, then position; rolls are sorted by id,
     * so one merge pass places them. */
    size_t k = 0, ecap = 0;
    if (rd_open(f, &r, "honor_entries", "SELECT roll_id, position, name, honor, unit, year, photo "
                "FROM honor_entries ORDER BY roll_id, position"))
        while (rd_next(f, &r)) {
            int64_t roll, pos;
            if (!rd_int(&r, 0, 1, INT64_MAX, &roll) || !rd_int(&r, 1, 0, INT64_MAX, &pos))
                break;
            while (k < c->nrolls && c->rolls[k].id < roll) {
                k++;
                ecap = 0;
            }
            if (k == c->nrolls || c->rolls[k].id != roll) {
                rd_fail(&r, 0, "no such honor roll");
                break;
            }
            struct nb_roll *o = &c->rolls[k];
            xgrow(&o->entries, &ecap, o->nentries + 1, sizeof *o->entries);
            struct nb_honor *h = &o->entries[o->nentries++];
            memset(h, 0, sizeof *h);
            if (!(rd_text(&r, 2, false, &h->name) && rd_text(&r, 3, false, &h->honor) &&
                  rd_text(&r, 4, false, &h->unit) && rd_text(&r, 5, false, &h->year) &&
                  rd_text(&r, 6, true, &h->photo)))
                break;
        }
    return rd_close(&r, why);
}

static bool load_ticker(struct feed *f, struct feed_content *c, char **why)
{
    struct rd r;
    size_t cap = 0;
    if (rd_open(f, &r, "ticker", "SELECT id, text, start_at, end_at FROM ticker ORDER BY id"))
        while (rd_next(f, &r)) {
            xgrow(&c->ticker, &cap, c->nticker + 1, sizeof *c->ticker);
            struct nb_ticker *t = &c->ticker[c->nticker++];
            memset(t, 0, sizeof *t);
            if (!(rd_int(&r, 0, 1, INT64_MAX, &t->id) && rd_text(&r, 1, false, &t->text) &&
                  rd_moment(&r, 2, WHEN_ALWAYS, &t->start) && rd_moment(&r, 3, WHEN_NEVER, &t->end)))
                break;
        }
    return rd_close(&r, why);
}

static bool load_holidays(struct feed *f, struct feed_content *c, char **why)
{
    struct rd r;
    size_t cap = 0;
    /* date is 'YYYY-MM-DD', so text order is date order. */
    if (rd_open(f, &r, "holidays", "SELECT date, kind, name FROM holidays ORDER BY date"))
        while (rd_next(f, &r)) {
            xgrow(&c->holidays, &cap, c->nholidays + 1, sizeof *c->holidays);
            struct nb_holiday *h = &c->holidays[c->nholidays++];
            memset(h, 0, sizeof *h);
            char *date = NULL, *kind = NULL;
            bool ok = rd_text(&r, 0, false, &date) && rd_text(&r, 1, false, &kind) &&
                      rd_text(&r, 2, false, &h->name);
            if (ok && !parse_date(date, &h->day))
                ok = rd_fail(&r, 0, "not a 'YYYY-MM-DD' date");
            if (ok && strcmp(kind, "off") && strcmp(kind, "work"))
                ok = rd_fail(&r, 1, "kind is not 'off' or 'work'");
            h->workday = ok && !strcmp(kind, "work");
            free(date);
            free(kind);
            if (!ok)
                break;
        }
    return rd_close(&r, why);
}

static bool load_settings(struct feed *f, struct feed_content *c, char **why)
{
    struct rd r;
    size_t cap = 0;
    if (rd_open(f, &r, "settings", "SELECT key, value FROM settings ORDER BY key"))
        while (rd_next(f, &r)) {
            xgrow(&c->settings, &cap, c->nsettings + 1, sizeof *c->settings);
            struct nb_setting *s = &c->settings[c->nsettings++];
            s->key = s->value = NULL;
            if (!(rd_text(&r, 0, false, &s->key) && rd_text(&r, 1, false, &s->value)))
                break;
        }
    if (!rd_close(&r, why))
        return false;
    for (size_t i = 0; i < c->nsettings; i++) {
        if (!strcmp(c->settings[i].key, "org_name")) {
            free(c->org_name);
            c->org_name = xstrdup(c->settings[i].value);
        } else if (!strcmp(c->settings[i].key, "logo") && *c->settings[i].value) {
            free(c->logo);
            c->logo = xstrdup(c->settings[i].value);
        }
    }
    return true;
}

struct feed_content *feed_load_ex(struct feed *f, char **why)
{
    if (why)
        *why = NULL;
    struct feed_content *c = content_create();
    f->steps = 0;
    char *v = NULL;
    bool ok = meta_get(f->db, "feed_version", &v) && parse_int(v, &c->feed_version);
    free(v);
    v = NULL;
    ok = ok && meta_get(f->db, "created_at", &v) && parse_moment(v, &c->created);
    free(v);
    if (!ok)
        set_why(why, "feed meta is unreadable");
    ok = ok && load_ann(f, c, why) && load_events(f, c, why) && load_rolls(f, c, why) &&
         load_ticker(f, c, why) && load_holidays(f, c, why) && load_settings(f, c, why);
    if (!ok) {
        content_destroy(c);
        return NULL;
    }
    return c;
}

struct feed_content *feed_load(struct feed *f)
{
    char *why = NULL;
    struct feed_content *c = feed_load_ex(f, &why);
    if (!c)
        log_error("cannot load feed: %s", why ? why : "unknown error");
    free(why);
    return c;
}

/* The media row named `name` from `sql` (width and height first), stepped
 * onto its row; NULL when absent (or unreadable, logged). */
static sqlite3_stmt *media_row(struct feed *f, const char *sql, const char *name)
{
    sqlite3_stmt *st;
    f->steps = 0;
    if (sqlite3_prepare_v2(f->db, sql, -1, &st, NULL) != SQLITE_OK) {
        log_error("feed media %s: %s", name, sqlite3_errmsg(f->db));
        return NULL;
    }
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        log_error("feed media %s: %s", name, sqlite3_errmsg(f->db));
    if (rc != SQLITE_ROW) {
        sqlite3_finalize(st);
        return NULL;
    }
    return st;
}

bool feed_media(struct feed *f, const char *name, void **data, size_t *len,
                int *width, int *height)
{
    sqlite3_stmt *st =
        media_row(f, "SELECT width, height, data FROM media WHERE name = ?", name);
    bool ok = st && sqlite3_column_type(st, 2) == SQLITE_BLOB;
    if (ok) {
        size_t n = (size_t)sqlite3_column_bytes(st, 2);
        const void *p = sqlite3_column_blob(st, 2);
        *data = xmalloc(n);
        if (n)
            memcpy(*data, p, n);
        *len = n;
        if (width)
            *width = sqlite3_column_int(st, 0);
        if (height)
            *height = sqlite3_column_int(st, 1);
    }
    sqlite3_finalize(st);
    return ok;
}

bool feed_media_info(struct feed *f, const char *name, int *width, int *height)
{
    /* Only the two integers: the blob stays in its overflow pages. */
    sqlite3_stmt *st = media_row(f, "SELECT width, height FROM media WHERE name = ?", name);
    if (!st)
        return false;
    *width = sqlite3_column_int(st, 0);
    *height = sqlite3_column_int(st, 1);
    sqlite3_finalize(st);
    return *width > 0 && *height > 0;
}

/* ---------------------------------------------------------------- writer */

struct feed_writer {
    sqlite3 *db;
    char *path;
    char *source;
    bool failed;
};

static bool exec(sqlite3 *db, const char *sql, char **why)
{
    char *err = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &err) == SQLITE_OK)
        return true;
    set_why(why, "feed write failed: %s", err ? err : sqlite3_errmsg(db));
    sqlite3_free(err);
    return false;
}

static void remove_feed_files(const char *path)
{
    char *j = xasprintf("%s-journal", path);
    unlink(path);
    unlink(j);
    free(j);
}

struct feed_writer *feed_writer_create(const char *path, char **why)
{
    if (why)
        *why = NULL;
    /* O_EXCL: never overwrite a file, least of all a live feed.  SQLite
     * takes an empty file as an empty database. */
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) {
        set_why(why, "cannot create feed %s: %s", path, strerror(errno));
        return NULL;
    }
    close(fd);
    struct feed_writer *w = xcalloc(1, sizeof *w);
    w->path = xstrdup(path);
    w->source = xstrdup("csv");
    if (sqlite3_open_v2(path, &w->db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        set_why(why, "cannot create feed %s: %s", path, w->db ? sqlite3_errmsg(w->db) : "out of memory");
        feed_writer_abort(w);
        return NULL;
    }
    sqlite3_db_config(w->db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
    char *schema_text = schema_sql();
    char *sql = xasprintf("PRAGMA journal_mode = DELETE; PRAGMA synchronous = FULL; "
                          "PRAGMA foreign_keys = ON; PRAGMA application_id = %u; "
                          "PRAGMA user_version = %d; BEGIN; %s",
                          FEED_APPLICATION_ID, FEED_SCHEMA_VERSION, schema_text);
    bool ok = exec(w->db, sql, why);
    free(sql);
    free(schema_text);
    if (!ok) {
        feed_writer_abort(w);
        return NULL;
    }
    return w;
}

void feed_writer_set_source(struct feed_writer *w, const char *source)
{
    free(w->source);
    w->source = xstrdup(source);
}

static bool bind_text(sqlite3_stmt *st, int i, const char *s)
{
    return (s ? sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT) : sqlite3_bind_null(st, i)) == SQLITE_OK;
}

static bool bind_moment(sqlite3_stmt *st, int i, int64_t t)
{
    if (t == WHEN_ALWAYS || t == WHEN_NEVER)
        return sqlite3_bind_null(st, i) == SQLITE_OK;
    char buf[17];
    when_format(t, buf);
    return bind_text(st, i, buf);
}

static bool bind_clock(sqlite3_stmt *st, int i, int m)
{
    if (m < 0)
        return sqlite3_bind_null(st, i) == SQLITE_OK;
    char buf[6];
    when_format_clock(m, buf);
    return bind_text(st, i, buf);
}

/* Runs a prepared insert once and resets it. */
static bool put(struct feed_writer *w, sqlite3_stmt *st, bool bound, char **why)
{
    if (!bound || sqlite3_step(st) != SQLITE_DONE) {
        set_why(why, "feed write failed: %s", sqlite3_errmsg(w->db));
        return false;
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return true;
}

static sqlite3_stmt *prep(struct feed_writer *w, const char *sql, char **why)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(w->db, sql, -1, &st, NULL) != SQLITE_OK) {
        set_why(why, "feed write failed: %s", sqlite3_errmsg(w->db));
        return NULL;
    }
    return st;
}

bool feed_writer_media(struct feed_writer *w, const char *name, const char *sha256,
                       int width, int height, const char *mime,
                       const void *data, size_t len)
{
    char *why = NULL;
    sqlite3_stmt *st = prep(w, "INSERT INTO media (name, sha256, mime, width, height, data) "
                               "VALUES (?, ?, ?, ?, ?, ?)", &why);
    bool ok = st && put(w, st, bind_text(st, 1, name) && bind_text(st, 2, sha256) &&
                        bind_text(st, 3, mime) && sqlite3_bind_int(st, 4, width) == SQLITE_OK &&
                        sqlite3_bind_int(st, 5, height) == SQLITE_OK &&
                        sqlite3_bind_blob64(st, 6, data, len, SQLITE_STATIC) == SQLITE_OK, &why);
    sqlite3_finalize(st);
    if (!ok) {
        log_error("feed %s: media %s: %s", w->path, name, why ? why : "");
        w->failed = true;
    }
    free(why);
    return ok;
}

static bool write_content(struct feed_writer *w, const struct feed_content *c, char **why)
{
    sqlite3_stmt *st;
    bool ok = true;

    st = prep(w, "INSERT INTO announcements VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", why);
    for (size_t i = 0; st && ok && i < c->nann; i++) {
        const struct nb_announcement *a = &c->ann[i];
        char *hours = when_format_hours(a->hours, a->nhours);
        ok = put(w, st, sqlite3_bind_int64(st, 1, a->id) == SQLITE_OK && bind_text(st, 2, a->title) &&
                 bind_text(st, 3, a->body) && bind_text(st, 4, a->image) &&
                 bind_moment(st, 5, a->start) && bind_moment(st, 6, a->end) &&
                 sqlite3_bind_int(st, 7, a->days) == SQLITE_OK && bind_text(st, 8, hours) &&
                 sqlite3_bind_int(st, 9, a->duration) == SQLITE_OK &&
                 sqlite3_bind_int(st, 10, (int)a->priority) == SQLITE_OK, why);
        free(hours);
    }
    ok = ok && st;
    sqlite3_finalize(st);

    st = ok ? prep(w, "INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?)", why) : NULL;
    for (size_t i = 0; st && ok && i < c->nevents; i++) {
        const struct nb_event *e = &c->events[i];
        char date[11];
        when_format_date(e->day, date);
        ok = put(w, st, sqlite3_bind_int64(st, 1, e->id) == SQLITE_OK && bind_text(st, 2, date) &&
                 bind_clock(st, 3, e->start) && bind_clock(st, 4, e->end) &&
                 bind_text(st, 5, e->title) && bind_text(st, 6, e->place ? e->place : "") &&
                 bind_text(st, 7, e->organizer ? e->organizer : "") &&
                 bind_text(st, 8, e->note ? e->note : ""), why);
    }
    ok = ok && st;
    sqlite3_finalize(st);

    st = ok ? prep(w, "INSERT INTO honor_rolls VALUES (?, ?, ?, ?)", why) : NULL;
    for (size_t i = 0; st && ok && i < c->nrolls; i++) {
        const struct nb_roll *o = &c->rolls[i];
        ok = put(w, st, sqlite3_bind_int64(st, 1, o->id) == SQLITE_OK && bind_text(st, 2, o->name) &&
                 bind_moment(st, 3, o->start) && bind_moment(st, 4, o->end), why);
    }
    ok = ok && st;
    sqlite3_finalize(st);

    st = ok ? prep(w, "INSERT INTO honor_entries VALUES (?, ?, ?, ?, ?, ?, ?)", why) : NULL;
    for (size_t i = 0; st && ok && i < c->nrolls; i++)
        for (size_t j = 0; ok && j < c->rolls[i].nentries; j++) {
            const struct nb_honor *h = &c->rolls[i].entries[j];
            ok = put(w, st, sqlite3_bind_int64(st, 1, c->rolls[i].id) == SQLITE_OK &&
                     sqlite3_bind_int64(st, 2, (int64_t)j + 1) == SQLITE_OK &&
                     bind_text(st, 3, h->name) && bind_text(st, 4, h->honor ? h->honor : "") &&
                     bind_text(st, 5, h->unit ? h->unit : "") &&
                     bind_text(st, 6, h->year ? h->year : "") && bind_text(st, 7, h->photo), why);
        }
    ok = ok && st;
    sqlite3_finalize(st);

    st = ok ? prep(w, "INSERT INTO ticker VALUES (?, ?, ?, ?)", why) : NULL;
    for (size_t i = 0; st && ok && i < c->nticker; i++) {
        const struct nb_ticker *t = &c->ticker[i];
        ok = put(w, st, sqlite3_bind_int64(st, 1, t->id) == SQLITE_OK && bind_text(st, 2, t->text) &&
                 bind_moment(st, 3, t->start) && bind_moment(st, 4, t->end), why);
    }
    ok = ok && st;
    sqlite3_finalize(st);

    st = ok ? prep(w, "INSERT INTO holidays VALUES (?, ?, ?)", why) : NULL;
    for (size_t i = 0; st && ok && i < c->nholidays; i++) {
        const struct nb_holiday *h = &c->holidays[i];
        char date[11];
        when_format_date(h->day, date);
        ok = put(w, st, bind_text(st, 1, date) && bind_text(st, 2, h->workday ? "work" : "off") &&
                 bind_text(st, 3, h->name ? h->name : ""), why);
    }
    ok = ok && st;
    sqlite3_finalize(st);

    /* settings: the list as given; org_name and logo fields fill in keys
     * the list lacks, so either way of filling the struct round-trips. */
    st = ok ? prep(w, "INSERT OR REPLACE INTO settings VALUES (?, ?)", why) : NULL;
    bool has_org = false, has_logo = false;
    for (size_t i = 0; st && ok && i < c->nsettings; i++) {
        has_org |= !strcmp(c->settings[i].key, "org_name");
        has_logo |= !strcmp(c->settings[i].key, "logo");
        ok = put(w, st, bind_text(st, 1, c->settings[i].key) && bind_text(st, 2, c->settings[i].value), why);
    }
    if (st && ok && !has_org && c->org_name && *c->org_name)
        ok = put(w, st, bind_text(st, 1, "org_name") && bind_text(st, 2, c->org_name), why);
    if (st && ok && !has_logo && c->logo)
        ok = put(w, st, bind_text(st, 1, "logo") && bind_text(st, 2, c->logo), why);
    ok = ok && st;
    sqlite3_finalize(st);
    return ok;
}

bool feed_writer_finish(struct feed_writer *w, const struct feed_content *c,
                        int64_t feed_version, char **why)
{
    if (why)
        *why = NULL;
    if (w->failed) {
        set_why(why, "feed write failed: a media blob could not be stored");
        feed_writer_abort(w);
        return false;
    }
    /* created_at: the content's own stamp when the builder set one, else now. */
    char created[17], version[24];
    when_format(c->created != CLOCK_NONE ? c->created : now_civil(NULL), created);
    snprintf(version, sizeof version, "%lld", (long long)feed_version);
    bool ok = feed_version >= 1;
    if (!ok)
        set_why(why, "feed write failed: feed_version must be at least 1");
    ok = ok && write_content(w, c, why);
    sqlite3_stmt *st = ok ? prep(w, "INSERT INTO meta VALUES (?, ?)", why) : NULL;
    const char *meta[][2] = {
        {"format", "noticeboard-feed"}, {"schema_version", "1"}, {"feed_version", version},
        {"created_at", created}, {"source", w->source},
    };
    for (size_t i = 0; st && ok && i < ARRAY_LEN(meta); i++)
        ok = put(w, st, bind_text(st, 1, meta[i][0]) && bind_text(st, 2, meta[i][1]), why);
    ok = ok && st;
    sqlite3_finalize(st);
    /* synchronous=FULL in rollback mode: COMMIT fsyncs the database file
     * (and the journal before it), so the feed is on disk when this returns. */
    ok = ok && exec(w->db, "COMMIT", why);
    if (ok) {
        sqlite3_stmt *q = prep(w, "PRAGMA quick_check", why);
        ok = q && sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0) &&
             !strcmp((const char *)sqlite3_column_text(q, 0), "ok");
        sqlite3_finalize(q);
        if (!ok && why && !*why)
            set_why(why, "feed write failed: quick_check did not return ok");
    }
    if (!ok) {
        log_error("cannot write feed %s: %s", w->path, why && *why ? *why : "error");
        feed_writer_abort(w);
        return false;
    }
    if (sqlite3_close(w->db) != SQLITE_OK) {
        set_why(why, "feed write failed: close: %s", sqlite3_errmsg(w->db));
        log_error("cannot write feed %s: close failed", w->path);
        w->db = NULL;   /* sqlite3_close_v2 semantics are not needed: all statements are finalized */
        feed_writer_abort(w);
        return false;
    }
    w->db = NULL;
    /* Read it back exactly as the player will: a feed this writer makes
     * but the reader refuses must never reach activation. */
    char *reason = NULL;
    struct feed *f = feed_open(w->path, &reason);
    struct feed_content *back = f ? feed_load_ex(f, &reason) : NULL;
    ok = back != NULL;
    content_destroy(back);
    feed_close(f);
    if (!ok) {
        log_error("feed %s does not read back: %s", w->path, reason ? reason : "");
        if (why)
            *why = xasprintf("feed write failed: it does not read back: %s", reason ? reason : "");
        free(reason);
        feed_writer_abort(w);
        return false;
    }
    free(w->path);
    free(w->source);
    free(w);
    return true;
}

void feed_writer_abort(struct feed_writer *w)
{
    if (!w)
        return;
    if (w->db)
        sqlite3_close(w->db);
    remove_feed_files(w->path);
    free(w->path);
    free(w->source);
    free(w);
}

/* ---------------------------------------------------------------- digest */

/* Hashes one value with its type and length, so ("ab","c") and ("a","bc")
 * differ and NULL differs from "". */
static void hash_value(struct sha256 *h, sqlite3_stmt *st, int col)
{
    int type = sqlite3_column_type(st, col);
    uint8_t tag = (uint8_t)type;
    sha256_update(h, &tag, 1);
    if (type == SQLITE_NULL)
        return;
    if (type == SQLITE_INTEGER) {
        int64_t v = sqlite3_column_int64(st, col);
        uint8_t b[8];
        for (int i = 0; i < 8; i++)
            b[i] = (uint8_t)((uint64_t)v >> (56 - 8 * i));
        sha256_update(h, b, 8);
        return;
    }
    if (type == SQLITE_FLOAT) {
        char buf[32];
        int n = snprintf(buf, sizeof buf, "%.17g", sqlite3_column_double(st, col));
        sha256_update(h, buf, (size_t)n);
        return;
    }
    const void *p = type == SQLITE_BLOB ? sqlite3_column_blob(st, col)
                                        : (const void *)sqlite3_column_text(st, col);
    uint64_t n = (uint64_t)sqlite3_column_bytes(st, col);
    uint8_t b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (uint8_t)(n >> (56 - 8 * i));
    sha256_update(h, b, 8);
    if (n)
        sha256_update(h, p, (size_t)n);
}

bool feed_digest(const char *path, char out[static 65])
{
    char *why = NULL;
    struct feed *f = feed_open(path, &why);
    if (!f) {
        log_error("feed digest: %s", why ? why : path);
        free(why);
        return false;
    }
    struct sha256 h;
    sha256_init(&h);
    bool ok = true;
    for (size_t t = 0; ok && t < ARRAY_LEN(schema); t++) {
        const struct feed_table *tb = &schema[t];
        struct sbuf sql = {0}, order = {0};
        sbuf_adds(&sql, "SELECT ");
        for (size_t i = 0; i < tb->ncols; i++)
            sbuf_addf(&sql, "%s%s", i ? ", " : "", tb->cols[i].name);
        for (int k = 1; k <= 2; k++)
            for (size_t i = 0; i < tb->ncols; i++)
                if (tb->cols[i].pk == k)
                    sbuf_addf(&order, "%s%s", order.len ? ", " : "", tb->cols[i].name);
        sbuf_addf(&sql, " FROM %s ORDER BY %s", tb->name, order.s);
        sha256_update(&h, tb->name, strlen(tb->name) + 1);
        sqlite3_stmt *st;
        f->steps = 0;
        ok = sqlite3_prepare_v2(f->db, sql.s, -1, &st, NULL) == SQLITE_OK;
        sbuf_free(&sql);
        sbuf_free(&order);
        if (!ok)
            break;
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW)
            for (int i = 0; i < (int)tb->ncols; i++)
                hash_value(&h, st, i);
        ok = rc == SQLITE_DONE;
        sqlite3_finalize(st);
    }
    if (ok) {
        uint8_t d[32];
        sha256_final(&h, d);
        sha256_hex_digest(d, out);
    } else {
        log_error("feed digest of %s: %s", path, sqlite3_errmsg(f->db));
    }
    feed_close(f);
    return ok;
}
