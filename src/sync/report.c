/* report.c — collecting problems and rendering the import report in
 * Chinese for staff (terminal, stick, screen). */
#include "sync/report.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/kinds.h"
#include "core/log.h"
#include "core/now.h"
#include "core/playlog.h"
#include "core/util.h"
#include "core/when.h"
#include "sync/stickw.h"

/* The report's pointer to the contact sheet beside it, and what says so
 * when the picture could not be written (a stick with room for the text
 * only). */
#define PICTURE_LINE "每一页的样子见 reports 文件夹里和本报告同名的图片（.png）。\n"
#define PICTURE_LOST_LINE "每一页的预览图没有保存到U盘（U盘可能满了）。下面的安排不受影响。" \
    "想看预览图，请删掉U盘上不用的文件后再插一次。\n"

/* Counts a line past the cap under its file name (the text before the
 * first ':'), formatted into a small buffer only: nothing is kept. */
static void count_more(struct report_more *m, const char *fmt, va_list ap)
{
    char head[64];
    vsnprintf(head, sizeof head, fmt, ap);
    size_t n = strcspn(head, ":");
    head[n] = '\0';
    m->n++;
    for (size_t i = 0; i < m->nfiles; i++)
        if (!strcmp(m->files[i].name, head)) {
            m->files[i].n++;
            return;
        }
    if (m->nfiles < REPORT_MORE_FILES) {
        snprintf(m->files[m->nfiles].name, sizeof m->files[m->nfiles].name, "%s", head);
        m->files[m->nfiles++].n = 1;
    }
}

static void add_line(char ***v, size_t *n, size_t *cap, struct report_more *more,
                     const char *fmt, va_list ap)
{
    if (*n >= REPORT_MAX_LINES) {
        count_more(more, fmt, ap);
        return;
    }
    struct sbuf b = {0};
    sbuf_vaddf(&b, fmt, ap);
    xgrow(v, cap, *n + 1, sizeof **v);
    (*v)[(*n)++] = sbuf_take(&b);
}

void report_problem(struct report *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add_line(&r->problems, &r->nproblems, &r->cap_problems, &r->more_problems, fmt, ap);
    va_end(ap);
}

void report_warning(struct report *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add_line(&r->warnings, &r->nwarnings, &r->cap_warnings, &r->more_warnings, fmt, ap);
    va_end(ap);
}

void report_source(struct report *r, enum kind k, const char *fmt, ...)
{
    assert((unsigned)k < KIND_COUNT);
    struct sbuf b = {0};
    va_list ap;
    va_start(ap, fmt);
    sbuf_vaddf(&b, fmt, ap);
    va_end(ap);
    free(r->source[k]);
    r->source[k] = sbuf_take(&b);
}

void report_poster_skipped(struct report *r, const char *name)
{
    if (r->nposters_skipped < REPORT_POSTERS_NAMED)
        r->posters_skipped[r->nposters_skipped] = xstrdup(name);
    r->nposters_skipped++;
}

void report_count_before(struct report *r, const struct feed_content *c)
{
    for (int k = 0; k < KIND_COUNT; k++)
        r->before[k] = c ? kind_rows(c, (enum kind)k) : 0;
    r->counted = true;
}

size_t report_problems_total(const struct report *r)
{
    return r->nproblems + r->more_problems.n;
}

size_t report_warnings_total(const struct report *r)
{
    return r->nwarnings + r->more_warnings.n;
}

void report_free(struct report *r)
{
    for (size_t i = 0; i < r->nproblems; i++)
        free(r->problems[i]);
    for (size_t i = 0; i < r->nwarnings; i++)
        free(r->warnings[i]);
    free(r->problems);
    free(r->warnings);
    free(r->reason);
    for (int k = 0; k < KIND_COUNT; k++)
        free(r->source[k]);
    free(r->workbook);
    free(r->schedule);
    free(r->plays);
    free(r->clock_note);
    free(r->posters_from);
    for (size_t i = 0; i < r->nposters_skipped && i < REPORT_POSTERS_NAMED; i++)
        free(r->posters_skipped[i]);
    memset(r, 0, sizeof *r);
}

static size_t honor_entries(const struct feed_content *c)
{
    size_t n = 0;
    for (size_t i = 0; i < c->nrolls; i++)
        n += c->rolls[i].nentries;
    return n;
}

static void add_counts(struct sbuf *b, const struct feed_content *c)
{
    if (!c) {
        sbuf_adds(b, "0条公告、0项活动、0位表彰、0条滚动消息");
        return;
    }
    sbuf_addf(b, "%zu条公告、%zu项活动、%zu位表彰、%zu条滚动消息",
              c->nann, c->nevents, honor_entries(c), c->nticker);
}

