/* stickclock.c — the time a stick brings, judged by the time policy
 * (core/timepolicy.c) and applied to the clock by the import (stickclock.h;
 * docs/schedule.md, 设备时间). */
#include "sync/stickclock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zip.h>

#include "core/clock.h"
#include "core/config.h"
#include "core/kinds.h"
#include "core/log.h"
#include "core/now.h"
#include "core/store.h"
#include "core/util.h"
#include "core/when.h"
#include "sync/bundle.h"
#include "sync/report.h"
#include "sync/stage.h"
#include "sync/trust.h"

bool stickclock_workbook_saved(const char *path, int64_t *t)
{
    int err = 0;
    zip_t *za = zip_open(path, ZIP_RDONLY, &err);
    if (!za)
        return false;
    bool ok = false;
    zip_file_t *zf = zip_fopen(za, "docProps/core.xml", ZIP_FL_NOCASE);
    if (zf) {
        char *buf = xmalloc(STICKCLOCK_MAX_CORE + 1);
        zip_int64_t n = zip_fread(zf, buf, STICKCLOCK_MAX_CORE);
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

size_t stickclock_workbooks(const struct stage *st, int64_t *out, size_t max)
{
    size_t n = 0;
    for (int k = -1; k < KIND_COUNT && n < max; k++) {
        if (k < 0 ? !st->workbook : !(st->book_mask & (1u << k)))
            continue;
        char *path = xasprintf("%s/%s.xlsx", st->dir,
                               k < 0 ? BUNDLE_WORKBOOK_STEM : kind_info((enum kind)k)->name);
        if (stickclock_workbook_saved(path, &out[n]))
            n++;
        free(path);
    }
    return n;
}

/* "2026年12月3日 14:30" of unix seconds, for staff. */
static char *clock_cn(int64_t t)
{
    int64_t m = when_from_time_t(t);
    int y, mo, d;
    when_civil_from_days(m / WHEN_MIN_PER_DAY, &y, &mo, &d);
    int min = (int)(m % WHEN_MIN_PER_DAY);
    return xasprintf("%d年%d月%d日 %02d:%02d", y, mo, d, min / 60, min % 60);
}

/* "2026-12-03 09:00" of unix seconds (or "none"), for the log. */
static char *clock_log(int64_t t)
{
    char buf[17];
    if (!t)
        return xstrdup("none");
    when_format(when_from_time_t(t), buf);
    return xstrdup(buf);
}

/* time.txt as staged (signed under signed trust), 0 when absent; a
 * malformed one is a warning for staff. */
static int64_t read_explicit(const struct stage *stage, struct report *r)
{
    if (!stage->time_txt)
        return 0;
    char *path = xasprintf("%s/" STAGE_TIME_TXT, stage->dir);
    size_t len = 0;
    char *text = read_file(path, 256, &len);
    free(path);
    int64_t t = 0;
    if (!text || strlen(text) != len || !timepolicy_parse_explicit(text, &t)) {
        log_warn("time.txt unreadable or malformed: not used");
        report_warning(r, STAGE_TIME_TXT ": 时间的写法不对（应为 2026-12-03 14:30:05 +08:00），"
                              "设备时间没有按它改动。请在办公室电脑上重新双击“设置时间”");
        t = 0;
    }
    free(text);
    return t;
}

void stickclock_decide(const struct config *cfg, const struct store *st,
                       const struct stage *stage, const struct manifest *m, int bundle_fd,
                       struct report *r, struct stickclock *out)
{
    *out = (struct stickclock){0};
    if (!cfg->set_clock || cfg->trust == TRUST_OPEN) {
        log_info("clock: not set from the stick (%s)",
                 cfg->set_clock ? "trust = open" : "set_clock = no");
        return;
    }
    struct timepolicy_evidence e = {0};
    e.explicit_time = out->explicit_time = read_explicit(stage, r);
    if (m) {
        e.signed_time = m->version;
    } else {
        /* Key trust: the tables' times and the folder's, taken together
         * by the policy. */
        for (size_t i = 0; i < stage->nmtimes && e.nfiles < TIMEPOLICY_MAX_FILES; i++)
            e.files[e.nfiles++] = stage->mtimes[i];
        struct stat sb;
        if (fstat(bundle_fd, &sb) == 0 && e.nfiles < TIMEPOLICY_MAX_FILES)
            e.files[e.nfiles++] = sb.st_mtime;
        /* A workbook's own "last saved": with its file time, a pair even
         * when the stick holds one workbook (the folder's time may be old). */
        e.nfiles += stickclock_workbooks(stage, e.files + e.nfiles,
                                         TIMEPOLICY_MAX_FILES - e.nfiles);
    }
    int64_t good = clock_load_last_good(st);
    struct timepolicy_box b = {.now = now_unix(),
                               .last_good = good == CLOCK_NONE ? 0 : now_civil_to_unix(good)};
    char *set = store_state_read(st, STORE_TIME_SET);
    if (set)
        b.last_explicit = strtoll(set, NULL, 10);
    free(set);
    timepolicy_decide(&e, &b, &out->d);
    if (out->d.doubtful) {
        char *now = clock_cn(b.now), *newest = NULL;
        int64_t t = e.signed_time;
        for (size_t i = 0; i < e.nfiles; i++)
            t = e.files[i] > t ? e.files[i] : t;
        newest = clock_log(t);
        char *ex = clock_log(e.explicit_time), *box = clock_log(b.now);
        log_warn("clock: the stick's time is beyond belief (time.txt %s, newest file or signed %s, "
                 "box %s): clock left alone", ex, newest, box);
        free(box);
        report_warning(r, "设备时间: U盘上的时间（表格的保存时间，或“设置时间”写下的时间）"
                          "和设备现在的时间（%s）相差太大，设备时间没有改动。如果屏幕上的时间"
                          "不对，请在办公室电脑上双击U盘 noticeboard 文件夹里的“设置时间”，"
                          "再插一次U盘；仍不对请联系安装人员。", now);
        free(ex);
        free(newest);
        free(now);
    }
}

void stickclock_apply(const struct store *st, const struct stickclock *c, struct report *r)
{
    if (c->d.source == TIMEPOLICY_EXPLICIT) {
        char buf[32];
        snprintf(buf, sizeof buf, "%lld\n", (long long)c->explicit_time);
        store_state_write(st, STORE_TIME_SET, buf);     /* logged on failure */
    }
    if (!c->d.move)
        return;
    static const char *const from[] = {"", "the tables' file times", "the signed packing time",
                                       "time.txt"};
    int64_t was = now_unix();
    char *to_cn = clock_cn(c->d.to), *was_cn = clock_cn(was);
    char *to_log = clock_log(c->d.to), *was_log = clock_log(was);
    if (!now_set(c->d.to)) {
        log_msg_errno(LOG_LEVEL_WARN, "clock: cannot set it to %s from %s (CAP_SYS_TIME?)",
                      to_log, from[c->d.source]);
        report_warning(r, "设备时间: 设备现在的时间（%s）不对，应为 %s，但无法校正，"
                          "请联系安装人员。", was_cn, to_cn);
    } else {
        log_warn("clock: set to %s from %s (it was %s, %+lld s)", to_log, from[c->d.source],
                 was_log, (long long)(c->d.to - was));
        free(r->clock_note);
        r->clock_note = xasprintf("设备时间已校正为 %s（原为 %s）", to_cn, was_cn);
        clock_save_last_good(st, when_from_time_t(c->d.to));
    }
    free(to_cn);
    free(was_cn);
    free(to_log);
    free(was_log);
}
