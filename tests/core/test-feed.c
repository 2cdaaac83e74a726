/* test-feed.c — the SQLite feed v1: write/read round trip, the schema check
 * against hand-made and hostile files, media, digest. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/feed.h"
#include "core/util.h"
#include "../testutil.h"

static char dir[] = "/tmp/nb-test-feed.XXXXXX";

static char *path_of(const char *name)
{
    return xasprintf("%s/%s", dir, name);
}

static int64_t at(const char *s)
{
    int64_t t;
    assert_true(when_parse_moment(s, &t));
    return t;
}

/* A small content with every kind and the awkward values: NULL vs "",
 * open times, overnight windows, Chinese text, newlines. */
static struct feed_content *sample(void)
{
    struct feed_content *c = content_create();
    free(c->org_name);
    c->org_name = xstrdup("幸福里社区");
    c->created = at("2026-11-20 08:00");
    c->nann = 2;
    c->ann = xcalloc(2, sizeof *c->ann);
    c->ann[0] = (struct nb_announcement){.id = 1, .title = xstrdup("停水通知"),
        .body = xstrdup("第一段\n第二段 ABC 123"), .image = xstrdup("water.png"),
        .start = at("2026-11-22 09:30"), .end = at("2026-11-24 00:00"), .days = DAYS_WORKDAY,
        .nhours = 2, .hours = {{8 * 60, 12 * 60}, {20 * 60, 2 * 60}}, .duration = 15,
        .priority = PRIO_URGENT, .qr = xstrdup("https://example.org/停水?q=1"),
        .countdown = at("2026-12-20 00:00") / 1440};
    c->ann[1] = (struct nb_announcement){.id = 2, .title = xstrdup(""), .body = xstrdup(""),
        .start = WHEN_ALWAYS, .end = WHEN_NEVER, .days = DAYS_ALL, .duration = 10,
        .priority = PRIO_NORMAL, .nhours = 1, .hours = {{0, 1440}}};
    c->nevents = 2;
    c->events = xcalloc(2, sizeof *c->events);
    /* written out of order: feed_load must sort by day, start */
    c->events[0] = (struct nb_event){.id = 1, .day = at("2026-11-25 00:00") / 1440, .start = 9 * 60,
        .end = 24 * 60, .title = xstrdup("义诊"), .place = xstrdup("活动室"),
        .organizer = xstrdup(""), .note = xstrdup("带医保卡"),
        .qr = xstrdup("报名 13800000000")};
    c->events[1] = (struct nb_event){.id = 2, .day = at("2026-11-23 00:00") / 1440, .start = -1,
        .end = -1, .title = xstrdup("书法班"), .place = xstrdup(""), .organizer = xstrdup("文化站"),
        .note = xstrdup("")};
    c->nrolls = 1;
    c->rolls = xcalloc(1, sizeof *c->rolls);
    c->rolls[0] = (struct nb_roll){.id = 1, .name = xstrdup("2026年度好人榜"),
        .start = WHEN_ALWAYS, .end = at("2027-01-01 00:00"), .nentries = 2};
    c->rolls[0].entries = xcalloc(2, sizeof(struct nb_honor));
    c->rolls[0].entries[0] = (struct nb_honor){xstrdup("张三"), xstrdup("助人为乐"), xstrdup("三楼"),
                                               xstrdup("2026"), xstrdup("zs.jpg")};
    c->rolls[0].entries[1] = (struct nb_honor){xstrdup("李·四"), xstrdup(""), xstrdup(""),
                                               xstrdup(""), NULL};
    c->nticker = 1;
    c->ticker = xcalloc(1, sizeof *c->ticker);
    c->ticker[0] = (struct nb_ticker){1, xstrdup("欢迎光临"), WHEN_ALWAYS, WHEN_NEVER};
    c->nholidays = 2;
    c->holidays = xcalloc(2, sizeof *c->holidays);
    c->holidays[0] = (struct nb_holiday){at("2026-10-01 00:00") / 1440, false, xstrdup("国庆")};
    c->holidays[1] = (struct nb_holiday){at("2026-10-10 00:00") / 1440, true, xstrdup("调休")};
    c->nsettings = 1;
    c->settings = xcalloc(1, sizeof *c->settings);
    c->settings[0] = (struct nb_setting){xstrdup("org_name"), xstrdup("幸福里社区")};
    return c;
}

