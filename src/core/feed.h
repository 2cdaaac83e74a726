/* feed.h — the SQLite feed, v1 (docs/feed.md).  One module creates and
 * checks feeds for both programs, so the schema lives in one place.
 *
 * A feed is written once, by feed_write(), in rollback-journal mode, and
 * never changed after activation; readers open it read-only and immutable
 * with trusted_schema off. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/content.h"

#define FEED_APPLICATION_ID 0x4e42464eu /* 'NBFN' in PRAGMA application_id */
#define FEED_SCHEMA_VERSION 3

struct feed;

/* Opens path read-only and checks it is a Noticeboard feed (schema v1, v2
 * or v3; v2 adds media.file, v3 the 二维码 columns announcements.qr and
 * events.qr, read as "" from older feeds).  On failure
 * returns NULL and, if why is not NULL, a malloc'd one-line reason
 * ("not a Noticeboard feed: table announcements missing"). */
struct feed *feed_open(const char *path, char **why);
void feed_close(struct feed *f);

/* Reads all content into memory (NULL on a read error, logged). */
struct feed_content *feed_load(struct feed *f);
/* As feed_load, but does not log: on failure returns NULL with a malloc'd
 * one-line English reason in *why ("feed table events row 3 column date: …"),
 * for the sync tool's report.  Every value is validated on load. */
struct feed_content *feed_load_ex(struct feed *f, char **why);
/* meta feed_version of an open feed (0 if unreadable; feed_open checked it). */
int64_t feed_version(struct feed *f);

/* A media blob by name: *data is malloc'd, caller frees.  false if absent. */
bool feed_media(struct feed *f, const char *name, void **data, size_t *len,
                int *width, int *height);
/* The file name staff gave a media blob on the stick (media/王五.jpg), as
 * stored: malloc'd, or NULL when absent or the feed predates it (v1).  It
 * came from a stick: check it before using it as a file name. */
char *feed_media_file(struct feed *f, const char *name);
/* The stored size of a media blob, without reading the blob: what a slide
 * is laid out from.  false if absent or without a positive size. */
bool feed_media_info(struct feed *f, const char *name, int *width, int *height);

/* Checks the schema of an open handle: application_id, user_version,
 * exactly the expected tables and columns, no triggers or views, meta keys.
 * Returns false with a malloc'd reason in *why. */
struct sqlite3;
bool feed_check(struct sqlite3 *db, char **why);

/* Writing a new feed (sync tool).  Creates path (must not exist), writes the
 * schema, media and content in one transaction, sets meta (feed_version,
 * created_at, source), fsyncs, and runs quick_check. */
struct feed_writer;
struct feed_writer *feed_writer_create(const char *path, char **why);
/* Adds one media blob (already checked and downscaled). name is what the
 * content refers to; file the name staff gave the file (NULL: name), what
 * export writes it as; sha256 is the hex digest of data. */
bool feed_writer_media(struct feed_writer *w, const char *name, const char *file,
                       const char *sha256, int width, int height, const char *mime,
                       const void *data, size_t len);
/* Writes the content and meta, commits, fsyncs, quick_checks, closes, then
 * reads the file back with feed_open + feed_load_ex (so it is playable).
 * Returns false (and removes the file) on any failure; w is freed either way. */
bool feed_writer_finish(struct feed_writer *w, const struct feed_content *c,
                        int64_t feed_version, char **why);
void feed_writer_abort(struct feed_writer *w);
/* meta source of the feed being written ("csv" unless set; e.g. "feed.db"). */
void feed_writer_set_source(struct feed_writer *w, const char *source);

/* Digest of a feed's content (sha256 hex of a canonical dump), for tests
 * that must tell "exactly the old feed" from "exactly the new one". */
bool feed_digest(const char *path, char out[static 65]);
