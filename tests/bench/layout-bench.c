/* layout-bench.c — micro-benchmark of the player's text path (core/text.c
 * breaking and fitting, player/font.c measuring and rasterising): a
 * 2,000-character announcement fitted to the 1080p slide box and every line
 * rasterised, and a 40-name honor roll page (8 x 5 cards, name fitted to
 * the card, honor and unit under it), from a cold and a warm glyph cache.
 *
 *   layout-bench [ITERATIONS]        timings, one key=value line per case
 *   layout-bench --once CASE MODE    CASE announcement|honors, MODE cold|warm:
 *                                    runs bench_measured() once, for
 *                                    valgrind --tool=callgrind
 *                                    --toggle-collect=bench_measured
 * Cold: a fresh font chain (fonts_create: no advance cache, no sized fonts,
 * no SDL_ttf glyph cache; the OS page cache is warm, as on a box that has
 * run before).  Warm: the same chain after one identical pass.
 * Exit 1 when no font opens (logged by font.c). */
#include <SDL.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/log.h"
#include "core/text.h"
#include "core/util.h"
#include "player/font.h"

/* The 1080p landscape geometry of the player (scene.c, slide_notice.c):
 * slide area 1920 x 907 minus margins, body 36..58 px, 1.5 line spacing. */
#define BOX_W 1748
#define BOX_H 600
#define BODY_MIN 36
#define BODY_MAX 58
#define SPACING 1.5
#define CARD_COLS 8
#define CARD_ROWS 5
#define CARD_W 200
#define CARD_H 150
#define NAME_MIN 24
#define NAME_MAX 56
#define SMALL 24

static const char *const passage[] = {
    "各位居民：入冬以来天气干燥，用火用电增多，火灾风险明显上升。为保障大家的生命财产安全，"
    "社区将联合物业公司、消防站开展冬季消防安全大检查，重点检查楼道堆物、电动自行车违规充电、"
    "私拉乱接电线和燃气管道老化等问题。",
    "检查期间工作人员佩戴工作证入户，请予以配合；发现隐患的，请在三日内整改。独居老人家中的隐患"
    "由志愿者协助处理。咨询电话 8866 1234，时间 8:30—17:30（周一至周五）。",
    "社区食堂自12月1日起调整冬季菜单，每日提供两荤两素一汤。年满七十周岁的老人凭身份证就餐享受"
    "八折优惠，八十周岁以上及独居困难老人可申请送餐上门，每份加收配送费一元。",
    "本周六上午九点，“邻里守望”志愿服务队在小区中心广场开展义诊、理发、家电维修和法律咨询，"
    "欢迎大家参加。请爱护公共设施，文明养犬，垃圾分类投放，共建整洁、安全、和谐的美好家园！",
};

static char *make_announcement(size_t chars)
{
    struct sbuf b = {0};
    for (size_t i = 0; utf8_len(b.s ? b.s : "") < chars; i++) {
        if (i)
            sbuf_addc(&b, '\n');
        sbuf_adds(&b, passage[i % ARRAY_LEN(passage)]);
    }
    /* cut at exactly `chars` code points, on a character boundary */
    size_t n = 0, off = 0;
    while (n < chars) {
        uint32_t cp;
        off += utf8_decode(b.s + off, b.len - off, &cp);
        n++;
    }
    b.s[off] = '\0';
    return b.s;
}

static const char surnames[] = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗";
static const char given[] = "秀英建国海燕德明晓东桂芳志刚丽娟文华春梅立新淑珍玉兰永强";

struct entry {
    char name[16], honor[32], unit[32];
};

static void make_honors(struct entry *e, int n)
{
    static const char *const honors[] = {"优秀志愿者", "最美家庭", "道德模范", "敬老爱亲模范",
                                         "优秀楼栋长", "见义勇为模范"};
    for (int i = 0; i < n; i++) {
        /* every CJK character here is 3 bytes in UTF-8 */
        int ns = (int)(sizeof surnames - 1) / 3, ng = (int)(sizeof given - 1) / 3;
        int s = i % ns, g1 = (i * 7) % ng, g2 = (i * 11 + 3) % ng;
        snprintf(e[i].name, sizeof e[i].name, "%.3s%.3s%.3s", surnames + 3 * s, given + 3 * g1,
                 i % 3 ? given + 3 * g2 : "");
        snprintf(e[i].honor, sizeof e[i].honor, "%s", honors[i % ARRAY_LEN(honors)]);
        snprintf(e[i].unit, sizeof e[i].unit, "第%d网格", i % 12 + 1);
    }
}

struct work {
    const char *text;
    const struct entry *entries;
    int nentries;
    long lines, pages, pixels;  /* OUT: what was produced, to check and to print */
};

static void rasterise(struct fonts *f, struct work *w, const char *s, size_t len, int size,
                      enum font_weight wt)
{
    SDL_Surface *sf = fonts_render(f, s, len, size, wt, (SDL_Color){ 0x1F, 0x1F, 0x1F, 255 });
    if (sf) {
        w->pixels += (long)sf->w * sf->h;
        SDL_FreeSurface(sf);
    }
}

