/* test-stickclock.c — the saved time inside a workbook (src/sync/stickclock.c):
 * read from docProps/core.xml as WPS and Excel write it; nothing from a
 * workbook without one, a file that is no zip, or a malformed time. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>

#include "core/util.h"
#include "core/when.h"
#include "sync/stickclock.h"

/* Writes a zip at path with one entry name holding text (none if NULL). */
static void make_zip(const char *path, const char *name, const char *text)
{
    int err = 0;
    unlink(path);
    zip_t *za = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);
    assert_non_null(za);
    zip_source_t *src = zip_source_buffer(za, "x", 1, 0);
    assert_true(zip_file_add(za, "xl/workbook.xml", src, ZIP_FL_OVERWRITE) >= 0);
    if (name) {
        src = zip_source_buffer(za, text, strlen(text), 0);
        assert_true(zip_file_add(za, name, src, ZIP_FL_OVERWRITE) >= 0);
    }
    assert_int_equal(zip_close(za), 0);
}

static void stickclock_1(void **state)
{
    (void)state;
    char dir[] = "/tmp/nb-test-stickclock-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char *path = xasprintf("%s/内容.xlsx", dir);
    int64_t t = 0;
    make_zip(path, "docProps/core.xml",
             "<cp:coreProperties><dcterms:created xsi:type=\"dcterms:W3CDTF\">2020-01-01T00:00:00Z"
             "</dcterms:created><dcterms:modified xsi:type=\"dcterms:W3CDTF\">2026-12-03T01:00:00Z"
             "</dcterms:modified></cp:coreProperties>");
    assert_true(stickclock_workbook_saved(path, &t));
    assert_int_equal(t, when_days_from_civil(2026, 12, 3) * 86400 + 3600);
    make_zip(path, "docProps/core.xml", "<dcterms:modified>yesterday</dcterms:modified>");
    assert_false(stickclock_workbook_saved(path, &t));
    make_zip(path, "docProps/core.xml", "<dcterms:created>2026-12-03T01:00:00Z</dcterms:created>");
    assert_false(stickclock_workbook_saved(path, &t));
    make_zip(path, NULL, NULL);
    assert_false(stickclock_workbook_saved(path, &t));
    assert_true(write_file_atomic(path, "title,body\n", 11));
    assert_false(stickclock_workbook_saved(path, &t));
    unlink(path);
    assert_false(stickclock_workbook_saved(path, &t));
    free(path);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(stickclock_1)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