static char *write_sample(const char *name, int64_t version)
{
    char *p = path_of(name);
    unlink(p);
    char *why = NULL;
    struct feed_writer *w = feed_writer_create(p, &why);
    assert_non_null(w);
    assert_true(feed_writer_media(w, "water.png", "水.png", "00", 3, 2, "image/png", "\x89PNG", 4));
    struct feed_content *c = sample();
    assert_true(feed_writer_finish(w, c, version, &why));
    content_destroy(c);
    return p;
}

/* feed_1_1: what is written is what is read, value by value. */
static void feed_1_1(void **st)
{
    char *p = write_sample("a.db", 7);
    char *why = NULL;
    struct feed *f = feed_open(p, &why);
    assert_non_null(f);
    assert_int_equal(feed_version(f), 7);
    struct feed_content *c = feed_load(f);
    assert_non_null(c);
    struct feed_content *want = sample();
    assert_int_equal(c->feed_version, 7);
    assert_int_equal(c->created, want->created);
    assert_string_equal(c->org_name, "幸福里社区");
    assert_null(c->logo);
    assert_int_equal(c->nann, 2);
    for (size_t i = 0; i < 2; i++) {
        const struct nb_announcement *a = &c->ann[i], *b = &want->ann[i];
        assert_int_equal(a->id, b->id);
        assert_string_equal(a->title, b->title);
        assert_string_equal(a->body, b->body);
        if (b->image) assert_string_equal(a->image, b->image); else assert_null(a->image);
        assert_int_equal(a->start, b->start);
        assert_int_equal(a->end, b->end);
        assert_int_equal(a->days, b->days);
        assert_int_equal(a->nhours, b->nhours);
        for (int k = 0; k < a->nhours; k++) {
            assert_int_equal(a->hours[k].from, b->hours[k].from);
            assert_int_equal(a->hours[k].to, b->hours[k].to);
        }
        assert_int_equal(a->duration, b->duration);
        assert_int_equal(a->priority, b->priority);
        assert_string_equal(a->qr, b->qr ? b->qr : "");    /* none is "" on load */
        assert_int_equal(a->countdown, b->countdown);
    }
    assert_int_equal(c->nevents, 2);
    assert_int_equal(c->events[0].id, 2);       /* sorted by day */
    assert_int_equal(c->events[0].start, -1);
    assert_int_equal(c->events[0].end, -1);
    assert_string_equal(c->events[0].organizer, "文化站");
    assert_int_equal(c->events[1].start, 540);
    assert_int_equal(c->events[1].end, 1440);
    assert_string_equal(c->events[1].note, "带医保卡");
    assert_string_equal(c->events[1].qr, "报名 13800000000");
    assert_string_equal(c->events[0].qr, "");
    assert_int_equal(c->nrolls, 1);
    assert_int_equal(c->rolls[0].start, WHEN_ALWAYS);
    assert_int_equal(c->rolls[0].end, want->rolls[0].end);
    assert_int_equal(c->rolls[0].nentries, 2);
    assert_string_equal(c->rolls[0].entries[0].photo, "zs.jpg");
    assert_string_equal(c->rolls[0].entries[1].name, "李·四");
    assert_null(c->rolls[0].entries[1].photo);
    assert_int_equal(c->nticker, 1);
    assert_int_equal(c->ticker[0].end, WHEN_NEVER);
    assert_int_equal(c->nholidays, 2);
    assert_false(c->holidays[0].workday);
    assert_true(c->holidays[1].workday);
    assert_string_equal(c->holidays[1].name, "调休");

    void *data; size_t len; int w, h;
    assert_true(feed_media(f, "water.png", &data, &len, &w, &h));
    assert_int_equal(len, 4);
    assert_memory_equal(data, "\x89PNG", 4);
    assert_int_equal(w, 3);
    assert_int_equal(h, 2);
    free(data);
    assert_false(feed_media(f, "none.png", &data, &len, &w, &h));
    /* The size alone, as the player lays out from it. */
    w = h = 0;
    assert_true(feed_media_info(f, "water.png", &w, &h));
    assert_int_equal(w, 3);
    assert_int_equal(h, 2);
    assert_false(feed_media_info(f, "none.png", &w, &h));
    /* The name staff gave it (schema v2), for export. */
    char *file = feed_media_file(f, "water.png");
    assert_non_null(file);
    assert_string_equal(file, "水.png");
    free(file);
    assert_null(feed_media_file(f, "none.png"));
    content_destroy(want);
    content_destroy(c);
    feed_close(f);
    free(p);
}

