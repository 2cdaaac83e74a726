/* feed_schema.h — inside the feed module (not for the programs): the feed's
 * tables, made from the kinds table (kinds.h) so that the sheet, the feed
 * and export cannot disagree about a column, and how each value type is
 * stored.  feed.c reads and checks with it, feed_write.c writes. */
#pragma once
#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/feed.h"
#include "core/kinds.h"
#include "core/util.h"

#define FEED_MAX_TABLE_COLS 16

struct feed_col {
    const char *name, *type;    /* SQL name and declared type */
    bool notnull;
    int pk;                     /* position in the primary key, 0 when not in it */
    int since;                  /* schema version that added it */
    int kcol;                   /* its column in the kind, -1 for keys (id, roll_id, …) */
};

/* What a kind's rows are keyed by in its table. */
enum feed_key {
    KEY_NONE,                   /* meta, media: not a kind */
    KEY_ID,                     /* id INTEGER PRIMARY KEY: the row's place in the sheet */
    KEY_FIRST,                  /* the kind's first column (holidays: date; settings: key) */
    KEY_ROLL,                   /* honor_rolls: id; honor_entries: (roll_id, position) */
};

struct feed_table {
    const char *name;
    struct feed_col cols[FEED_MAX_TABLE_COLS];
    size_t ncols;
    const char *tail;           /* table constraints after the columns, or NULL */
    int kind;                   /* enum kind, or -1 */
    enum feed_key key;
    bool rolls;                 /* honors: the table of rolls (else of people) */
};

/* Limits against a hostile feed.db from a stick (docs/feed.md). */
#define FEED_MAX_FILE   (1024LL << 20)  /* whole file */
#define FEED_MAX_VALUE  (32 << 20)      /* one string or blob */
#define FEED_MAX_ROWS   100000          /* per table */
#define FEED_MAX_STEPS  20000           /* progress callbacks of 10,000 VM ops each */

/* Every table, in schema order (meta first, media last). */
const struct feed_table *feed_schema_tables(size_t *n);
const struct feed_table *feed_schema_table(const char *name);
/* CREATE TABLE statements of the current version, malloc'd. */
char *feed_schema_sql(void);
/* Does table tb of a feed of schema version `version` have column i? */
bool feed_col_in(const struct feed_col *c, int version);

/* The declared SQL type and NOT NULL of a value type's column. */
void feed_val_sql(enum val_type t, const char **type, bool *notnull);
/* Binds v (of type t) to parameter i.  false on a SQLite error. */
bool feed_val_bind(sqlite3_stmt *st, int i, enum val_type t, const union kind_value *v);
/* Reads column col of the current row as a value of type t into *v (strings
 * malloc'd), validated as strictly as the feed allows: a feed may come
 * from a stick.  On a bad value returns false with *what (static English). */
bool feed_val_read(sqlite3_stmt *st, int col, enum val_type t, union kind_value *v,
                   const char **what);
/* The value a column added in a later schema version has in an older feed. */
void feed_val_default(enum val_type t, union kind_value *v);

