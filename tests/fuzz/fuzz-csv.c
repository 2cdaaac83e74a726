/* fuzz-csv.c — the CSV reader with encoding detection on arbitrary bytes,
 * then the bundle validator (bundle_parse) on the same bytes as each of
 * the six bundle files, as an import would. */
#include <stdbool.h>

#include "core/content.h"
#include "core/csv.h"
#include "core/log.h"
#include "core/util.h"
#include "fuzz.h"
#include "sync/bundle.h"
#include "sync/report.h"

/* Strict UTF-8 (no overlongs, surrogates or code points past U+10FFFF):
 * csv.h promises every cell is UTF-8 whatever the input encoding. */
static bool utf8_ok(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i];
        size_t k;
        unsigned cp;
        if (c < 0x80) {
            i++;
            continue;
        } else if (c >= 0xc2 && c <= 0xdf) {
            k = 1, cp = c & 0x1f;
        } else if (c >= 0xe0 && c <= 0xef) {
            k = 2, cp = c & 0x0f;
        } else if (c >= 0xf0 && c <= 0xf4) {
            k = 3, cp = c & 0x07;
        } else {
            return false;
        }
        if (i + k >= n)
            return false;
        for (size_t j = 1; j <= k; j++) {
            if ((s[i + j] & 0xc0) != 0x80)
                return false;
            cp = cp << 6 | (s[i + j] & 0x3f);
        }
        if ((k == 2 && cp < 0x800) || (k == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
            (cp >= 0xd800 && cp <= 0xdfff))
            return false;
        i += k + 1;
    }
    return true;
}

/* The promises of csv.h, checked on every table the parser returns. */
static void check_table(const struct table *csv, const struct csv_info *info)
{
    FUZZ_CHECK(csv->nrows <= CSV_MAX_ROWS + 1);
    FUZZ_CHECK(info->sep == ',' || info->sep == '\t');
    uint32_t last_line = 0;
    for (size_t r = 0; r < csv->nrows; r++) {
        const struct table_row *row = &csv->rows[r];
        FUZZ_CHECK(row->ncells >= 1 && row->ncells <= CSV_MAX_CELLS);
        FUZZ_CHECK(row->line > last_line);
        last_line = row->line;
        bool all_empty = true;
        for (uint32_t c = 0; c < row->ncells; c++) {
            const struct table_cell *cell = &row->cells[c];
            FUZZ_CHECK(cell->text != NULL);
            FUZZ_CHECK(cell->len <= CSV_MAX_CELL);
            FUZZ_CHECK(cell->text[cell->len] == '\0');
            FUZZ_CHECK(memchr(cell->text, '\0', cell->len) == NULL);  /* whole as a C string */
            FUZZ_CHECK(cell->col == c + 1);
            FUZZ_CHECK(cell->line >= row->line);
            FUZZ_CHECK(utf8_ok((const unsigned char *)cell->text, cell->len));
            if (cell->len)
                all_empty = false;
        }
        (void)all_empty;
    }
}

static const char *const media_names[] = {"poster.png", "Photo.JPG", "logo.png", "a.jpg"};
static const struct bundle_media media = {media_names, 4, NULL};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool quiet;
    if (!quiet) {
        log_init("fuzz-csv", LOG_LEVEL_ERROR + 1);
        quiet = true;
    }
    struct csv_error err = {0};
    struct csv_info info;
    struct table *csv = csv_parse(data, size, &info, &err);
    if (csv) {
        check_table(csv, &info);
        table_destroy(csv);
    } else {
        FUZZ_CHECK(err.msg[0] != '\0');
        FUZZ_CHECK(memchr(err.msg, '\0', sizeof err.msg) != NULL);
    }

    /* The validator as the importer calls it: content starts as "live"
     * (here empty), the report collects problems. */
    for (int k = 0; k < KIND_COUNT; k++) {
        struct feed_content c = {0};
        c.org_name = xstrdup("");
        struct report r = {0};
        bool ok = bundle_parse(&c, (enum kind)k, data, size, &media, &r);
        FUZZ_CHECK(ok == (r.nproblems == 0));
        FUZZ_CHECK(r.nproblems <= REPORT_MAX_LINES && r.nwarnings <= REPORT_MAX_LINES);
        r.content = &c;
        r.result = ok ? REPORT_OK : REPORT_REJECTED;
        char *text = report_render(&r, 0);
        FUZZ_CHECK(text != NULL);
        free(text);
        for (int j = 0; j < KIND_COUNT; j++)
            content_clear_kind(&c, (enum kind)j);
        free(c.org_name);
        free(c.logo);
        report_free(&r);
    }
    return 0;
}
