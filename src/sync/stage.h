/* stage.h — reading the stick once into private staging.  Only regular
 * files with known names are read, relative to the bundle folder's fd with
 * O_NOFOLLOW; symlinks, FIFOs, devices and `..` are never followed or
 * opened.  What is validated and activated afterwards is this copy.
 * Tables are staged under the names bundle_table_name gives, the 海报
 * folder's pictures and PDFs under 海报/ (posters.h). */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/statvfs.h>
#include "sync/report.h"
#include "sync/trust.h"

/* Limits (docs/bundle.md states them).  The total fits 200 phone photos
 * of 3-5 MB with room to spare; the data disk's free space is checked
 * separately (stage_space_check), so this cap is not what protects it. */
#define STAGE_MAX_TOTAL   (2048ull << 20) /* bytes over the whole bundle */
#define STAGE_MAX_FILES   2000            /* files staged */
#define STAGE_MAX_NAME    200             /* bytes in a media file name */
#define STAGE_MAX_FEED_DB (512ull << 20)
#define STAGE_MAX_MTIMES  12              /* table times kept for the clock */
#define STAGE_TIME_TXT    "time.txt"      /* the time staff set (docs/bundle.md) */
/* Free space left on the data disk after an import: the journal, the play
 * log and the player's own files must still be writable. */
#define STAGE_RESERVE     (256ull << 20)

struct stage {
    char *dir;              /* DATA/staging/<pid>, created here */
    int dirfd;              /* open on dir */
    unsigned csv_mask;      /* 1u << kind for each CSV staged */
    unsigned book_mask;     /* 1u << kind for each kind's own workbook staged */
    bool workbook;          /* a workbook of every kind (内容.xlsx) staged */
    bool feed_db;           /* feed.db staged */
    char **media;           /* names staged in dir/media/ */
    size_t nmedia;
    bool posters_dir;       /* a 海报 folder was on the stick, even empty (posters.h) */
    char *posters_src;      /* its name there ("海报", "Posters"), for the report */
    char **posters;         /* pictures and PDFs staged in dir/海报/, in play order */
    size_t nposters;
    int64_t newest_mtime;   /* newest mtime (time_t) among staged tables (CSV,
                             * feed.db; not media), 0 if none */
    int64_t mtimes[STAGE_MAX_MTIMES]; /* the first tables' mtimes, for the clock */
    size_t nmtimes;
    bool time_txt;          /* time.txt staged (under signed trust: signed) */
    uint64_t bytes;         /* total staged */
};

enum stage_result {
    STAGE_OK,
    STAGE_REJECTED,         /* limits exceeded: exit 1, reported */
    STAGE_DENIED,           /* a file does not match the signed manifest: exit 3 */
    STAGE_IO,               /* read or write failure, or no room on the data
                             * disk: exit 4, reported */
};

/* Called with the percentage (0..100) of bytes copied so far. */
typedef void stage_progress_fn(void *ctx, int percent);

/* Copies the bundle folder (bundle_fd) into staging_root/<pid>/.  With a
 * manifest (signed trust), every staged file must match its size and
 * sha256, files not listed are skipped with a warning, and a listed file
 * that is missing denies.  Problems and warnings go to r.  On anything but
 * STAGE_OK, what was staged is removed again; on STAGE_OK the caller owns
 * out and frees it with stage_destroy (which removes the folder). */
enum stage_result stage_copy(int bundle_fd, const char *staging_root,
                             const struct manifest *m, struct report *r,
                             stage_progress_fn *progress, void *ctx, struct stage *out);
/* Whether the filesystem described by vfs (statvfs of the staging folder)
 * has room to import a bundle of total bytes: the staged copy, the
 * screen-sized media made from it (counted as half the copy; they have
 * fewer pixels and a lower quality than camera photos) and a reserve left
 * over: STAGE_RESERVE, or a twentieth of a filesystem smaller than 20 times
 * that.  Only space an unprivileged writer may use counts.  Sets
 * *need and *avail in bytes (saturating, never overflowing). */
bool stage_space_check(const struct statvfs *vfs, uint64_t total, uint64_t *need,
                       uint64_t *avail);
/* Removes the staging folder and frees out; a zeroed struct is a no-op. */
void stage_destroy(struct stage *s);
/* Removes a folder tree (staging leftovers); never follows symlinks. */
bool stage_remove_tree(const char *path);