/* Appends a reason as a sentence: with a full stop unless it ends with one
 * (reasons come from several modules, with and without). */
static void add_sentence(struct sbuf *b, const char *text)
{
    static const char *const ends[] = {"。", "！", "？", "."};
    sbuf_adds(b, text);
    size_t n = strlen(text);
    for (size_t i = 0; i < sizeof ends / sizeof ends[0]; i++) {
        size_t k = strlen(ends[i]);
        if (n >= k && !memcmp(text + n - k, ends[i], k))
            return;
    }
    sbuf_adds(b, "。");
}

char *report_summary(const struct report *r)
{
    struct sbuf b = {0};
    switch (r->result) {
    case REPORT_OK:
        sbuf_adds(&b, "更新成功：");
        add_counts(&b, r->content);
        break;
    case REPORT_DRY_RUN:
        sbuf_adds(&b, "检查通过（试运行，屏幕内容没有改变）：");
        add_counts(&b, r->content);
        break;
    case REPORT_REJECTED:
        sbuf_addf(&b, "更新失败：发现%zu处问题，屏幕内容没有改变。请按下面的提示修改后重新导入。",
                  report_problems_total(r));
        break;
    case REPORT_DENIED:
        sbuf_adds(&b, "未授权：");
        add_sentence(&b, r->reason ? r->reason : "这个U盘没有得到本设备的授权");
        sbuf_adds(&b, "屏幕内容没有改变。");
        break;
    case REPORT_IO:
        sbuf_adds(&b, "更新失败：");
        add_sentence(&b, r->reason ? r->reason : "读取U盘或写入设备时出错，请检查U盘后重试");
        sbuf_adds(&b, "屏幕内容没有改变。");
        break;
    }
    if (r->clock_note) {        /* the clock moved: staff must see it */
        if (r->result == REPORT_OK || r->result == REPORT_DRY_RUN)
            sbuf_adds(&b, "。");
        add_sentence(&b, r->clock_note);
    }
    return sbuf_take(&b);
}

/* "另有757500处问题未列出（events.csv 300000处、honors.csv …），ADVICE。"
 * measure is the counting word (处, 条), what the thing counted. */
static void add_more(struct sbuf *b, const struct report_more *m, const char *measure,
                     const char *what, const char *advice)
{
    if (!m->n)
        return;
    sbuf_addf(b, "另有%zu%s%s未列出", m->n, measure, what);
    size_t named = 0;
    for (size_t i = 0; i < m->nfiles; i++) {
        sbuf_addf(b, "%s%s %zu%s", i ? "、" : "（", m->files[i].name, m->files[i].n, measure);
        named += m->files[i].n;
    }
    if (named < m->n)
        sbuf_addf(b, "%s其他 %zu%s", m->nfiles ? "、" : "（", m->n - named, measure);
    sbuf_adds(b, "）");
    if (advice)
        sbuf_addf(b, "，%s", advice);
    sbuf_adds(b, "。\n");
}

/* The 海报 folder's line, after 公告:
 *   海报：替换为 5 张（读的是 海报 文件夹；原来 3 张；跳过 1 个文件：说明.docx）
 *   海报：已清空（海报 文件夹是空的；原来 3 张）
 *   海报：海报文件夹里没有能用的图片或 PDF，保持不变（现在 3 张；跳过 …） */
static void add_posters(struct sbuf *b, const struct report *r)
{
    bool dry = r->result == REPORT_DRY_RUN;
    sbuf_adds(b, "海报：");
    if (r->posters_kept)
        sbuf_addf(b, "%s文件夹里没有能用的图片或 PDF，保持不变（现在 %zu 张", r->posters_from, r->posters);
    else if (r->posters)
        sbuf_addf(b, "%s %zu 张%s（读的是 %s 文件夹", dry ? "将替换为" : "替换为", r->posters,
                  r->source[KIND_ANNOUNCEMENTS] ? "，接在表格里的公告后面播放" : "", r->posters_from);
    else
        sbuf_addf(b, "%s（%s 文件夹%s", dry ? "将清空" : "已清空", r->posters_from,
                  r->nposters_skipped ? "里没有能用的图片或 PDF" : "是空的");
    if (r->counted && r->posters_before && !r->posters_kept)
        sbuf_addf(b, "；原来 %zu 张", r->posters_before);
    else if (r->counted && !r->posters_kept)
        sbuf_adds(b, "；原来没有");
    if (r->nposters_skipped) {
        sbuf_addf(b, "；跳过 %zu 个文件：", r->nposters_skipped);
        for (size_t i = 0; i < r->nposters_skipped && i < REPORT_POSTERS_NAMED; i++)
            sbuf_addf(b, "%s%s", i ? "、" : "", r->posters_skipped[i]);
        if (r->nposters_skipped > REPORT_POSTERS_NAMED)
            sbuf_adds(b, " 等");
    }
    sbuf_adds(b, "）\n");
}

