/* xlsx-bench.c — reading a workbook against the same content as CSV
 * (issue 16).  Writes ROWS rows of events as Excel stores them (shared
 * strings, date and time formats, deflated by libzip) and as a UTF-8 CSV,
 * then reads each the way an import does — xlsx_open_fd + every sheet;
 * read_file + csv_parse — and prints "figure:" lines: the median CPU time
 * of RUNS reads in this process, and the peak memory of one read in a fresh
 * process (VmHWM − VmRSS before reading), with the size of the table made.
 *   xlsx-bench [ROWS...]                 default: 10000 50000
 *   xlsx-bench --one xlsx|csv FILE       one read (used by the above) */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <zip.h>

#include "core/csv.h"
#include "core/util.h"
#include "sync/xlsx.h"

#define RUNS 7

static const char *const places[] = {"活动室", "多功能厅", "二楼会议室", "小花园", "老年大学教室"};
static const char *const orgs[] = {"社区居委会", "老年协会", "志愿者服务队", "卫生服务站"};
static const char *const kinds[] = {"太极拳", "书法班", "健康讲座", "合唱团排练", "手工课", "义诊"};

static long kb_status(const char *key)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long v = -1;
    size_t k = strlen(key);
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, key, k) == 0)
            v = atol(line + k + 1);
    if (f)
        fclose(f);
    return v;
}

/* CPU time of this process: steadier than the wall clock on a machine
 * shared with other jobs (the reads do no I/O beyond the page cache). */
static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

/* Bytes a table holds: rows, cells, text. */
static size_t table_bytes(const struct table *t)
{
    size_t n = t->nrows * sizeof(struct table_row);
    for (size_t r = 0; r < t->nrows; r++) {
        n += t->rows[r].ncells * sizeof(struct table_cell);
        for (uint32_t c = 0; c < t->rows[r].ncells; c++)
            n += t->rows[r].cells[c].len + 1;
    }
    return n;
}

/* What the reader keeps of the shared strings: text, NULs, 8-byte entries. */
static size_t sst_bytes;
/* The XML inside the workbook (never held whole by the reader). */
static size_t xml_bytes;

