/* sticktime.c — the saved time a workbook carries inside it (sticktime.h). */
#include "sync/sticktime.h"

#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "core/kinds.h"
#include "core/timepolicy.h"
#include "core/util.h"
#include "sync/bundle.h"
#include "sync/stage.h"

bool sticktime_workbook_saved(const char *path, int64_t *t)
{
    int err = 0;
    zip_t *za = zip_open(path, ZIP_RDONLY, &err);
    if (!za)
        return false;
    bool ok = false;
    zip_file_t *zf = zip_fopen(za, "docProps/core.xml", ZIP_FL_NOCASE);
    if (zf) {
        char *buf = xmalloc(STICKTIME_MAX_CORE + 1);
        zip_int64_t n = zip_fread(zf, buf, STICKTIME_MAX_CORE);
        zip_fclose(zf);
        if (n > 0) {
            buf[n] = '\0';
            /* <dcterms:modified xsi:type="dcterms:W3CDTF">2026-12-03T01:00:00Z</…> */
            const char *p = strstr(buf, "<dcterms:modified");
            p = p ? strchr(p, '>') : NULL;
            const char *end = p ? strchr(p + 1, '<') : NULL;
            if (end && end - p - 1 < 64) {
                char v[64];
                memcpy(v, p + 1, (size_t)(end - p - 1));
                v[end - p - 1] = '\0';
                ok = timepolicy_parse_explicit(v, t);
            }
        }
        free(buf);
    }
    zip_discard(za);
    return ok;
}

size_t sticktime_workbooks(const struct stage *st, int64_t *out, size_t max)
{
    size_t n = 0;
    for (int k = -1; k < KIND_COUNT && n < max; k++) {
        if (k < 0 ? !st->workbook : !(st->book_mask & (1u << k)))
            continue;
        char *path = xasprintf("%s/%s.xlsx", st->dir,
                               k < 0 ? BUNDLE_WORKBOOK_STEM : kind_info((enum kind)k)->name);
        if (sticktime_workbook_saved(path, &out[n]))
            n++;
        free(path);
    }
    return n;
}
