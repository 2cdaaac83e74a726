/* xlsxread.c — reads one workbook the way an import will (xlsx_open_fd,
 * then every sheet) and prints one line for r-xlsx.sh:
 *   RESULT|WHERE|MESSAGE|CPU_MS|PEAK_RSS_KB|ROWS|DETAIL|WALL_MS
 * RESULT is "ok" or the failure (DAMAGED, PASSWORD, …); CPU_MS user +
 * system time (steadier than the wall clock on a shared machine); ROWS the
 * rows read over all sheets.  Exits 0 unless the file cannot be opened. */
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "sync/xlsx.h"

static const char *fail_name(enum xlsx_fail f)
{
    static const char *const n[] = {"ok", "DAMAGED", "PASSWORD", "OLD_FORMAT",
                                    "NOT_WORKBOOK", "LIMIT", "IO"};
    return (unsigned)f < sizeof n / sizeof n[0] ? n[f] : "?";
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: xlsxread FILE\n");
        return 2;
    }
    int fd = open(argv[1], O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        perror(argv[1]);
        return 2;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    struct xlsx_error err = {0};
    size_t rows = 0;
    struct xlsx *x = xlsx_open_fd(fd, &err);
    bool ok = x != NULL;
    for (size_t i = 0; ok && i < xlsx_nsheets(x); i++) {
        struct table *t = xlsx_read_sheet(x, i, &err);
        ok = t != NULL;
        if (t)
            rows += t->nrows;
        table_destroy(t);
    }
    xlsx_close(x);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    close(fd);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    long wall = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
    long cpu = (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000 +
               (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1000;
    printf("%s|%s|%s|%ld|%ld|%zu|%s|%ld\n", ok ? "ok" : fail_name(err.fail), ok ? "" : err.where,
           ok ? "" : err.msg, cpu, ru.ru_maxrss, rows, ok ? "" : err.detail, wall);
    return 0;
}