/* Writes dir/bench.xlsx and dir/bench.csv with the same rows. */
static void make_files(const char *dir, unsigned rows)
{
    struct sbuf csv = {0}, sheet = {0}, sst = {0};
    unsigned nsst = 0;
    sbuf_adds(&csv, "\xef\xbb\xbf日期,活动,开始时间,结束时间,地点,主办,备注\r\n");
    sbuf_adds(&sheet, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n<worksheet "
                      "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
                      "<dimension ref=\"A1:G1\"/><sheetData>");
    sbuf_adds(&sst, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n<sst "
                    "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">");
    static const char *const hdr[] = {"日期", "活动", "开始时间", "结束时间", "地点", "主办", "备注"};
    sbuf_adds(&sheet, "<row r=\"1\" spans=\"1:7\">");
    for (unsigned c = 0; c < 7; c++) {
        sbuf_addf(&sheet, "<c r=\"%c1\" t=\"s\"><v>%u</v></c>", 'A' + c, nsst++);
        sbuf_addf(&sst, "<si><t>%s</t></si>", hdr[c]);
    }
    sbuf_adds(&sheet, "</row>");
    /* Repeated values share one string, as Excel stores them. */
    unsigned place0 = nsst;
    for (size_t i = 0; i < ARRAY_LEN(places); i++, nsst++)
        sbuf_addf(&sst, "<si><t>%s</t></si>", places[i]);
    unsigned org0 = nsst;
    for (size_t i = 0; i < ARRAY_LEN(orgs); i++, nsst++)
        sbuf_addf(&sst, "<si><t>%s</t></si>", orgs[i]);
    for (unsigned r = 2; r <= rows + 1; r++) {
        unsigned day = 46348 + r / 8, start = 8 * 60 + (r % 20) * 30, len = 60 + (r % 3) * 30;
        const char *kind = kinds[r % ARRAY_LEN(kinds)];
        const char *place = places[r % ARRAY_LEN(places)], *org = orgs[r % ARRAY_LEN(orgs)];
        sbuf_addf(&sst, "<si><t>%s第%u期</t></si><si><t>请带好水杯，提前十分钟到场签到（第%u号）</t></si>",
                  kind, r, r);
        sbuf_addf(&sheet,
                  "<row r=\"%u\" spans=\"1:7\"><c r=\"A%u\" s=\"1\"><v>%u</v></c>"
                  "<c r=\"B%u\" t=\"s\"><v>%u</v></c><c r=\"C%u\" s=\"2\"><v>%.15g</v></c>"
                  "<c r=\"D%u\" s=\"2\"><v>%.15g</v></c><c r=\"E%u\" t=\"s\"><v>%zu</v></c>"
                  "<c r=\"F%u\" t=\"s\"><v>%zu</v></c><c r=\"G%u\" t=\"s\"><v>%u</v></c></row>",
                  r, r, day, r, nsst, r, start / 1440.0, r, (start + len) / 1440.0, r,
                  place0 + r % ARRAY_LEN(places), r, org0 + r % ARRAY_LEN(orgs), r, nsst + 1);
        nsst += 2;
        int64_t y;
        unsigned m, d;
        {   /* serial → civil, for the CSV */
            int64_t z = (int64_t)day - 25569 + 719468, era = z / 146097;
            unsigned doe = (unsigned)(z - era * 146097);
            unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
            unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
            d = doy - (153 * mp + 2) / 5 + 1;
            m = mp < 10 ? mp + 3 : mp - 9;
            y = (int64_t)yoe + era * 400 + (m <= 2);
        }
        sbuf_addf(&csv, "%04lld-%02u-%02u,%s第%u期,%02u:%02u,%02u:%02u,%s,%s,"
                        "请带好水杯，提前十分钟到场签到（第%u号）\r\n",
                  (long long)y, m, d, kind, r, start / 60, start % 60, (start + len) / 60,
                  (start + len) % 60, place, org, r);
    }
    sbuf_adds(&sheet, "</sheetData></worksheet>");
    sbuf_adds(&sst, "</sst>");
    /* Markup is 17 bytes a string (<si><t></t></si>); the reader keeps
     * the text, a NUL and 8 bytes. */
    sst_bytes = sst.len - (size_t)nsst * 17 + (size_t)nsst * 9;
    xml_bytes = sheet.len + sst.len;

    char *path = xasprintf("%s/bench.csv", dir);
    if (!write_file_atomic(path, csv.s, csv.len))
        abort();
    free(path);
    path = xasprintf("%s/bench.xlsx", dir);
    int ze = 0;
    zip_t *za = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &ze);
    if (!za)
        abort();
    const struct {
        const char *name, *data;
        size_t len;
    } parts[] = {
        {"[Content_Types].xml", "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>", 0},
        {"_rels/.rels", "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                        "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
                        "relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>", 0},
        {"xl/workbook.xml", "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
                            "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
                            "<sheets><sheet name=\"活动\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>", 0},
        {"xl/_rels/workbook.xml.rels",
         "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
         "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
         "worksheet\" Target=\"worksheets/sheet1.xml\"/><Relationship Id=\"rId2\" Type=\"http://schemas."
         "openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" Target=\"sharedStrings.xml\"/>"
         "<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
         "relationships/styles\" Target=\"styles.xml\"/></Relationships>", 0},
        {"xl/styles.xml", "<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
                          "<numFmts count=\"1\"><numFmt numFmtId=\"176\" formatCode=\"yyyy/m/d;@\"/></numFmts>"
                          "<cellXfs count=\"3\"><xf numFmtId=\"0\"/><xf numFmtId=\"176\" applyNumberFormat=\"1\"/>"
                          "<xf numFmtId=\"20\" applyNumberFormat=\"1\"/></cellXfs></styleSheet>", 0},
        {"xl/sharedStrings.xml", sst.s, sst.len},
        {"xl/worksheets/sheet1.xml", sheet.s, sheet.len},
    };
    for (size_t i = 0; i < ARRAY_LEN(parts); i++) {
        size_t n = parts[i].len ? parts[i].len : strlen(parts[i].data);
        zip_source_t *s = zip_source_buffer(za, parts[i].data, n, 0);
        if (!s || zip_file_add(za, parts[i].name, s, ZIP_FL_ENC_UTF_8) < 0)
            abort();
    }
    if (zip_close(za) != 0)
        abort();
    free(path);
    sbuf_free(&csv);
    sbuf_free(&sheet);
    sbuf_free(&sst);
}

