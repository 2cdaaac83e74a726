/* feed_schema.c — the feed's tables, made from the kinds table, and the
 * storage of each value type (feed_schema.h, docs/feed.md).  The CREATE
 * TABLE statements and the checker both come from here, so they cannot
 * drift apart. */
#include "core/feed_schema.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "core/when.h"

static struct feed_table tables[KIND_COUNT + 3];
static size_t ntables;

static void add_col(struct feed_table *t, const char *name, const char *type, bool notnull,
                    int pk, int since, int kcol)
{
    t->cols[t->ncols++] = (struct feed_col){name, type, notnull, pk, since, kcol};
}

/* The kind's columns (those of the roll, or of the person, for honors). */
static void add_kind_cols(struct feed_table *t, enum kind k, bool first_is_key, int rolls)
{
    const struct kind_info *ki = kind_info(k);
    for (size_t i = 0; i < ki->ncols; i++) {
        const struct kind_col *kc = &ki->cols[i];
        if (rolls >= 0 && kc->roll != (rolls != 0))
            continue;
        const char *type;
        bool notnull;
        feed_val_sql(kc->type, &type, &notnull);
        add_col(t, kc->feed, type, notnull, first_is_key && i == 0, kc->since, (int)i);
    }
}

static void build(void)
{
    struct feed_table *t;
    t = &tables[ntables++];
    *t = (struct feed_table){.name = "meta", .kind = -1};
    add_col(t, "key", "TEXT", true, 1, 1, -1);
    add_col(t, "value", "TEXT", true, 0, 1, -1);
    for (int k = 0; k < KIND_COUNT; k++) {
        const struct kind_info *ki = kind_info((enum kind)k);
        if (k == KIND_HONORS) {
            t = &tables[ntables++];
            *t = (struct feed_table){.name = "honor_rolls", .kind = k, .key = KEY_ROLL,
                                     .rolls = true};
            add_col(t, "id", "INTEGER", false, 1, 1, -1);
            add_kind_cols(t, (enum kind)k, false, 1);
            t = &tables[ntables++];
            *t = (struct feed_table){
                .name = ki->feed, .kind = k, .key = KEY_ROLL,
                .tail = "PRIMARY KEY (roll_id, position), "
                        "FOREIGN KEY (roll_id) REFERENCES honor_rolls(id)"};
            add_col(t, "roll_id", "INTEGER", true, 1, 1, -1);
            add_col(t, "position", "INTEGER", true, 2, 1, -1);
            add_kind_cols(t, (enum kind)k, false, 0);
            continue;
        }
        bool by_id = k != KIND_HOLIDAYS && k != KIND_SETTINGS;
        t = &tables[ntables++];
        *t = (struct feed_table){.name = ki->feed, .kind = k,
                                 .key = by_id ? KEY_ID : KEY_FIRST};
        if (by_id)
            add_col(t, "id", "INTEGER", false, 1, 1, -1);
        add_kind_cols(t, (enum kind)k, !by_id, -1);
    }
    t = &tables[ntables++];
    *t = (struct feed_table){.name = "media", .kind = -1};
    add_col(t, "name", "TEXT", true, 1, 1, -1);
    add_col(t, "sha256", "TEXT", true, 0, 1, -1);
    add_col(t, "mime", "TEXT", true, 0, 1, -1);
    add_col(t, "width", "INTEGER", true, 0, 1, -1);
    add_col(t, "height", "INTEGER", true, 0, 1, -1);
    add_col(t, "data", "BLOB", true, 0, 1, -1);
    add_col(t, "file", "TEXT", true, 0, 2, -1);     /* the name staff gave it, for export */
}

const struct feed_table *feed_schema_tables(size_t *n)
{
    if (!ntables)
        build();
    *n = ntables;
    return tables;
}

const struct feed_table *feed_schema_table(const char *name)
{
    size_t n;
    const struct feed_table *t = feed_schema_tables(&n);
    for (size_t i = 0; i < n; i++)
        if (!strcmp(t[i].name, name))
            return &t[i];
    return NULL;
}

bool feed_col_in(const struct feed_col *c, int version)
{
    return c->since <= version;
}