/* feed_1_2: the writer never overwrites, and a failed write leaves no file. */
static void feed_1_2(void **st)
{
    char *p = write_sample("b.db", 1);
    char *why = NULL;
    assert_null(feed_writer_create(p, &why));
    assert_non_null(why);
    free(why);
    char *q = path_of("c.db");
    struct feed_writer *w = feed_writer_create(q, NULL);
    assert_non_null(w);
    struct feed_content *c = sample();
    c->ann[1].id = 1;           /* duplicate primary key: must fail */
    assert_false(feed_writer_finish(w, c, 1, &why));
    assert_non_null(why);
    free(why);
    assert_int_equal(access(q, F_OK), -1);
    content_destroy(c);
    /* content the reader would refuse (days 0) is refused at write time */
    w = feed_writer_create(q, NULL);
    c = sample();
    c->ann[0].days = 0;
    why = NULL;
    assert_false(feed_writer_finish(w, c, 1, &why));
    assert_non_null(strstr(why, "column days"));
    free(why);
    assert_int_equal(access(q, F_OK), -1);
    content_destroy(c);
    w = feed_writer_create(q, NULL);
    feed_writer_abort(w);
    assert_int_equal(access(q, F_OK), -1);
    free(p);
    free(q);
}

/* Copies the sample feed and runs sql on the copy (as a hand-made feed). */
static char *tamper(const char *name, const char *sql)
{
    char *src = write_sample("src.db", 3);
    char *p = path_of(name);
    char *cmd = xasprintf("cp %s %s", src, p);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(p, &db), SQLITE_OK);
    char *err = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &err);
    if (rc != SQLITE_OK)
        fail_msg("tamper sql failed: %s", err);
    sqlite3_close(db);
    free(src);
    return p;
}

static void expect_rejected(const char *sql, const char *reason_part)
{
    char *p = tamper("t.db", sql);
    char *why = NULL;
    struct feed *f = feed_open(p, &why);
    if (f)
        fail_msg("accepted a feed after: %s", sql);
    assert_non_null(why);
    if (!strstr(why, reason_part))
        fail_msg("reason '%s' lacks '%s'", why, reason_part);
    assert_non_null(strstr(why, "not a Noticeboard feed"));
    free(why);
    unlink(p);
    free(p);
}

/* feed_2_1: feed_check refuses anything but exactly the schema (its columns
 * in any order, each declared as the schema says). */
static void feed_2_1(void **st)
{
    expect_rejected("PRAGMA application_id = 0", "application_id");
    expect_rejected("PRAGMA user_version = 4", "schema version");
    expect_rejected("ALTER TABLE media DROP COLUMN file", "media has 6 columns");
    expect_rejected("CREATE TABLE extra (x)", "unexpected table extra");
    expect_rejected("DROP TABLE ticker", "table ticker missing");
    expect_rejected("ALTER TABLE ticker ADD COLUMN evil TEXT", "extra column");
    expect_rejected("CREATE VIEW v AS SELECT 1", "unexpected view");
    expect_rejected("CREATE TRIGGER tr AFTER INSERT ON ticker BEGIN SELECT 1; END",
                    "unexpected trigger");
    expect_rejected("CREATE INDEX ix ON ticker(text)", "unexpected index");
    expect_rejected("DELETE FROM meta WHERE key = 'format'", "format");
    expect_rejected("UPDATE meta SET value = 'x' WHERE key = 'created_at'", "created_at");
    expect_rejected("DROP TABLE events; CREATE TABLE events (id INTEGER PRIMARY KEY, date TEXT, "
                    "start_time TEXT, end_time TEXT, title TEXT NOT NULL, place TEXT NOT NULL, "
                    "organizer TEXT NOT NULL, note TEXT NOT NULL, qr TEXT NOT NULL)",
                    "events column date");
    expect_rejected("ALTER TABLE events DROP COLUMN qr", "events has 8 columns");
}

/* feed_2_2: a feed that passes the schema check but holds bad values is
 * refused by feed_load, with the table, row and column named. */
