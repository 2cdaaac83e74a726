/* xlsxw-bench.c — writing the staff workbook (xlsxw.c, issue 16): the
 * template init writes, and an export of ROWS rows (公告 up to their
 * limit of 1,000, then 活动 up to 5,000, then 表彰), as export writes it.
 * Prints "figure:" lines: the median wall time of RUNS writes, the size of
 * the .xlsx, and the peak memory of one write (VmHWM − VmRSS before).
 *   xlsxw-bench [ROWS...]          default: 10000 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/content.h"
#include "core/kinds.h"
#include "core/util.h"
#include "core/when.h"
#include "sync/xlsxw.h"

#define RUNS 5

static long kb_status(const char *key)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long v = -1;
    size_t k = strlen(key);
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, key, k))
            v = atol(line + k + 1);
    if (f)
        fclose(f);
    return v;
}

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static struct feed_content *content_of(size_t rows)
{
    static const char *const places[] = {"活动室", "多功能厅", "二楼会议室", "小花园"};
    struct feed_content *c = content_create();
    int64_t day0 = when_days_from_civil(2026, 11, 22);
    for (size_t i = 0; i < rows; i++) {
        union kind_value v[KIND_MAX_COLS] = {0};
        enum kind k = i < 1000 ? KIND_ANNOUNCEMENTS : i < 6000 ? KIND_EVENTS : KIND_HONORS;
        switch (k) {
        case KIND_ANNOUNCEMENTS:
            v[0].s = xasprintf("第%zu号通知：小区停水安排", i + 1);
            v[1].s = xstrdup("因管道检修，本周六上午停水。\n请居民提前储水，给您带来不便敬请谅解。");
            v[3].t = (day0 + (int64_t)(i % 30)) * WHEN_MIN_PER_DAY;
            v[4].t = (day0 + 40) * WHEN_MIN_PER_DAY + 18 * 60;
            v[5].i = DAYS_ALL;
            v[7].i = 10;
            break;
        case KIND_EVENTS:
            v[0].t = day0 + (int64_t)(i % 365);
            v[1].s = xasprintf("健康讲座（第%zu期）", i);
            v[2].i = 9 * 60 + 30;
            v[3].i = 11 * 60;
            v[4].s = xstrdup(places[i % 4]);
            v[5].s = xstrdup("社区卫生服务站");
            v[6].s = xstrdup("请提前10分钟入场");
            break;
        default:
            v[0].s = xasprintf("%zu年度好人榜", 2000 + i % 20);
            v[1].s = xasprintf("居民%zu", i);
            v[2].s = xstrdup("助人为乐好邻居");
            v[3].s = xstrdup("第一网格");
            v[4].s = xstrdup("2026");
            v[6].t = WHEN_ALWAYS;
            v[7].t = WHEN_NEVER;
            break;
        }
        kind_row_add(c, k, (int64_t)kind_rows(c, k) + 1, v);
    }
    return c;
}

/* One write of the template (c NULL) or of c; returns its wall time. */
static double write_once(const struct feed_content *c, size_t *len)
{
    char *why = NULL;
    double t0 = now_ms();
    void *d = c ? xlsxw_content(c, NULL, when_days_from_civil(2026, 11, 22), len, &why)
                : xlsxw_template(when_days_from_civil(2026, 11, 22), len, &why);
    double t = now_ms() - t0;
    if (!d) {
        fprintf(stderr, "xlsxw-bench: %s\n", why);
        exit(1);
    }
    free(d);
    return t;
}

static void measure(const char *what, const struct feed_content *c)
{
    double t[RUNS];
    size_t len = 0;
    long before = kb_status("VmRSS:");
    for (int i = 0; i < RUNS; i++)
        t[i] = write_once(c, &len);
    long peak = kb_status("VmHWM:") - before;
    qsort(t, RUNS, sizeof *t, cmp_double);
    printf("figure: xlsxw %s: %.1f ms (median of %d), %zu bytes, peak memory +%ld KiB\n", what,
           t[RUNS / 2], RUNS, len, peak);
}

int main(int argc, char **argv)
{
    measure("template", NULL);
    for (int i = 1; i < argc || i == 1; i++) {
        size_t rows = i < argc ? strtoul(argv[i], NULL, 10) : 10000;
        struct feed_content *c = content_of(rows);
        char *what = xasprintf("export of %zu rows", rows);
        measure(what, c);
        free(what);
        content_destroy(c);
    }
    return 0;
}