char *feed_schema_sql(void)
{
    size_t n;
    const struct feed_table *tables_ = feed_schema_tables(&n);
    struct sbuf b = {0};
    for (size_t t = 0; t < n; t++) {
        const struct feed_table *tb = &tables_[t];
        sbuf_addf(&b, "CREATE TABLE %s (", tb->name);
        int npk = 0;
        for (size_t i = 0; i < tb->ncols; i++)
            npk += tb->cols[i].pk != 0;
        for (size_t i = 0; i < tb->ncols; i++) {
            const struct feed_col *c = &tb->cols[i];
            sbuf_addf(&b, "%s%s %s%s%s", i ? ", " : "", c->name, c->type,
                      c->notnull ? " NOT NULL" : "", c->pk && npk == 1 ? " PRIMARY KEY" : "");
        }
        if (tb->tail)
            sbuf_addf(&b, ", %s", tb->tail);
        sbuf_adds(&b, ");\n");
    }
    return sbuf_take(&b);
}

/* ---------------------------------------------------------------- values */

void feed_val_sql(enum val_type t, const char **type, bool *notnull)
{
    switch (t) {
    case VAL_DAYS: case VAL_DURATION: case VAL_PRIORITY:
        *type = "INTEGER";
        *notnull = true;
        return;
    case VAL_MEDIA: case VAL_START: case VAL_END: case VAL_CLOCK: case VAL_CLOCK_END:
    case VAL_COUNTDOWN:
        *type = "TEXT";
        *notnull = false;
        return;
    case VAL_TEXT: case VAL_PARAGRAPHS: case VAL_DATE: case VAL_HOURS: case VAL_HOLIDAY:
    case VAL_QR:
        break;
    }
    *type = "TEXT";
    *notnull = true;
}

static bool bind_text(sqlite3_stmt *st, int i, const char *s)
{
    return (s ? sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT) : sqlite3_bind_null(st, i)) ==
           SQLITE_OK;
}

bool feed_val_bind(sqlite3_stmt *st, int i, enum val_type t, const union kind_value *v)
{
    char buf[17];
    switch (t) {
    case VAL_TEXT: case VAL_PARAGRAPHS: case VAL_QR:
        return bind_text(st, i, v->s ? v->s : "");
    case VAL_MEDIA:
        return bind_text(st, i, v->s);
    case VAL_START: case VAL_END:
        if (v->t == WHEN_ALWAYS || v->t == WHEN_NEVER)
            return sqlite3_bind_null(st, i) == SQLITE_OK;
        when_format(v->t, buf);
        return bind_text(st, i, buf);
    case VAL_DATE:
        when_format_date(v->t, buf);
        return bind_text(st, i, buf);
    case VAL_COUNTDOWN:
        if (v->t <= 0)
            return sqlite3_bind_null(st, i) == SQLITE_OK;
        when_format_date(v->t, buf);
        return bind_text(st, i, buf);
    case VAL_CLOCK: case VAL_CLOCK_END:
        if (v->i < 0)
            return sqlite3_bind_null(st, i) == SQLITE_OK;
        when_format_clock(v->i, buf);
        return bind_text(st, i, buf);
    case VAL_HOURS: {
        char *h = when_format_hours(v->hours.w, v->hours.n);
        bool ok = bind_text(st, i, h);
        free(h);
        return ok;
    }
    case VAL_DAYS: case VAL_DURATION: case VAL_PRIORITY:
        return sqlite3_bind_int(st, i, v->i) == SQLITE_OK;
    case VAL_HOLIDAY:
        return bind_text(st, i, v->i ? "work" : "off");
    }
    return false;
}

/* Text the rest of the program may trust: valid UTF-8, no NUL, and no
 * control character but the paragraph break where the type keeps one —
 * what the sheet validator lets through, so a feed.db on a stick cannot
 * bring an escape sequence to a terminal or a tab into `plan`. */