static void feed_2_2(void **st)
{
    static const struct { const char *sql, *why; } cases[] = {
        {"UPDATE events SET date = '2026-02-30' WHERE id = 1", "events row 1 column date"},
        {"UPDATE announcements SET hours = '25:00-26:00' WHERE id = 1", "column hours"},
        {"UPDATE announcements SET priority = 3 WHERE id = 2", "column priority"},
        {"UPDATE announcements SET days = 0 WHERE id = 2", "column days"},
        {"UPDATE announcements SET start_at = '2026-11-22' WHERE id = 2", "column start_at"},
        {"UPDATE ticker SET text = CAST(x'ff41' AS TEXT)", "invalid UTF-8"},
        {"UPDATE ticker SET text = x'41'", "not text"},
        {"UPDATE holidays SET kind = 'maybe'", "column kind"},
        /* Control characters, as the CSV validator refuses them; a line
         * break only in a body or a note. */
        {"UPDATE ticker SET text = '欢迎' || char(27) || '[2J'", "ticker row 1 column text: invalid UTF-8 or a control character"},
        {"UPDATE announcements SET title = 'a' || char(13) || 'b' WHERE id = 1", "column title: invalid UTF-8 or a control character"},
        {"UPDATE announcements SET title = 'a' || char(10) || 'b' WHERE id = 1", "column title: invalid UTF-8 or a control character"},
        {"UPDATE events SET place = 'a' || char(9) WHERE id = 1", "column place: invalid UTF-8 or a control character"},
        {"UPDATE events SET note = char(10) || char(11) WHERE id = 1", "column note: invalid UTF-8 or a control character"},
        {"UPDATE settings SET value = 'x' || char(155)", "column value: invalid UTF-8 or a control character"},
        {"UPDATE honor_rolls SET name = char(127)", "column name: invalid UTF-8 or a control character"},
        {"UPDATE honor_entries SET unit = char(1)", "column unit: invalid UTF-8 or a control character"},
        {"UPDATE holidays SET name = char(8)", "column name: invalid UTF-8 or a control character"},
        {"INSERT INTO honor_entries VALUES (9, 1, 'x', '', '', '', NULL)", "no such honor roll"},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        char *p = tamper("v.db", cases[i].sql);
        char *why = NULL;
        struct feed *f = feed_open(p, &why);
        if (!f)
            fail_msg("case %zu: feed_open refused: %s", i, why);
        struct feed_content *c = feed_load_ex(f, &why);
        if (c)
            fail_msg("case %zu accepted: %s", i, cases[i].sql);
        assert_non_null(why);
        if (!strstr(why, cases[i].why))
            fail_msg("case %zu: reason '%s' lacks '%s'", i, why, cases[i].why);
        free(why);
        feed_close(f);
        unlink(p);
        free(p);
    }
}

/* feed_2_3: not a database at all, a missing file, a directory. */
static void feed_2_3(void **st)
{
    char *p = path_of("junk.db");
    FILE *fp = fopen(p, "w");
    fputs("this is not sqlite, just text that is long enough to look like a header......", fp);
    fclose(fp);
    char *why = NULL;
    assert_null(feed_open(p, &why));
    assert_non_null(why);
    free(why);
    why = NULL;
    assert_null(feed_open("/nonexistent/feed.db", &why));
    free(why);
    assert_null(feed_open(dir, NULL));
    free(p);
}

/* feed_2_4: a value over the 32 MiB limit (a hostile feed.db) is refused
 * on read rather than allocated. */
static void feed_2_4(void **st)
{
    char *p = tamper("big.db", "UPDATE media SET data = zeroblob(33 * 1024 * 1024)");
    struct feed *f = feed_open(p, NULL);
    assert_non_null(f);
    void *data = NULL;
    size_t len = 0;
    int w, h;
    assert_false(feed_media(f, "water.png", &data, &len, &w, &h));
    assert_null(data);
    feed_close(f);
    unlink(p);
    free(p);
}

/* feed_2_5: an index that disagrees with its table is damage too, and is
 * refused on open (integrity_check; quick_check misses it).  Found by
 * tests/fuzz/fuzz-feed: holidays came back out of date order from the
 * primary-key index, breaking content_holiday's sorted lookup. */
