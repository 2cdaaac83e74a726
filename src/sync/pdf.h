/* pdf.h — PDF notices (通知, 红头文件) turned into poster images at import:
 * each page rendered once with poppler at screen size, white background,
 * in a child process bounded in CPU time and memory, then encoded and
 * hashed as media (media_encode_xrgb), so the player shows only images. */
#pragma once
#include <stdbool.h>
#include <stddef.h>

#include "sync/media.h"

#define PDF_MAX_BYTES (32u << 20)   /* per file on the stick */
#define PDF_MAX_PAGES 20            /* a notice, not a book */
#define PDF_MIN_PT 36.0             /* page sides in points (1/72 inch) */
#define PDF_MAX_PT 14400.0          /* 200 inches: the PDF spec's own limit */
#define PDF_MAX_ASPECT 10.0         /* long side / short side */

/* Bounds on the child that renders (pdf_render).  A normal A4 page of text
 * takes about 0.1 s; the bounds are there for hostile or broken files. */
struct pdf_limits {
    double open_cpu_s;      /* CPU seconds to parse the file (default 10) */
    double page_cpu_s;      /* CPU seconds per page (default 10) */
    double total_cpu_s;     /* CPU seconds for the whole file (default 60) */
    double wall_factor;     /* a step may take wall_factor × its CPU bound +
                             * 5 s of real time before it is killed (default
                             * 3: a busy two-core box) */
    unsigned mem_mb;        /* address space the child may add (default 1024;
                             * not applied under AddressSanitizer) */
};

/* The defaults above, for callers that want to change one field. */
struct pdf_limits pdf_default_limits(void);

/* true when data starts like a PDF: "%PDF-" within its first 1024 bytes
 * (where readers accept it).  A quick check to sort files on a stick. */
bool pdf_is_pdf(const void *data, size_t len);

struct pdf_pages {
    struct media_out *page;     /* count pages in order, each a PNG no larger
                                 * than the box, owned by this struct */
    int count;
    char *note;                 /* for the report, in Chinese: the blank pages
                                 * left out ("第 3 页是空白页，没有放进来"),
                                 * or NULL */
};

/* Renders every page of the PDF in data[0..len) to fit inside box_w × box_h
 * (16..MEDIA_MAX_SIDE each; the page's aspect kept, scaled up or down,
 * white where the page is transparent), encoded as PNG with its sha256.
 * Pages that come out entirely white (Word's trailing empty page) are left
 * out and named in out->note; a PDF with nothing but blank pages is
 * refused.
 * Parsing and drawing run in a forked child under `limits` (NULL: the
 * defaults); data must stay valid and unchanged during the call.  All or
 * nothing: on any failure *out is empty, the result is false and *why (why
 * may be NULL) gets a Chinese message for staff (malloc'd) — not a PDF,
 * too large, more than PDF_MAX_PAGES pages, password-protected, damaged,
 * odd page size, too complex (a bound was hit) — with the details logged
 * in English.  Free a successful *out with pdf_pages_free.  Not
 * thread-safe (it forks); the caller must not be multi-threaded. */
bool pdf_render(const void *data, size_t len, int box_w, int box_h,
                const struct pdf_limits *limits, struct pdf_pages *out, char **why);

/* Frees the pages and empties *p; NULL and an empty struct are no-ops. */
void pdf_pages_free(struct pdf_pages *p);