static void run_announcement(struct fonts *f, struct work *w)
{
    struct text_fit fit;
    text_fit(w->text, BOX_W, BOX_H, BODY_MIN, BODY_MAX, SPACING,
             fonts_measurer(f, FONT_REGULAR), &fit);
    for (size_t i = 0; i < fit.layout.nlines; i++)
        rasterise(f, w, w->text + fit.layout.lines[i].start, fit.layout.lines[i].len,
                  fit.layout.size, FONT_REGULAR);
    w->lines += (long)fit.layout.nlines;
    w->pages += (long)fit.npages;
    text_fit_free(&fit);
}

/* Largest size at which s fits in width on one line (bisection, as the
 * player's draw_fit_line does). */
static int fit_line(struct fonts *f, const char *s, int width)
{
    const struct text_measurer *m = fonts_measurer(f, FONT_BOLD);
    int lo = NAME_MIN, hi = NAME_MAX;
    while (lo < hi) {
        int mid = (lo + hi + 1) / 2;
        if (m->width(m->ctx, s, strlen(s), mid) <= width)
            lo = mid;
        else
            hi = mid - 1;
    }
    return lo;
}

static void run_honors(struct fonts *f, struct work *w)
{
    for (int i = 0; i < w->nentries; i++) {
        const struct entry *e = &w->entries[i];
        int size = fit_line(f, e->name, CARD_W - 24);
        rasterise(f, w, e->name, strlen(e->name), size, FONT_BOLD);
        rasterise(f, w, e->honor, strlen(e->honor), SMALL, FONT_REGULAR);
        rasterise(f, w, e->unit, strlen(e->unit), SMALL, FONT_REGULAR);
        w->lines += 3;
    }
    w->pages++;
}

/* The same work, outside the function callgrind collects in: warms the
 * cache.  Its body must differ from bench_measured's, or the compiler folds
 * the two into one symbol and callgrind's toggle never fires. */
__attribute__((noinline)) static void bench_warmup(struct fonts *f, struct work *w, bool honors,
                                                   int passes)
{
    for (int i = 0; i < passes; i++) {
        if (honors)
            run_honors(f, w);
        else
            run_announcement(f, w);
    }
}

/* The measured unit of work; callgrind collects only inside it. */
__attribute__((noinline)) void bench_measured(struct fonts *f, struct work *w, bool honors);
__attribute__((noinline)) void bench_measured(struct fonts *f, struct work *w, bool honors)
{
    if (honors)
        run_honors(f, w);
    else
        run_announcement(f, w);
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

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int main(int argc, char **argv)
{
    log_init("layout-bench", LOG_LEVEL_WARN);
    struct config cfg = {0};    /* no [fonts]: the system chain, as the player's default */
    char *text = make_announcement(2000);
    struct entry entries[CARD_COLS * CARD_ROWS];
    make_honors(entries, (int)ARRAY_LEN(entries));
    struct work proto = { text, entries, (int)ARRAY_LEN(entries), 0, 0, 0 };

    if (argc == 4 && !strcmp(argv[1], "--once")) {
        bool honors = !strcmp(argv[2], "honors"), warm = !strcmp(argv[3], "warm");
        struct fonts *f = fonts_create(&cfg);
        if (!f)
            return 1;
        struct work w = proto;
        if (warm)
            bench_warmup(f, &w, honors, 1);
        w = proto;
        bench_measured(f, &w, honors);
        printf("case=%s mode=%s lines=%ld pages=%ld pixels=%ld\n", argv[2], argv[3], w.lines,
               w.pages, w.pixels);
        fonts_destroy(f);
        free(text);
        return 0;
    }

    int iters = argc > 1 ? atoi(argv[1]) : 10;
    if (iters < 1)
        iters = 1;
    double *cold = xcalloc((size_t)iters, sizeof *cold), *warm = xcalloc((size_t)iters, sizeof *warm);
    double *open = xcalloc((size_t)iters, sizeof *open);
    for (int c = 0; c < 2; c++) {
        bool honors = c == 1;
        struct work w = proto;
        for (int i = 0; i < iters; i++) {
            double t0 = now_ms();
            struct fonts *f = fonts_create(&cfg);
            if (!f)
                return 1;
            double t1 = now_ms();
            w = proto;
            bench_measured(f, &w, honors);
            double t2 = now_ms();
            struct work ww = proto;
            bench_measured(f, &ww, honors);
            double t3 = now_ms();
            open[i] = t1 - t0;
            cold[i] = t2 - t1;
            warm[i] = t3 - t2;
            fonts_destroy(f);
        }
        double lo = cold[0], hi = cold[0];
        for (int i = 1; i < iters; i++) {
            lo = cold[i] < lo ? cold[i] : lo;
            hi = cold[i] > hi ? cold[i] : hi;
        }
        double wl = warm[0], wh = warm[0];
        for (int i = 1; i < iters; i++) {
            wl = warm[i] < wl ? warm[i] : wl;
            wh = warm[i] > wh ? warm[i] : wh;
        }
        printf("case=%s iterations=%d lines=%ld pages=%ld pixels=%ld font_open_ms=%.2f "
               "cold_ms=%.2f cold_min_ms=%.2f cold_max_ms=%.2f warm_ms=%.2f warm_min_ms=%.2f "
               "warm_max_ms=%.2f\n",
               honors ? "honors" : "announcement", iters, w.lines, w.pages, w.pixels,
               median(open, iters), median(cold, iters), lo, hi, median(warm, iters), wl, wh);
    }
    free(cold);
    free(warm);
    free(open);
    free(text);
    return 0;
}