static void feed_2_5(void **st)
{
    char *p = write_sample("idx.db", 3);
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(p, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT rootpage, (SELECT page_size FROM "
                                        "pragma_page_size) FROM sqlite_schema WHERE name = "
                                        "'sqlite_autoindex_holidays_1'", -1, &q, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    long root = sqlite3_column_int(q, 0), psize = sqlite3_column_int(q, 1);
    sqlite3_finalize(q);
    sqlite3_close(db);
    assert_true(root > 1);

    /* The index page alone now says 2025-10-10 where the table says
     * 2026-10-10: the index sorts that row first. */
    size_t len;
    char *d = read_file(p, 1 << 20, &len);
    assert_non_null(d);
    assert_true((size_t)(root * psize) <= len);
    char *page = d + (root - 1) * psize, *hit = NULL;
    for (long i = 0; i + 10 <= psize && !hit; i++)
        if (memcmp(page + i, "2026-10-10", 10) == 0)
            hit = page + i;
    assert_non_null(hit);
    hit[3] = '5';
    FILE *f = fopen(p, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(d, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
    free(d);

    char *why = NULL;
    struct feed *fd = feed_open(p, &why);
    assert_null(fd);
    assert_non_null(why);
    assert_non_null(strstr(why, "damaged"));
    free(why);
    unlink(p);
    free(p);
}

/* feed_2_6: the columns' order is free (the loader selects them by name):
 * events laid out as the first writer made them load the same content;
 * and text with a control character other than a paragraph break is
 * refused, as the sheet validator would (an ESC from a feed.db on a stick
 * must not reach a terminal, nor a TAB `plan`'s one-line format). */
static void feed_2_6(void **st)
{
    char *p = tamper("order.db",
                     "ALTER TABLE events RENAME TO old_events; "
                     "CREATE TABLE events (id INTEGER PRIMARY KEY, date TEXT NOT NULL, "
                     "start_time TEXT, end_time TEXT, title TEXT NOT NULL, place TEXT NOT NULL, "
                     "organizer TEXT NOT NULL, note TEXT NOT NULL, qr TEXT NOT NULL); "
                     "INSERT INTO events SELECT id, date, start_time, end_time, title, place, "
                     "organizer, note, qr FROM old_events; DROP TABLE old_events; VACUUM");
    char *why = NULL;
    struct feed *f = feed_open(p, &why);
    if (!f)
        fail_msg("refused: %s", why);
    struct feed_content *c = feed_load(f);
    assert_non_null(c);
    assert_int_equal(c->nevents, 2);
    assert_string_equal(c->events[1].title, "义诊");
    assert_string_equal(c->events[1].note, "带医保卡");
    assert_int_equal(c->events[1].end, 1440);
    content_destroy(c);
    feed_close(f);
    free(p);
    static const struct { const char *sql, *why; } bad[] = {
        {"UPDATE ticker SET text = 'a' || char(27) || '[2J'", "ticker row 1 column text"},
        {"UPDATE ticker SET text = 'a' || char(9) || 'b'", "control character"},
        {"UPDATE announcements SET title = 'a' || char(10) || 'b' WHERE id = 1", "column title"},
        {"UPDATE announcements SET body = 'a' || char(13) || 'b' WHERE id = 1", "column body"},
        {"UPDATE announcements SET image = '../x.png' WHERE id = 1", "column image"},
    };
    for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
        p = tamper("ctl.db", bad[i].sql);
        f = feed_open(p, NULL);
        assert_non_null(f);
        why = NULL;
        assert_null(feed_load_ex(f, &why));
        if (!why || !strstr(why, bad[i].why))
            fail_msg("%s: reason '%s' lacks '%s'", bad[i].sql, why ? why : "", bad[i].why);
        free(why);
        feed_close(f);
        unlink(p);
        free(p);
    }
    /* A paragraph break in a body is content. */
    p = tamper("para.db", "UPDATE announcements SET body = 'a' || char(10) || 'b' WHERE id = 2");
    f = feed_open(p, NULL);
    c = feed_load(f);
    assert_non_null(c);
    assert_string_equal(c->ann[1].body, "a\nb");
    content_destroy(c);
    feed_close(f);
    free(p);
}

/* feed_3_1: the digest is stable across builds of the same content and
 * changes with any content change. */
static void feed_3_1(void **st)
{
    char *a = write_sample("d1.db", 5), *b = write_sample("d2.db", 5), *c = write_sample("d3.db", 6);
    char da[65], db[65], dc[65], dd[65];
    assert_true(feed_digest(a, da));
    assert_true(feed_digest(b, db));
    assert_true(feed_digest(c, dc));
    assert_string_equal(da, db);
    assert_string_not_equal(da, dc);
    char *d = tamper("d4.db", "UPDATE ticker SET text = '欢迎光临!'");
    assert_true(feed_digest(d, dd));
    assert_string_not_equal(dd, dc);    /* tamper() copies a version-3 sample */
    assert_int_equal(strlen(da), 64);
    assert_false(feed_digest("/nonexistent.db", dd));
    free(a); free(b); free(c); free(d);
}

/* feed_3_2: an empty content makes a valid, empty feed. */
static void feed_3_2(void **st)
{
    char *p = path_of("empty.db");
    struct feed_writer *w = feed_writer_create(p, NULL);
    struct feed_content *c = content_create();
    feed_writer_set_source(w, "feed.db");
    assert_true(feed_writer_finish(w, c, 1, NULL));
    content_destroy(c);
    struct feed *f = feed_open(p, NULL);
    assert_non_null(f);
    c = feed_load(f);
    assert_non_null(c);
    assert_int_equal(c->nann + c->nevents + c->nrolls + c->nticker + c->nholidays, 0);
    assert_string_equal(c->org_name, "");
    assert_true(c->created > 0);
    content_destroy(c);
    feed_close(f);
    free(p);
}

/* feed_1_3: a feed of schema v1 (media without file) still opens and
 * loads, its media read as before; it just has no staff file names. */
static void feed_1_3(void **st)
{
    char *p = tamper("v1.db", "ALTER TABLE media DROP COLUMN file; PRAGMA user_version = 1; "
                              "ALTER TABLE announcements DROP COLUMN qr; "
                              "ALTER TABLE announcements DROP COLUMN countdown; "
                              "ALTER TABLE events DROP COLUMN qr; "
                              "UPDATE meta SET value = '1' WHERE key = 'schema_version'");
    char *why = NULL;
    struct feed *f = feed_open(p, &why);
    if (!f)
        fail_msg("a v1 feed was refused: %s", why);
    struct feed_content *c = feed_load_ex(f, &why);
    assert_non_null(c);
    assert_int_equal(c->nann, 2);
    assert_string_equal(c->org_name, "幸福里社区");
    void *data; size_t len; int w, h;
    assert_true(feed_media(f, "water.png", &data, &len, &w, &h));
    assert_int_equal(len, 4);
    free(data);
    assert_null(feed_media_file(f, "water.png"));
    content_destroy(c);
    feed_close(f);
    /* v2 without the column, or v1 with it, is neither. */
    expect_rejected("ALTER TABLE announcements DROP COLUMN qr; "
                    "ALTER TABLE announcements DROP COLUMN countdown; "
                    "ALTER TABLE events DROP COLUMN qr; "
                    "UPDATE meta SET value = '1' WHERE key = 'schema_version'; "
                    "PRAGMA user_version = 1", "extra column file");
    unlink(p);
    free(p);
}

/* feed_1_4: a feed of schema v2 (before the 二维码 columns) still opens and
 * loads with no codes; v2 with them is refused. */
static void feed_1_4(void **st)
{
    char *p = tamper("v2.db", "ALTER TABLE announcements DROP COLUMN qr; "
                              "ALTER TABLE announcements DROP COLUMN countdown; "
                              "ALTER TABLE events DROP COLUMN qr; PRAGMA user_version = 2; "
                              "UPDATE meta SET value = '2' WHERE key = 'schema_version'");
    char *why = NULL;
    struct feed *f = feed_open(p, &why);
    if (!f)
        fail_msg("a v2 feed was refused: %s", why);
    struct feed_content *c = feed_load_ex(f, &why);
    assert_non_null(c);
    assert_int_equal(c->nann, 2);
    assert_string_equal(c->ann[0].qr, "");
    assert_int_equal(c->ann[0].countdown, 0);
    assert_string_equal(c->events[1].qr, "");
    assert_string_equal(c->events[1].note, "带医保卡");
    content_destroy(c);
    feed_close(f);
    expect_rejected("UPDATE meta SET value = '2' WHERE key = 'schema_version'; "
                    "PRAGMA user_version = 2", "extra column qr");
    unlink(p);
    free(p);
}

static int teardown(void **st)
{
    return rm_tree(dir);
}

int main(void)
{
    if (!mkdtemp(dir))
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(feed_1_1), cmocka_unit_test(feed_1_2), cmocka_unit_test(feed_1_3),
        cmocka_unit_test(feed_1_4),
        cmocka_unit_test(feed_2_1),
        cmocka_unit_test(feed_2_2), cmocka_unit_test(feed_2_3), cmocka_unit_test(feed_2_4), cmocka_unit_test(feed_2_5), cmocka_unit_test(feed_2_6),
        cmocka_unit_test(feed_3_1),
        cmocka_unit_test(feed_3_2),
    };
    return cmocka_run_group_tests(tests, NULL, teardown);
}
