/* feed_write.c — writing a feed once (docs/feed.md): the schema from
 * feed_schema.c, media, every kind's rows through the kinds table, meta,
 * one transaction, then read back as the player will read it. */
#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/feed.h"
#include "core/feed_schema.h"
#include "core/log.h"
#include "core/now.h"
#include "core/util.h"

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
    char *schema_text = feed_schema_sql();
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
    return (s ? sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT) : sqlite3_bind_null(st, i)) ==
           SQLITE_OK;
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

bool feed_writer_media(struct feed_writer *w, const char *name, const char *file,
                       const char *sha256, int width, int height, const char *mime,
                       const void *data, size_t len)
{
    char *why = NULL;
    sqlite3_stmt *st = prep(w, "INSERT INTO media (name, sha256, mime, width, height, data, file) "
                               "VALUES (?, ?, ?, ?, ?, ?, ?)", &why);
    bool ok = st && put(w, st, bind_text(st, 1, name) && bind_text(st, 2, sha256) &&
                        bind_text(st, 3, mime) && sqlite3_bind_int(st, 4, width) == SQLITE_OK &&
                        sqlite3_bind_int(st, 5, height) == SQLITE_OK &&
                        sqlite3_bind_blob64(st, 6, data, len, SQLITE_STATIC) == SQLITE_OK &&
                        bind_text(st, 7, file ? file : name), &why);
    sqlite3_finalize(st);
    if (!ok) {
        log_error("feed %s: media %s: %s", w->path, name, why ? why : "");
        w->failed = true;
    }
    free(why);
    return ok;
}

/* INSERT INTO tb with every column, in table order. */
static sqlite3_stmt *prep_insert(struct feed_writer *w, const struct feed_table *tb, char **why)
{
    struct sbuf b = {0};
    sbuf_addf(&b, "INSERT INTO %s (", tb->name);
    for (size_t i = 0; i < tb->ncols; i++)
        sbuf_addf(&b, "%s%s", i ? ", " : "", tb->cols[i].name);
    sbuf_adds(&b, ") VALUES (");
    for (size_t i = 0; i < tb->ncols; i++)
        sbuf_adds(&b, i ? ", ?" : "?");
    sbuf_adds(&b, ")");
    sqlite3_stmt *st = prep(w, b.s, why);
    sbuf_free(&b);
    return st;
}

/* Binds a row of tb: keys (id, roll_id, position) in table order from
 * keys[], kind columns from v[]. */
static bool bind_row(sqlite3_stmt *st, const struct feed_table *tb, const int64_t *keys,
                     const union kind_value *v)
{
    const struct kind_info *ki = kind_info((enum kind)tb->kind);
    bool ok = true;
    int nk = 0;
    for (size_t i = 0; ok && i < tb->ncols; i++) {
        const struct feed_col *c = &tb->cols[i];
        ok = c->kcol < 0 ? sqlite3_bind_int64(st, (int)i + 1, keys[nk++]) == SQLITE_OK
                         : feed_val_bind(st, (int)i + 1, ki->cols[c->kcol].type, &v[c->kcol]);
    }
    return ok;
}

/* Every row of one kind table.  Honors go in two tables: the rolls (from
 * their first person's row) and the people, numbered within their roll. */
static bool write_table(struct feed_writer *w, const struct feed_table *tb,
                        const struct feed_content *c, char **why)
{
    enum kind k = (enum kind)tb->kind;
    sqlite3_stmt *st = prep_insert(w, tb, why);
    bool ok = st != NULL;
    size_t n = kind_rows(c, k), roll = 0, pos = 0, left = c->nrolls ? c->rolls[0].nentries : 0;
    for (size_t r = 0; ok && r < n; r++) {
        union kind_value v[KIND_MAX_COLS];
        kind_row_get(c, k, r, v);
        int64_t keys[2] = {0, 0};
        if (k == KIND_HONORS) {
            while (left == 0) {
                left = c->rolls[++roll].nentries;
                pos = 0;
            }
            left--;
            pos++;
            keys[0] = c->rolls[roll].id;
            keys[1] = (int64_t)pos;
            if (tb->rolls && pos != 1)
                continue;       /* one row per roll */
        } else if (k == KIND_ANNOUNCEMENTS) {
            keys[0] = c->ann[r].id;
        } else if (k == KIND_EVENTS) {
            keys[0] = c->events[r].id;
        } else if (k == KIND_TICKER) {
            keys[0] = c->ticker[r].id;
        }
        ok = put(w, st, bind_row(st, tb, keys, v), why);
    }
    sqlite3_finalize(st);
    return ok;
}

static bool write_content(struct feed_writer *w, const struct feed_content *c, char **why)
{
    size_t ntab;
    const struct feed_table *tables = feed_schema_tables(&ntab);
    bool ok = true;
    for (size_t t = 0; ok && t < ntab; t++)
        if (tables[t].kind >= 0 && tables[t].kind != KIND_SETTINGS)
            ok = write_table(w, &tables[t], c, why);
    if (!ok)
        return false;
    /* settings: the list as given; org_name and logo fill in keys the list
     * lacks, so either way of filling the struct round-trips. */
    sqlite3_stmt *st = prep(w, "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", why);
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
    char created[17], version[24], schema[8];
    snprintf(schema, sizeof schema, "%d", FEED_SCHEMA_VERSION);
    when_format(c->created != CLOCK_NONE ? c->created : now_civil(NULL), created);
    snprintf(version, sizeof version, "%lld", (long long)feed_version);
    bool ok = feed_version >= 1;
    if (!ok)
        set_why(why, "feed write failed: feed_version must be at least 1");
    ok = ok && write_content(w, c, why);
    sqlite3_stmt *st = ok ? prep(w, "INSERT INTO meta VALUES (?, ?)", why) : NULL;
    const char *meta[][2] = {
        {"format", "noticeboard-feed"}, {"schema_version", schema}, {"feed_version", version},
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

