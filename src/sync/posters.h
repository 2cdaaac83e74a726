/* posters.h — the 海报 folder, the least-effort path: a stick holding only
 * pictures or PDFs in 海报/ plays each as a full-screen poster with the
 * default timing, no spreadsheet (docs/bundle.md “海报文件夹”).  Which
 * folder and files count, their order, and what a poster row is. */
#pragma once
#include <stdbool.h>
#include <stddef.h>

#include "core/content.h"

#define POSTERS_DIR "海报"      /* the folder's name in staging and manifests */
#define POSTERS_MAX 200         /* pictures and PDFs in the folder */

/* Is name (an entry at the top of the bundle folder) the posters folder:
 * 海报 (or 海報) or posters (any case), with spaces (ASCII or 全角) around it
 * ignored — Windows hides a trailing space, and staff do not type one on
 * purpose. */
bool posters_folder_name(const char *name);

/* Is path ("海报/a.jpg", "Posters /a.jpg": as pack lists it) a file in the
 * posters folder?  Its first component passes posters_folder_name. */
bool posters_path(const char *path);

enum posters_file {
    POSTERS_QUIET,      /* hidden, Thumbs.db, desktop.ini: left out silently */
    POSTERS_OTHER,      /* not a picture or PDF by its name: left out with a 提醒 */
    POSTERS_IMAGE,      /* .jpg .jpeg .png (the content decides later) */
    POSTERS_PDF,        /* .pdf */
};

/* What a file in the folder is, by its name (extension in any case). */
enum posters_file posters_file_kind(const char *name);

/* Natural order of file names, as Windows Explorer sorts them: runs of
 * digits (ASCII or 全角) compare by their value (2.jpg before 10.jpg,
 * 第2张 before 第10张), letters without case, the rest byte by byte
 * (UTF-8, so code point order); ties fall back to strcmp, so the order is
 * total.  <0, 0, >0 as strcmp. */
int posters_name_cmp(const char *a, const char *b);

/* Sorts n names in place by posters_name_cmp. */
void posters_sort(char **names, size_t n);

/* Fills *a as the folder makes a poster: image (borrowed, copied), no
 * title, body or code, the announcement defaults (always, every day, all
 * day, 10 seconds, 普通).  Free the strings as any announcement's. */
void posters_row(struct nb_announcement *a, const char *image);

/* Is a a poster as the folder makes it — a picture with no text and the
 * default timing?  These are what a stick with 海报/ and no 公告 sheet
 * replaces; announcements with any text or timing stay. */
bool posters_is_plain(const struct nb_announcement *a);
