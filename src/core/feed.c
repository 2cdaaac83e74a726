/* feed.c — reading a feed (docs/feed.md): the hardened read-only open, the
 * schema check, the loader that validates every value, media, and a
 * canonical digest.  The tables come from feed_schema.c; writing is
 * feed_write.c. */
#include "core/feed.h"

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/feed_schema.h"
#include "core/log.h"
#include "core/sha256.h"
#include "core/util.h"

struct feed {
    sqlite3 *db;
    int version;            /* PRAGMA user_version: which columns it has */
    int steps;              /* progress callbacks since the current operation began */
};

static int progress(void *arg)
{
    struct feed *f = arg;
    return ++f->steps > FEED_MAX_STEPS;    /* non-zero interrupts the statement */
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

/* ---------------------------------------------------------------- check */

/* The columns of tb in the file are exactly those of schema version
 * `version`: each by name with its type, NOT NULL and primary-key place,
 * no default, nothing hidden or generated, nothing else.  Their order is
 * free: the loader selects them by name. */
static bool check_columns(sqlite3 *db, const struct feed_table *tb, int version, char **why)
{
    char *sql = xasprintf("PRAGMA table_xinfo(%s)", tb->name);
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    free(sql);
    if (rc != SQLITE_OK)
        return set_why(why, "not a Noticeboard feed: cannot read columns of %s: %s",
                            tb->name, sqlite3_errmsg(db));
    bool seen[FEED_MAX_TABLE_COLS] = {0};
    size_t n = 0, want = 0;
    bool ok = true;
    for (size_t i = 0; i < tb->ncols; i++)
        want += feed_col_in(&tb->cols[i], version);
    /* table_xinfo: cid, name, type, notnull, dflt_value, pk, hidden */
    while (ok && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 1);
        const char *type = (const char *)sqlite3_column_text(st, 2);
        size_t i = 0;
        while (i < tb->ncols && !(name && !strcmp(name, tb->cols[i].name) &&
                                  feed_col_in(&tb->cols[i], version)))
            i++;
        if (i == tb->ncols || seen[i]) {
            ok = set_why(why, "not a Noticeboard feed: table %s has an extra column %s",
                              tb->name, name ? name : "?");
            break;
        }
        const struct feed_col *c = &tb->cols[i];
        seen[i] = true;
        n++;
        if (!type || strcmp(type, c->type) || (sqlite3_column_int(st, 3) != 0) != c->notnull ||
            sqlite3_column_type(st, 4) != SQLITE_NULL || sqlite3_column_int(st, 5) != c->pk ||
            sqlite3_column_int(st, 6) != 0)
            ok = set_why(why, "not a Noticeboard feed: table %s column %s is declared "
                              "differently (expected %s%s)", tb->name, name, c->type,
                              c->notnull ? " NOT NULL" : "");
    }
    sqlite3_finalize(st);
    if (ok && rc != SQLITE_DONE)
        return set_why(why, "not a Noticeboard feed: cannot read columns of %s: %s",
                            tb->name, sqlite3_errmsg(db));
    if (ok && n != want)
        return set_why(why, "not a Noticeboard feed: table %s has %zu columns, expected %zu",
                            tb->name, n, want);
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

/* The schema version of db (1..FEED_SCHEMA_VERSION), or 0 with *why set. */
static int check_version(sqlite3 *db, char **why)
{
    int64_t v;
    if (!pragma_int(db, "PRAGMA application_id", &v))
        return set_why(why, "not a Noticeboard feed: unreadable (%s)", sqlite3_errmsg(db));
    if ((uint32_t)v != FEED_APPLICATION_ID)
        return set_why(why, "not a Noticeboard feed: application_id is 0x%08x", (unsigned)v);
    if (!pragma_int(db, "PRAGMA user_version", &v) || v < 1 || v > FEED_SCHEMA_VERSION)
        return set_why(why, "not a Noticeboard feed: schema version %lld, expected 1 to %d",
                            (long long)v, FEED_SCHEMA_VERSION);
    return (int)v;
}

bool feed_check(struct sqlite3 *db, char **why)
{
    int version = check_version(db, why);
    if (!version)
        return false;
    size_t ntab;
    const struct feed_table *tables = feed_schema_tables(&ntab);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT type, name, tbl_name, sql FROM sqlite_schema", -1, &st, NULL)
        != SQLITE_OK)
        return set_why(why, "not a Noticeboard feed: unreadable schema (%s)", sqlite3_errmsg(db));
    bool seen[KIND_COUNT + 3] = {0};
    bool ok = true;
    int rc;
    while (ok && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *type = (const char *)sqlite3_column_text(st, 0);
        const char *name = (const char *)sqlite3_column_text(st, 1);
        const char *tbl = (const char *)sqlite3_column_text(st, 2);
        if (!type || !name || !tbl) {
            ok = set_why(why, "not a Noticeboard feed: damaged schema");
        } else if (!strcmp(type, "table")) {
            const struct feed_table *tb = feed_schema_table(name);
            if (!tb)
                ok = set_why(why, "not a Noticeboard feed: unexpected table %s", name);
            else
                seen[tb - tables] = true;
        } else if (!strcmp(type, "index")) {
            /* Only the automatic indexes of PRIMARY KEYs (they have no SQL):
             * a hand-written index could carry expressions. */
            if (sqlite3_column_type(st, 3) != SQLITE_NULL || !feed_schema_table(tbl))
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
    for (size_t t = 0; t < ntab; t++) {
        if (!seen[t])
            return set_why(why, "not a Noticeboard feed: table %s missing", tables[t].name);
        if (!check_columns(db, &tables[t], version, why))
            return false;
    }

    char *val = NULL;
    int64_t v;
    if (!meta_get(db, "format", &val) || strcmp(val, "noticeboard-feed")) {
        free(val);
        return set_why(why, "not a Noticeboard feed: meta format missing or wrong");
    }
    free(val);
    val = NULL;
    if (!meta_get(db, "schema_version", &val) || !parse_int(val, &v) || v != version) {
        free(val);
        return set_why(why, "not a Noticeboard feed: meta schema_version missing or not %d",
                            version);
    }
    free(val);
    val = NULL;
    if (!meta_get(db, "feed_version", &val) || !parse_int(val, &v) || v < 1) {
        free(val);
        return set_why(why, "not a Noticeboard feed: meta feed_version missing or invalid");
    }
    free(val);
    val = NULL;
    if (!meta_get(db, "created_at", &val) || !when_read_moment(val, &v)) {
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
        set_why(why, "cannot open feed %s: %s", path,
                     f->db ? sqlite3_errmsg(f->db) : "out of memory");
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
    f->version = check_version(f->db, NULL);
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
    size_t ntab;
    const struct feed_table *tables = feed_schema_tables(&ntab);
    for (size_t t = 0; t < ntab; t++) {
        char *sql = xasprintf("SELECT count(*) FROM %s", tables[t].name);
        bool ok = pragma_int(f->db, sql, &n);
        free(sql);
        if (!ok || n > FEED_MAX_ROWS) {
            set_why(why, "not a Noticeboard feed: table %s is unreadable or has over %d rows",
                         tables[t].name, FEED_MAX_ROWS);
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

/* ---------------------------------------------------------------- load */

/* SELECT of table tb's columns present in this feed (kind columns and
 * keys by name), ORDER BY its primary key. */
static char *select_sql(const struct feed *f, const struct feed_table *tb)
{
    struct sbuf b = {0}, order = {0};
    sbuf_adds(&b, "SELECT ");
    bool first = true;
    for (size_t i = 0; i < tb->ncols; i++)
        if (feed_col_in(&tb->cols[i], f->version)) {
            sbuf_addf(&b, "%s%s", first ? "" : ", ", tb->cols[i].name);
            first = false;
        }
    for (int k = 1; k <= 2; k++)
        for (size_t i = 0; i < tb->ncols; i++)
            if (tb->cols[i].pk == k)
                sbuf_addf(&order, "%s%s", order.len ? ", " : "", tb->cols[i].name);
    sbuf_addf(&b, " FROM %s ORDER BY %s", tb->name, order.s);
    sbuf_free(&order);
    return sbuf_take(&b);
}

/* Reads one row of tb: key columns into keys[] (in table order), kind
 * columns into v[] by their place in the kind (defaults for columns this
 * feed's version lacks).  false with *why naming table, row and column. */
static bool read_row(struct feed *f, sqlite3_stmt *st, const struct feed_table *tb, int64_t row,
                     int64_t *keys, union kind_value *v, char **why)
{
    const struct kind_info *ki = kind_info((enum kind)tb->kind);
    int col = 0, nk = 0;
    for (size_t i = 0; i < tb->ncols; i++) {
        const struct feed_col *c = &tb->cols[i];
        const char *what = NULL;
        if (c->kcol < 0) {
            if (sqlite3_column_type(st, col) != SQLITE_INTEGER ||
                sqlite3_column_int64(st, col) < (c->pk == 2 ? 0 : 1))
                what = "not a positive integer";
            else
                keys[nk++] = sqlite3_column_int64(st, col);
        } else if (!feed_col_in(c, f->version)) {
            feed_val_default(ki->cols[c->kcol].type, &v[c->kcol]);
            continue;
        } else if (!feed_val_read(st, col, ki->cols[c->kcol].type, &v[c->kcol], &what)) {
            if (!what)
                what = "bad value";
        } else {
            what = NULL;        /* set on success too: only a failure's counts */
        }
        if (what) {
            set_why(why, "feed table %s row %lld column %s: %s", tb->name, (long long)row,
                         c->name, what);
            return false;
        }
        col++;
    }
    (void)f;
    return true;
}

/* Loads the rows of a kind kept in one table (all but honors). */
static bool load_kind(struct feed *f, struct feed_content *c, const struct feed_table *tb,
                      char **why)
{
    char *sql = select_sql(f, tb);
    sqlite3_stmt *st;
    f->steps = 0;
    int rc = sqlite3_prepare_v2(f->db, sql, -1, &st, NULL);
    free(sql);
    if (rc != SQLITE_OK)
        return set_why(why, "feed table %s: %s", tb->name, sqlite3_errmsg(f->db));
    enum kind k = (enum kind)tb->kind;
    bool ok = true;
    int64_t row = 0;
    while (ok && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        union kind_value v[KIND_MAX_COLS] = {0};
        int64_t key[2] = {0, 0};
        ok = read_row(f, st, tb, ++row, key, v, why);
        if (ok)
            kind_row_add(c, k, tb->key == KEY_ID ? key[0] : row, v);
        else
            kind_row_free(k, v);
    }
    if (ok && rc != SQLITE_DONE)
        ok = set_why(why, "feed table %s: %s", tb->name, sqlite3_errmsg(f->db));
    sqlite3_finalize(st);
    return ok;
}

/* Honors: the rolls, then their people merged in (both sorted by roll). */
static bool load_honors(struct feed *f, struct feed_content *c, char **why)
{
    const struct feed_table *rt = feed_schema_table("honor_rolls"),
                            *et = feed_schema_table(kind_info(KIND_HONORS)->feed);
    struct roll { int64_t id; union kind_value v[KIND_MAX_COLS]; } *rolls = NULL;
    size_t nrolls = 0, cap = 0;
    char *sql = select_sql(f, rt);
    sqlite3_stmt *st;
    f->steps = 0;
    int rc = sqlite3_prepare_v2(f->db, sql, -1, &st, NULL);
    free(sql);
    if (rc != SQLITE_OK)
        return set_why(why, "feed table %s: %s", rt->name, sqlite3_errmsg(f->db));
    bool ok = true;
    while (ok && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        xgrow(&rolls, &cap, nrolls + 1, sizeof *rolls);
        struct roll *r = &rolls[nrolls++];
        memset(r, 0, sizeof *r);
        ok = read_row(f, st, rt, (int64_t)nrolls, &r->id, r->v, why);
    }
    if (ok && rc != SQLITE_DONE)
        ok = set_why(why, "feed table %s: %s", rt->name, sqlite3_errmsg(f->db));
    sqlite3_finalize(st);
    st = NULL;      /* a bad roll skips the entries: not finalized twice below */

    sql = ok ? select_sql(f, et) : NULL;
    if (ok && sqlite3_prepare_v2(f->db, sql, -1, &st, NULL) != SQLITE_OK) {
        ok = set_why(why, "feed table %s: %s", et->name, sqlite3_errmsg(f->db));
        st = NULL;
    }
    free(sql);
    size_t k = 0;
    int64_t row = 0;
    const struct kind_info *ki = kind_info(KIND_HONORS);
    while (ok && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        union kind_value v[KIND_MAX_COLS] = {0};
        int64_t key[2];
        if (!read_row(f, st, et, ++row, key, v, why)) {
            kind_row_free(KIND_HONORS, v);
            ok = false;
            break;
        }
        while (k < nrolls && rolls[k].id < key[0])
            k++;
        if (k == nrolls || rolls[k].id != key[0]) {
            kind_row_free(KIND_HONORS, v);
            ok = set_why(why, "feed table %s row %lld column roll_id: no such honor roll",
                              et->name, (long long)row);
            break;
        }
        /* The roll's own columns: copies, since every person takes them. */
        for (size_t i = 0; i < ki->ncols; i++)
            if (ki->cols[i].roll)
                v[i] = rolls[k].v[i];
        size_t before = c->nrolls;
        for (size_t i = 0; i < ki->ncols; i++)
            if (ki->cols[i].roll && ki->cols[i].type == VAL_TEXT)
                v[i].s = xstrdup(rolls[k].v[i].s);
        kind_row_add(c, KIND_HONORS, 0, v);
        /* Two rolls of one name are one roll to the staff who typed it;
         * a feed made by hand could still hold them: keep them apart. */
        if (c->nrolls == before && c->rolls[c->nrolls - 1].id != rolls[k].id &&
            strcmp(c->rolls[c->nrolls - 1].name, rolls[k].v[0].s) == 0) {
            ok = set_why(why, "feed table honor_rolls: two rolls named the same");
            break;
        }
        c->rolls[c->nrolls - 1].id = rolls[k].id;
    }
    if (ok && st && rc != SQLITE_DONE)
        ok = set_why(why, "feed table %s: %s", et->name, sqlite3_errmsg(f->db));
    sqlite3_finalize(st);
    for (size_t i = 0; i < nrolls; i++)
        kind_row_free(KIND_HONORS, rolls[i].v);
    free(rolls);
    return ok;
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
    ok = ok && meta_get(f->db, "created_at", &v) && when_read_moment(v, &c->created);
    free(v);
    if (!ok)
        set_why(why, "feed meta is unreadable");
    size_t ntab;
    const struct feed_table *tables = feed_schema_tables(&ntab);
    for (size_t t = 0; ok && t < ntab; t++) {
        const struct feed_table *tb = &tables[t];
        if (tb->kind < 0 || (tb->key == KEY_ROLL && !tb->rolls))
            continue;
        ok = tb->kind == KIND_HONORS ? load_honors(f, c, why) : load_kind(f, c, tb, why);
    }
    if (!ok) {
        content_destroy(c);
        return NULL;
    }
    content_sort(c);
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

/* ---------------------------------------------------------------- media */

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

char *feed_media_file(struct feed *f, const char *name)
{
    if (f->version < 2)
        return NULL;
    sqlite3_stmt *st = media_row(f, "SELECT width, height, file FROM media WHERE name = ?", name);
    if (!st)
        return NULL;
    char *file = sqlite3_column_type(st, 2) == SQLITE_TEXT
                     ? xstrdup((const char *)sqlite3_column_text(st, 2)) : NULL;
    sqlite3_finalize(st);
    return file;
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
    size_t ntab;
    const struct feed_table *tables = feed_schema_tables(&ntab);
    for (size_t t = 0; ok && t < ntab; t++) {
        const struct feed_table *tb = &tables[t];
        char *sql = select_sql(f, tb);
        sha256_update(&h, tb->name, strlen(tb->name) + 1);
        sqlite3_stmt *st;
        f->steps = 0;
        ok = sqlite3_prepare_v2(f->db, sql, -1, &st, NULL) == SQLITE_OK;
        free(sql);
        if (!ok)
            break;
        int rc, ncol = sqlite3_column_count(st);
        while ((rc = sqlite3_step(st)) == SQLITE_ROW)
            for (int i = 0; i < ncol; i++)
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