/* One line per kind, what the import did to it:
 *   公告：替换为 12 条（读的是 内容.xlsx 的「公告」表；原来 10 条）
 *   活动：没有文件，保持不变（现在 8 项）
 *   滚动消息：已清空（ticker.csv 只有表头；原来 2 条） */
static void add_kinds(struct sbuf *b, const struct report *r, const struct feed_content *c)
{
    bool dry = r->result == REPORT_DRY_RUN;
    sbuf_adds(b, dry ? "\n各类内容（试运行，导入后会这样）：\n" : "\n各类内容：\n");
    for (int k = 0; k < KIND_COUNT; k++) {
        const struct kind_info *ki = kind_info((enum kind)k);
        size_t n = kind_rows(c, (enum kind)k);
        if (k == KIND_ANNOUNCEMENTS && r->posters_from)
            n -= r->posters < n ? r->posters : n;   /* the folder's are on their own line */
        sbuf_addf(b, "%s：", ki->sheet);
        if (!r->source[k] && r->workbook) {
            sbuf_addf(b, "没有文件（%s 里没有这张表），保持不变（现在 %zu %s", r->workbook, n,
                      ki->unit);
        } else if (!r->source[k]) {
            sbuf_addf(b, "没有文件，保持不变（现在 %zu %s", n, ki->unit);
        } else if (n == 0) {
            /* "ticker.csv 只有表头", "内容.xlsx 的「滚动消息」表只有表头" */
            const char *s = r->source[k];
            bool latin = (unsigned char)s[strlen(s) - 1] < 0x80;
            sbuf_addf(b, "%s（%s%s只有表头", dry ? "将清空" : "已清空", s, latin ? " " : "");
        } else {
            sbuf_addf(b, "%s %zu %s", dry ? "将替换为" : "替换为", n, ki->unit);
            if (k == KIND_HONORS)
                sbuf_addf(b, "，%zu 个榜单", c->nrolls);
            sbuf_addf(b, "（读的是 %s", r->source[k]);
        }
        if (r->source[k] && r->counted && r->before[k])
            sbuf_addf(b, "；原来 %zu %s", r->before[k], ki->unit);
        else if (r->source[k] && r->counted)
            sbuf_adds(b, "；原来没有");
        sbuf_adds(b, "）\n");
        if (k == KIND_ANNOUNCEMENTS && r->posters_from)
            add_posters(b, r);
    }
}

void report_set_plays(struct report *r, const char *dir, int64_t today)
{
    struct playlog_tally t;
    int64_t from = today - (REPORT_PLAY_DAYS - 1);
    playlog_read(dir, from, today, &t);     /* an unreadable folder is logged */
    struct sbuf b = {0};
    size_t listed = 0, rest = 0, rest_shown = 0;
    for (size_t i = 0; i < t.n; i++) {
        const struct playlog_item *it = &t.items[i];
        if (!strcmp(it->kind, "idle"))
            continue;
        if (listed == REPORT_MAX_PLAYS) {
            rest++;
            rest_shown += it->shown;
            continue;
        }
        /* An events page: its title (近期活动) says what it is. */
        const char *k = strcmp(it->kind, "events") ? kind_page_word(it->kind) : NULL;
        char last[17];
        when_format(it->last, last);
        if (k)
            sbuf_addf(&b, "%s“%s”：%zu次（最后一次 %s）\n", k, it->title, it->shown, last);
        else
            sbuf_addf(&b, "%s：%zu次（最后一次 %s）\n", it->title, it->shown, last);
        listed++;
    }
    if (rest)
        sbuf_addf(&b, "另有%zu项，共显示%zu次（完整记录可用“导出”复制到U盘的 playlog 文件夹）\n",
                  rest, rest_shown);
    if (b.len) {
        char a[11], z[11], first[17];
        when_format_date(from, a);
        when_format_date(today, z);
        when_format(t.first, first);
        struct sbuf h = {0};
        sbuf_addf(&h, "\n播放统计（%s 至 %s，每条从第一页开始显示一遍算一次；最早的记录是 %s）：\n%s",
                  a, z, first, b.s);
        free(r->plays);
        r->plays = sbuf_take(&h);
    }
    sbuf_free(&b);
    playlog_tally_free(&t);
}