/* One read; returns rows read (0 on failure) and the table's bytes. */
static size_t read_one(bool xlsx, const char *path, size_t *bytes)
{
    size_t rows = 0;
    *bytes = 0;
    if (xlsx) {
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        struct xlsx_error err;
        struct xlsx *x = fd >= 0 ? xlsx_open_fd(fd, &err) : NULL;
        for (size_t i = 0; x && i < xlsx_nsheets(x); i++) {
            struct table *t = xlsx_read_sheet(x, i, &err);
            if (!t) {
                fprintf(stderr, "%s: %s (%s)\n", path, err.msg, err.detail);
                break;
            }
            rows += t->nrows;
            *bytes += table_bytes(t);
            table_destroy(t);
        }
        xlsx_close(x);
        if (fd >= 0)
            close(fd);
    } else {
        size_t len;
        char *data = read_file(path, CSV_MAX_BYTES, &len);
        struct csv_error err;
        struct table *t = data ? csv_parse(data, len, NULL, &err) : NULL;
        if (t) {
            rows = t->nrows;
            *bytes = table_bytes(t);
        }
        table_destroy(t);
        free(data);
    }
    return rows;
}

/* Peak memory of one read in a fresh process, in KiB beyond what it held
 * before reading; *table gets the table's bytes. */
static long peak_kib(const char *self, bool xlsx, const char *path, size_t *table)
{
    int fds[2];
    if (pipe(fds) != 0)
        abort();
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fds[1], 1);
        execl(self, self, "--one", xlsx ? "xlsx" : "csv", path, (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    char buf[128] = {0};
    ssize_t n = read(fds[0], buf, sizeof buf - 1);
    close(fds[0]);
    int st;
    waitpid(pid, &st, 0);
    long before = 0, hwm = 0;
    if (n <= 0 || sscanf(buf, "%ld %ld %zu", &before, &hwm, table) != 3)
        abort();
    return hwm - before;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median_ms(bool xlsx, const char *path, size_t *rows)
{
    double t[RUNS];
    size_t bytes;
    for (int i = 0; i < RUNS; i++) {
        double t0 = now_ms();
        *rows = read_one(xlsx, path, &bytes);
        t[i] = now_ms() - t0;
    }
    qsort(t, RUNS, sizeof t[0], cmp_double);
    return t[RUNS / 2];
}

static long file_kib(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fclose(f);
    return n / 1024;
}

int main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "--one") == 0) {
        long before = kb_status("VmRSS:");
        size_t bytes;
        if (!read_one(strcmp(argv[2], "xlsx") == 0, argv[3], &bytes))
            return 1;
        printf("%ld %ld %zu\n", before, kb_status("VmHWM:"), bytes);
        return 0;
    }
    char self[4096];
    ssize_t sl = readlink("/proc/self/exe", self, sizeof self - 1);
    if (sl <= 0)
        abort();
    self[sl] = '\0';
    char tmpl[] = "/tmp/xlsx-bench.XXXXXX";
    char *dir = mkdtemp(tmpl);
    if (!dir)
        abort();
    static const char *const dflt[] = {"10000", "50000"};
    int n = argc > 1 ? argc - 1 : 2;
    for (int i = 0; i < n; i++) {
        unsigned rows = (unsigned)atoi(argc > 1 ? argv[i + 1] : dflt[i]);
        make_files(dir, rows);
        char *xp = xasprintf("%s/bench.xlsx", dir), *cp = xasprintf("%s/bench.csv", dir);
        size_t rx, rc, tx, tc;
        double mx = median_ms(true, xp, &rx), mc = median_ms(false, cp, &rc);
        if (rx != rows + 1 || rc != rows + 1) {
            fprintf(stderr, "xlsx-bench: read %zu and %zu rows, expected %u\n", rx, rc, rows + 1);
            return 1;
        }
        long px = peak_kib(self, true, xp, &tx), pc = peak_kib(self, false, cp, &tc);
        printf("figure: xlsx bench %u rows: read xlsx %.1f ms, csv %.1f ms CPU (%.2fx); "
               "peak memory xlsx +%.1f MiB, csv +%.1f MiB (%.2fx); files %ld KiB, %ld KiB\n",
               rows, mx, mc, mx / mc, px / 1024.0, pc / 1024.0, (double)px / (double)pc,
               file_kib(xp), file_kib(cp));
        printf("figure: xlsx bench %u rows: the table %.1f MiB; beyond it xlsx %.1f MiB "
               "(%.1f MiB of it the shared strings; its %.1f MiB of XML never held whole), "
               "csv %.1f MiB (%.1f MiB of it the file)\n",
               rows, tx / 1048576.0, px / 1024.0 - tx / 1048576.0, sst_bytes / 1048576.0,
               xml_bytes / 1048576.0, pc / 1024.0 - tc / 1048576.0, file_kib(cp) / 1024.0);
        unlink(xp);
        unlink(cp);
        free(xp);
        free(cp);
    }
    rmdir(dir);
    return 0;
}
