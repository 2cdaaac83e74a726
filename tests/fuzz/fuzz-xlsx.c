/* fuzz-xlsx.c — the workbook reader: an input starting with "PK" is read as
 * the archive; any other is split at NUL bytes into XML parts stored into a
 * fresh archive, so mutations reach the XML handlers rather than a CRC. */
#include <stdbool.h>
#include <zip.h>

#include "core/csv.h"
#include "core/util.h"
#include "fuzz.h"
#include "sync/numfmt.h"
#include "sync/xlsx.h"

/* Strict UTF-8: the table promises it. */
static bool utf8_ok(const char *s, size_t n)
{
    size_t bad;
    return utf8_valid(s, n, &bad);
}

/* The promises of xlsx.h and table.h, on every table the reader returns. */
static void check_table(const struct table *t)
{
    FUZZ_CHECK(t->nrows <= CSV_MAX_ROWS + 1);
    uint32_t last = 0;
    for (size_t r = 0; r < t->nrows; r++) {
        const struct table_row *row = &t->rows[r];
        FUZZ_CHECK(row->sheet_row > last && row->sheet_row <= 1048576);
        FUZZ_CHECK(row->line == row->sheet_row);
        last = row->sheet_row;
        FUZZ_CHECK(row->ncells >= 1 && row->ncells <= CSV_MAX_CELLS);
        bool data = false;
        for (uint32_t c = 0; c < row->ncells; c++) {
            const struct table_cell *cell = &row->cells[c];
            FUZZ_CHECK(cell->col == c + 1);
            FUZZ_CHECK(cell->line == row->sheet_row);
            FUZZ_CHECK(cell->len <= CSV_MAX_CELL);
            FUZZ_CHECK(cell->text[cell->len] == '\0');
            FUZZ_CHECK(strlen(cell->text) == cell->len); /* no NUL inside */
            FUZZ_CHECK(utf8_ok(cell->text, cell->len));
            FUZZ_CHECK(cell->type <= CELL_ERROR);
            FUZZ_CHECK((cell->flags & ~(CELL_MERGED | CELL_FORMULA)) == 0);
            if (cell->flags & CELL_MERGED)
                FUZZ_CHECK(cell->len == 0);
            if (cell->type == CELL_BOOL)
                FUZZ_CHECK(strcmp(cell->text, "TRUE") == 0 || strcmp(cell->text, "FALSE") == 0);
            if (cell->type == CELL_DATE)
                FUZZ_CHECK(cell->len == 10 && cell->text[4] == '-' && cell->text[7] == '-');
            if (cell->type == CELL_DATETIME)
                FUZZ_CHECK(cell->len == 16 && cell->text[10] == ' ' && cell->text[13] == ':');
            data |= cell->len > 0;
        }
        FUZZ_CHECK(data); /* empty rows are dropped */
    }
}

static void check_error(const struct xlsx_error *err)
{
    FUZZ_CHECK(err->fail != XLSX_OK);
    FUZZ_CHECK(err->msg[0] != '\0');
    FUZZ_CHECK(memchr(err->msg, '\0', sizeof err->msg) != NULL);
    FUZZ_CHECK(memchr(err->where, '\0', sizeof err->where) != NULL);
    FUZZ_CHECK(utf8_ok(err->msg, strlen(err->msg)));
    FUZZ_CHECK(utf8_ok(err->where, strlen(err->where)));
}

static void read_all(const void *data, size_t size)
{
    struct xlsx_error err;
    struct xlsx *x = xlsx_open_mem(data, size, &err);
    if (!x) {
        check_error(&err);
        return;
    }
    size_t n = xlsx_nsheets(x);
    FUZZ_CHECK(n >= 1 && n <= XLSX_MAX_SHEETS);
    for (size_t i = 0; i < n; i++) {
        const struct xlsx_sheet *s = xlsx_sheet(x, i);
        FUZZ_CHECK(s->name[0] != '\0' && utf8_ok(s->name, strlen(s->name)));
        struct table *t = xlsx_read_sheet(x, i, &err);
        if (t) {
            check_table(t);
            table_destroy(t);
        } else {
            check_error(&err);
            FUZZ_CHECK(err.sheet == -1 || err.sheet == (int)i);
        }
    }
    xlsx_close(x);
}