void feed_val_default(enum val_type t, union kind_value *v)
{
    memset(v, 0, sizeof *v);
    switch (t) {
    case VAL_TEXT: case VAL_PARAGRAPHS: case VAL_QR: v->s = xstrdup(""); break;
    case VAL_START: v->t = WHEN_ALWAYS; break;
    case VAL_END: v->t = WHEN_NEVER; break;
    case VAL_CLOCK: case VAL_CLOCK_END: v->i = -1; break;
    case VAL_DAYS: v->i = DAYS_ALL; break;
    case VAL_DURATION: v->i = 10; break;
    case VAL_MEDIA: case VAL_DATE: case VAL_HOURS: case VAL_PRIORITY: case VAL_HOLIDAY:
    case VAL_COUNTDOWN:     /* 0: none */
        break;
    }
}

bool feed_val_read(sqlite3_stmt *st, int col, enum val_type t, union kind_value *v,
                   const char **what)
{
    memset(v, 0, sizeof *v);
    const char *type;
    bool notnull;
    feed_val_sql(t, &type, &notnull);
    int ct = sqlite3_column_type(st, col);
    if (ct == SQLITE_NULL) {
        if (notnull) {
            *what = "missing value";
            return false;
        }
        feed_val_default(t, v);     /* NULL: the open start, end, no time, no media */
        return true;
    }
    if (!strcmp(type, "INTEGER")) {
        if (ct != SQLITE_INTEGER) {
            *what = "not an integer";
            return false;
        }
        int64_t x = sqlite3_column_int64(st, col), hi = t == VAL_DAYS ? (DAYS_ALL | DAYS_WORKDAY |
                                                                          DAYS_WEEKEND)
                                                       : t == VAL_DURATION ? 86400 : PRIO_URGENT;
        int64_t lo = t == VAL_PRIORITY ? PRIO_NORMAL : 1;
        if (x < lo || x > hi) {
            *what = "out of range";
            return false;
        }
        v->i = (int)x;
        return true;
    }
    if (ct != SQLITE_TEXT) {
        *what = "not text";
        return false;
    }
    const char *s = (const char *)sqlite3_column_text(st, col);
    size_t n = (size_t)sqlite3_column_bytes(st, col);
    /* Text the rest of the program may trust, as the sheet validator lets
     * it through: a feed.db on a stick cannot bring an escape sequence to
     * a terminal or a tab into `plan`'s one-line format. */
    if (!s || strlen(s) != n || !utf8_printable(s, n, t == VAL_PARAGRAPHS, NULL)) {
        *what = "invalid UTF-8 or a control character";
        return false;
    }
    bool ok = true;
    int m = -1;
    switch (t) {
    case VAL_TEXT: case VAL_PARAGRAPHS:
        v->s = xstrndup(s, n);
        return true;
    case VAL_QR:
        *what = "longer than a QR code holds";
        if (n > KIND_QR_MAX_BYTES)
            return false;
        v->s = xstrndup(s, n);
        return true;
    case VAL_MEDIA:
        ok = *s && !strchr(s, '/') && !strchr(s, '\\');
        if (ok)
            v->s = xstrndup(s, n);
        *what = "not a plain file name";
        return ok;
    case VAL_START: case VAL_END:
        *what = "not a 'YYYY-MM-DD HH:MM' time";
        return when_read_moment(s, &v->t);
    case VAL_DATE:
        *what = "not a 'YYYY-MM-DD' date";
        return when_read_date(s, &v->t);
    case VAL_COUNTDOWN:
        *what = "not a 'YYYY-MM-DD' date after 1970-01-01";
        return when_read_date(s, &v->t) && v->t > 0;
    case VAL_CLOCK: case VAL_CLOCK_END:
        ok = when_read_clock(s, t == VAL_CLOCK_END, &m);
        v->i = m;
        *what = "not an 'HH:MM' time";
        return ok;
    case VAL_HOURS:
        *what = "not 'HH:MM-HH:MM,…' windows";
        return when_read_hours(s, v->hours.w, &v->hours.n);
    case VAL_HOLIDAY:
        *what = "kind is not 'off' or 'work'";
        v->i = !strcmp(s, "work");
        return v->i || !strcmp(s, "off");
    case VAL_DAYS: case VAL_DURATION: case VAL_PRIORITY:
        break;
    }
    *what = "unexpected type";
    return false;
}