char *report_render(const struct report *r, int64_t now)
{
    struct sbuf b = {0};
    char *sum = report_summary(r);
    sbuf_adds(&b, sum);
    sbuf_addc(&b, '\n');
    free(sum);

    char when[17];
    when_format(now, when);
    sbuf_addf(&b, "时间：%s\n", when);
    if (r->result == REPORT_OK)
        sbuf_addf(&b, "设备内容版本：%lld（原为 %lld）\n",
                  (long long)r->new_version, (long long)r->old_version);
    else
        sbuf_addf(&b, "设备内容版本：%lld（没有改变）\n", (long long)r->old_version);

    const struct feed_content *c = r->content;
    if (c && (r->result == REPORT_OK || r->result == REPORT_DRY_RUN))
        add_kinds(&b, r, c);
    if (r->schedule && (r->result == REPORT_OK || r->result == REPORT_DRY_RUN)) {
        sbuf_adds(&b, r->result == REPORT_DRY_RUN ? "\n导入后的播放安排（今天和之后 6 天）：\n"
                                                  : "\n播放安排（今天和之后 6 天）：\n");
        if (r->preview)
            sbuf_adds(&b, PICTURE_LINE);
        sbuf_adds(&b, r->schedule);
    }
    if (r->nproblems) {
        sbuf_addf(&b, "\n需要修改的问题（%zu处）：\n", report_problems_total(r));
        for (size_t i = 0; i < r->nproblems; i++)
            sbuf_addf(&b, "%s\n", r->problems[i]);
        add_more(&b, &r->more_problems, "处", "问题", "先改好上面这些，再导入时会列出其余的");
    }
    if (r->nwarnings) {
        sbuf_addf(&b, "\n提醒（%zu条，不影响更新）：\n", report_warnings_total(r));
        for (size_t i = 0; i < r->nwarnings; i++)
            sbuf_addf(&b, "%s\n", r->warnings[i]);
        add_more(&b, &r->more_warnings, "条", "提醒", NULL);
    }
    if (r->plays)
        sbuf_adds(&b, r->plays);
    return sbuf_take(&b);
}

void report_stamp_now(char stamp[16])
{
    time_t t = (time_t)now_unix();
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(stamp, 16, "%Y%m%d-%H%M%S", &tm);
}

static void add_crlf(struct sbuf *b, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\n')
            sbuf_addc(b, '\r');
        sbuf_addc(b, s[i]);
    }
}

/* The report as the stick gets it: BOM + CRLF (Notepad on older Windows
 * shows GB18030 otherwise), with `instead` in place of the picture line
 * when it is not NULL. */
static void stick_text(struct sbuf *b, const char *text, const char *instead)
{
    const char *pic = instead ? strstr(text, PICTURE_LINE) : NULL;
    sbuf_adds(b, "\xEF\xBB\xBF");
    if (pic) {
        add_crlf(b, text, (size_t)(pic - text));
        add_crlf(b, instead, strlen(instead));
        text = pic + strlen(PICTURE_LINE);
    }
    add_crlf(b, text, strlen(text));
}

bool report_write_stick(int bundle_fd, const char *stamp, const char *text, const void *png,
                        size_t png_len)
{
    int dfd = stickw_dir(bundle_fd, "reports", true);
    if (dfd < 0)
        return false;
    struct sbuf b = {0};
    stick_text(&b, text, NULL);
    bool ok = false;
    char name[64];
    for (int i = 1; i < 100 && !ok; i++) {
        if (i == 1)
            snprintf(name, sizeof name, "%s", stamp);
        else
            snprintf(name, sizeof name, "%s-%d", stamp, i);
        char *txt = xasprintf("%s.txt", name);
        ok = stickw_create(dfd, txt, b.s, b.len);
        free(txt);
        if (!ok && errno != EEXIST)
            break;
    }
    if (ok && png) {
        /* The report is what matters: a stick too full for the picture
         * still has it, and says the picture it points to is missing. */
        char *pic = xasprintf("%s.png", name);
        if (!stickw_replace(dfd, pic, png, png_len)) {
            log_msg_errno(LOG_LEVEL_WARN, "could not write reports/%s to the stick", pic);
            struct sbuf nb = {0};
            stick_text(&nb, text, PICTURE_LOST_LINE);
            char *txt = xasprintf("%s.txt", name);
            if (!stickw_replace(dfd, txt, nb.s, nb.len))
                log_msg_errno(LOG_LEVEL_WARN, "could not write reports/%s again", txt);
            free(txt);
            sbuf_free(&nb);
        }
        free(pic);
        errno = 0;
    }
    int e = errno;
    sbuf_free(&b);
    close(dfd);
    errno = e;
    return ok;
}