/* The parts an input fills, in order; the rest keep these. */
static const struct {
    const char *name, *data;
} parts[] = {
    {"xl/worksheets/sheet1.xml", ""},
    {"xl/sharedStrings.xml", "<sst/>"},
    {"xl/styles.xml", "<styleSheet/>"},
    {"xl/workbook.xml",
     "<workbook xmlns:r=\"r\"><workbookPr/><sheets><sheet name=\"S\" r:id=\"a\"/>"
     "<sheet name=\"T\" r:id=\"b\" state=\"hidden\"/></sheets></workbook>"},
    {"xl/_rels/workbook.xml.rels",
     "<Relationships><Relationship Id=\"a\" Type=\"x/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
     "<Relationship Id=\"b\" Type=\"x/worksheet\" Target=\"/xl/worksheets/sheet1.xml\"/>"
     "<Relationship Id=\"c\" Type=\"x/sharedStrings\" Target=\"sharedStrings.xml\"/>"
     "<Relationship Id=\"d\" Type=\"x/styles\" Target=\"../xl/styles.xml\"/></Relationships>"},
    {"_rels/.rels",
     "<Relationships><Relationship Id=\"a\" Type=\"x/officeDocument\" Target=\"xl/workbook.xml\"/>"
     "</Relationships>"},
};

/* Stores the NUL-separated parts of data into an archive and reads it. */
static void read_parts(const uint8_t *data, size_t size)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
    if (!src)
        abort();
    zip_source_keep(src);
    zip_t *za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
    if (!za)
        abort();
    size_t off = 0;
    bool more = true;
    for (size_t i = 0; i < ARRAY_LEN(parts); i++) {
        const void *d = parts[i].data;
        size_t n = strlen(parts[i].data);
        if (more) {
            const uint8_t *z = memchr(data + off, 0, size - off);
            d = data + off;
            n = z ? (size_t)(z - (data + off)) : size - off;
            off += n + 1;
            more = z != NULL;
        }
        zip_source_t *s = zip_source_buffer(za, d, n, 0);
        zip_int64_t idx = s ? zip_file_add(za, parts[i].name, s, 0) : -1;
        if (idx < 0)
            abort();
        zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_STORE, 0);
    }
    if (zip_close(za) != 0)
        abort();
    zip_int64_t len = -1;
    char *buf = NULL;
    if (zip_source_open(src) == 0 && zip_source_seek(src, 0, SEEK_END) == 0 &&
        (len = zip_source_tell(src)) > 0 && zip_source_seek(src, 0, SEEK_SET) == 0) {
        buf = xmalloc((size_t)len);
        if (zip_source_read(src, buf, (zip_uint64_t)len) != len)
            abort();
        zip_source_close(src);
    }
    zip_source_free(src);
    zip_error_fini(&ze);
    if (!buf)
        abort();
    read_all(buf, (size_t)len);
    free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    (void)xlsx_sniff(data, size);
    if (size >= 2 && data[0] == 'P' && data[1] == 'K') {
        read_all(data, size);
        return 0;
    }
    read_parts(data, size);

    /* The number-format helpers on the first line as text. */
    const uint8_t *nl = memchr(data, '\n', size);
    char *line = fuzz_strndup(data, nl ? (size_t)(nl - data) : size);
    enum numfmt_class c = numfmt_classify(line);
    FUZZ_CHECK(c <= NUMFMT_ELAPSED);
    struct sbuf b = {0};
    int t = numfmt_iso(&b, line, c);
    FUZZ_CHECK(t == -1 ? b.len == 0 : (t >= CELL_DATE && t <= CELL_DATETIME && b.len >= 5));
    sbuf_free(&b);
    free(line);
    return 0;
}
