/* test-notecard.c — what staff see on the screen after an import: each
 * outcome (busy, dry run, success, success with 提醒, failure, not
 * authorised, a read error) has its own words, colour and symbol, with
 * counts, 屏幕内容没有改变 on failure and 请勿拔出U盘 while busy, at sizes
 * read from three metres.  Checked on words and pixels; the screens as
 * staff see them (the card over a slide, 1920x1080 and 1080x1920) are
 * written to NB_SHOT_DIR (default build/tests/player) to look at. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <SDL.h>
#include <SDL_image.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/config.h"
#include "core/content.h"
#include "core/log.h"
#include "core/schedule.h"
#include "core/syncstate.h"
#include "core/util.h"
#include "core/when.h"
#include "player/font.h"
#include "../testutil.h"
#include "pinned.h"
#include "player/notecard.h"
#include "player/scene.h"

static char top[512];
static struct config cfg;
static struct fonts *fonts;
static int64_t now;

static struct nb_announcement ann[] = {
    { .id = 1, .title = "冬季消防安全提示",
      .body = "天干物燥，请勿在楼道堆放杂物，电动自行车严禁进楼入户、飞线充电。"
              "小区北门集中充电棚每天 6:00—23:00 开放，扫码即可充电。",
      .duration = 10 },
};
static struct nb_ticker ticker[] = { { .id = 1, .text = "欢迎光临幸福里社区" } };
static struct feed_content content = {
    .feed_version = 1, .org_name = "锦华街道幸福里社区党群服务中心",
    .ann = ann, .nann = ARRAY_LEN(ann), .ticker = ticker, .nticker = ARRAY_LEN(ticker),
};

/* The states the sync tool writes, one per outcome. */
enum { S_BUSY, S_CHECKED, S_OK, S_WARN, S_REJECTED, S_DENIED, S_IO, S_OK_RO, S_REJECTED_RO,
       S_OK_CLOCK, S_COUNT };
static const char *const names[S_COUNT] = {"busy", "checked", "ok", "warnings", "rejected",
                                           "denied", "io", "ok-readonly", "rejected-readonly",
                                           "ok-clock"};

static struct syncstate state(int which)
{
    struct syncstate st = {0};
    switch (which) {
    case S_BUSY:
        st.result = SYNCSTATE_BUSY;
        st.percent = 40;
        st.stage = SYNCSTATE_STAGE_COPY;
        syncstate_set_summary(&st, "正在更新内容… 40%");
        break;
    case S_CHECKED:
    case S_OK:
    case S_WARN:
        st.result = which == S_OK ? SYNCSTATE_OK : which == S_WARN ? SYNCSTATE_OK_WARNINGS
                                                                    : SYNCSTATE_CHECKED;
        st.announcements = 12, st.events = 8, st.honors = 36, st.ticker = 5;
        st.warnings = which == S_WARN ? 3 : 0;
        syncstate_set_summary(&st, "更新成功：12条公告、8项活动、36位表彰、5条滚动消息");
        break;
    case S_REJECTED:
        st.result = SYNCSTATE_REJECTED;
        st.problems = 4;
        syncstate_set_summary(&st, "更新失败：发现4处问题，屏幕内容没有改变。请按下面的提示修改后重新导入。");
        break;
    case S_DENIED:
        st.result = SYNCSTATE_NOT_AUTHORISED;
        syncstate_set_summary(&st, "未授权：钥匙文件与本设备不匹配。屏幕内容没有改变。");
        break;
    case S_IO:
        st.result = SYNCSTATE_IO_ERROR;
        syncstate_set_summary(&st, "更新失败：读取U盘时出错，请检查U盘是否插好后重试。屏幕内容没有改变。");
        break;
    case S_OK_RO:       /* the write-protect switch was on: it plays, no report */
        st = state(S_OK);
        st.report = SYNCSTATE_REPORT_READ_ONLY;
        break;
    case S_REJECTED_RO:
        st = state(S_REJECTED);
        st.report = SYNCSTATE_REPORT_READ_ONLY;
        break;
    case S_OK_CLOCK:    /* the stick moved the clock a week on */
        st = state(S_OK);
        syncstate_set_summary(&st, "更新成功：12条公告、8项活动、36位表彰、5条滚动消息。"
                                   "设备时间已校正为 2026年12月3日 09:00（原为 2026年11月26日 14:00）。");
        break;
    }
    return st;
}

static void has(const char *text, const char *want)
{
    if (!text || !strstr(text, want))
        fail_msg("\"%s\" does not say \"%s\"", text ? text : "(null)", want);
}

/* notecard-1: the words.  Every failure says 屏幕内容没有改变; success
 * gives the counts; 提醒 and problems are counted; busy says 请勿拔出U盘;
 * failures stay a minute, successes at least 20 s, busy until it ends. */
static void notecard_1(void **unused)
{
    (void)unused;
    struct notecard n;
    int ms;
    struct syncstate st = state(S_BUSY);
    notecard_from_syncstate(&st, &n, &ms);
    assert_int_equal(n.kind, NOTECARD_BUSY);
    has(n.title, "40%");
    has(n.detail, "请勿拔出U盘");
    has(n.detail, "正在复制U盘上的文件");
    assert_int_equal(ms, 0);
    notecard_fini(&n);

    st = state(S_OK);
    notecard_from_syncstate(&st, &n, &ms);
    assert_int_equal(n.kind, NOTECARD_OK);
    assert_string_equal(n.title, "更新成功");
    has(n.detail, "12条公告、8项活动、36位表彰、5条滚动消息");
    assert_true(ms >= 20000);
    notecard_fini(&n);

    /* A clock the stick moved is on the card too. */
    syncstate_set_summary(&st, "更新成功：12条公告、8项活动、36位表彰、5条滚动消息。"
                               "设备时间已校正为 2026年12月3日 09:00（原为 2026年11月26日 14:00）。");
    notecard_from_syncstate(&st, &n, &ms);
    has(n.detail, "12条公告");
    has(n.detail, "。\n设备时间已校正为 2026年12月3日 09:00（原为 2026年11月26日 14:00）");
    notecard_fini(&n);

    st = state(S_WARN);
    notecard_from_syncstate(&st, &n, &ms);
    assert_int_equal(n.kind, NOTECARD_WARN);
    has(n.title, "3 条提醒");
    has(n.detail, "12条公告");
    has(n.detail, "报告");
    assert_true(ms >= 30000);
    notecard_fini(&n);

    st = state(S_CHECKED);
    notecard_from_syncstate(&st, &n, &ms);
    assert_int_equal(n.kind, NOTECARD_INFO);
    has(n.title, "试运行");
    has(n.detail, "屏幕内容没有改变");
    notecard_fini(&n);

    for (int w = S_REJECTED; w <= S_IO; w++) {
        st = state(w);
        notecard_from_syncstate(&st, &n, &ms);
        has(n.detail, "屏幕内容没有改变");
        assert_true(ms >= 60000);
        if (w == S_REJECTED)
            has(n.title, "4 处问题");
        if (w == S_DENIED) {
            assert_int_equal(n.kind, NOTECARD_DENIED);
            has(n.title, "未授权");
            has(n.detail, "钥匙文件与本设备不匹配");
        } else {
            assert_int_equal(n.kind, NOTECARD_FAIL);
            has(n.title, "更新失败");
        }
        if (w == S_IO)
            has(n.detail, "读取U盘时出错");
        notecard_fini(&n);
    }
    /* A read-only stick: it plays, but the report (with the week and the
     * picture) is not on the stick; the card says so, why and what to do,
     * in amber, for as long as a warning. */
    st = state(S_OK_RO);
    notecard_from_syncstate(&st, &n, &ms);
    assert_int_equal(n.kind, NOTECARD_WARN);
    assert_string_equal(n.title, "内容已更新，但报告没有保存");
    has(n.detail, "U盘不能写入");
    has(n.detail, "报告、本周安排和预览图没有保存到U盘");
    has(n.detail, "请检查U盘的写保护开关");
    has(n.detail, "12条公告、8项活动、36位表彰、5条滚动消息");
    assert_true(ms >= 30000);
    notecard_fini(&n);
    st.result = SYNCSTATE_OK_WARNINGS, st.warnings = 3;
    notecard_from_syncstate(&st, &n, &ms);
    assert_int_equal(n.kind, NOTECARD_WARN);
    has(n.title, "报告没有保存");
    has(n.detail, "有 3 条提醒要看");
    assert_null(strstr(n.detail, "提醒请看U盘里的报告"));     /* it is not there */
    notecard_fini(&n);
    st.report = SYNCSTATE_REPORT_FULL;
    notecard_from_syncstate(&st, &n, &ms);
    has(n.detail, "U盘已满");
    has(n.detail, "请删掉U盘上不用的文件");
    notecard_fini(&n);
    /* A failure on it: still a failure, and where the problems are is said. */
    st = state(S_REJECTED_RO);
    notecard_from_syncstate(&st, &n, &ms);
    assert_int_equal(n.kind, NOTECARD_FAIL);
    has(n.title, "4 处问题");
    has(n.detail, "屏幕内容没有改变");
    has(n.detail, "写保护开关");
    has(n.detail, "报告中看到要改的地方");
    assert_null(strstr(n.detail, "本周安排"));       /* a rejected import has none */
    assert_null(strstr(n.detail, "请看U盘里的报告"));
    notecard_fini(&n);
    for (int w = S_CHECKED; w <= S_IO; w++) {
        if (w == S_OK || w == S_WARN || w == S_REJECTED)
            continue;
        st = state(w);
        st.report = SYNCSTATE_REPORT_READ_ONLY;
        notecard_from_syncstate(&st, &n, &ms);
        has(n.detail, "写保护开关");
        has(n.detail, "屏幕内容没有改变");
        assert_null(strstr(n.detail, "。。"));
        notecard_fini(&n);
    }

    /* Nothing to play is said, not an empty list. */
    st = (struct syncstate){.result = SYNCSTATE_OK};
    notecard_from_syncstate(&st, &n, &ms);
    has(n.detail, "没有内容");
    notecard_fini(&n);
}

static Uint32 px(const SDL_Surface *s, int x, int y)
{
    return ((const Uint32 *)((const Uint8 *)s->pixels + (size_t)y * (size_t)s->pitch))[x];
}

static bool near(Uint32 p, SDL_Color c, int tol)
{
    int r = (int)(p >> 16 & 255), g = (int)(p >> 8 & 255), b = (int)(p & 255);
    return abs(r - c.r) <= tol && abs(g - c.g) <= tol && abs(b - c.b) <= tol;
}

static SDL_Surface *card(int which, int width, int base)
{
    struct syncstate st = state(which);
    struct notecard n;
    int ms;
    notecard_from_syncstate(&st, &n, &ms);
    SDL_Surface *s = notecard_render(fonts, &n, width, base);
    notecard_fini(&n);
    assert_non_null(s);
    assert_int_equal(s->format->format, SDL_PIXELFORMAT_ARGB8888);
    return s;
}

/* notecard-2: the look.  Each outcome has its colour (busy and the dry run
 * share blue but not the symbol); the card is as wide as asked and tall
 * enough for a title at twice the floor size and a detail line; the
 * symbols differ; busy shows its percent as a bar. */
static void notecard_2(void **unused)
{
    (void)unused;
    const int W = 1860, base = 36;           /* a 1080p screen: floor = 1080 / 30 */
    SDL_Surface *s[S_COUNT];
    for (int i = 0; i < S_COUNT; i++) {
        s[i] = card(i, W, base);
        assert_int_equal(s[i]->w, W);
        assert_true(s[i]->h >= 3 * base + base * 5 / 4);
        /* The card's own colour in its padding, right edge, middle. */
        struct syncstate st = state(i);
        struct notecard n;
        int ms;
        notecard_from_syncstate(&st, &n, &ms);
        SDL_Color want = notecard_color(n.kind);
        notecard_fini(&n);
        if (!near(px(s[i], W - 6, s[i]->h / 2), want, 2))
            fail_msg("%s: pixel %08x is not the card colour", names[i], px(s[i], W - 6, s[i]->h / 2));
        /* Rounded corners are transparent. */
        assert_true(px(s[i], 0, 0) >> 24 < 16);
    }
    /* Colours: success, warning, failure and not authorised far apart. */
    enum notecard_kind k[] = {NOTECARD_BUSY, NOTECARD_OK, NOTECARD_WARN, NOTECARD_FAIL,
                              NOTECARD_DENIED};
    for (size_t i = 0; i < ARRAY_LEN(k); i++)
        for (size_t j = i + 1; j < ARRAY_LEN(k); j++) {
            SDL_Color a = notecard_color(k[i]), b = notecard_color(k[j]);
            int d = abs(a.r - b.r) + abs(a.g - b.g) + abs(a.b - b.b);
            if (d < 120)
                fail_msg("kinds %d and %d look alike (distance %d)", k[i], k[j], d);
        }
    /* Symbols: the icon squares of busy and checked (both blue) differ
     * in many pixels. */
    const int pairs[][2] = {{S_BUSY, S_CHECKED}};
    int pad = base * 3 / 4;
    for (size_t p = 0; p < ARRAY_LEN(pairs); p++) {
        SDL_Surface *a = s[pairs[p][0]], *b = s[pairs[p][1]];
        int side = (a->h < b->h ? a->h : b->h) - 2 * pad, diff = 0, total = 0;
        for (int y = -side / 2; y < side / 2; y++)
            for (int x = pad; x < pad + side; x++, total++)
                diff += (px(a, x, a->h / 2 + y) & 0xffffff) != (px(b, x, b->h / 2 + y) & 0xffffff);
        if (diff * 20 < total)

            fail_msg("%s and %s: symbols differ in only %d of %d pixels", names[pairs[p][0]],
                     names[pairs[p][1]], diff, total);
    }
    /* 40%: the bar is filled at 30% of its length and not at 60%. */
    SDL_Surface *busy = s[S_BUSY];
    int bar = base / 2, by = busy->h - pad - bar / 2;
    SDL_Color fg = {255, 255, 255, 255};
    assert_true(near(px(busy, pad + (W - 2 * pad) * 30 / 100, by), fg, 8));
    assert_false(near(px(busy, pad + (W - 2 * pad) * 60 / 100, by), fg, 8));
    for (int i = 0; i < S_COUNT; i++)
        SDL_FreeSurface(s[i]);

    /* A long reason is wrapped, never cut: the card grows. */
    struct notecard n = {.kind = NOTECARD_FAIL, .title = "更新失败", .detail = NULL};
    n.detail = xstrdup("无法在设备上保存图片（磁盘可能已满）。无法在设备上保存图片（磁盘可能已满）。"
                       "无法在设备上保存图片（磁盘可能已满）。无法在设备上保存图片（磁盘可能已满）。"
                       "屏幕内容没有改变。");
    SDL_Surface *one = card(S_IO, W, base);
    SDL_Surface *lng = notecard_render(fonts, &n, W, base);
    assert_non_null(lng);
    assert_true(lng->h > one->h);
    SDL_FreeSurface(one);
    SDL_FreeSurface(lng);
    free(n.detail);
}

/* The card over an announcement slide as the screen shows it. */
static SDL_Surface *screen(int which, int w, int h)
{
    struct slide_ref ref = { .kind = SLIDE_ANNOUNCEMENT, .index = 0, .duration = 10 };
    size_t tk[] = {0};
    struct plan plan = { .slides = &ref, .nslides = 1, .ticker = tk, .nticker = 1,
                         .until = WHEN_NEVER };
    SDL_Surface *surf = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    assert_non_null(surf);
    SDL_Renderer *r = SDL_CreateSoftwareRenderer(surf);
    assert_non_null(r);
    struct scene *sc = scene_create(r, fonts, &cfg, w, h);
    scene_load(sc, &content, NULL, &plan, now);
    struct syncstate st = state(which);
    struct notecard n;
    int ms;
    notecard_from_syncstate(&st, &n, &ms);
    scene_set_overlay(sc, &n);
    scene_set_overlay(sc, &n);          /* the same again: nothing to redo */
    SDL_Color want = notecard_color(n.kind);
    notecard_fini(&n);
    SDL_Texture *t = scene_page(sc, 0, now);
    assert_non_null(t);
    scene_compose(sc, t, NULL, 1.0, scene_ticker_still(sc), now, false);
    SDL_RenderFlush(r);
    SDL_DestroyTexture(t);
    SDL_Rect area = scene_area_rect(sc);
    scene_set_overlay(sc, NULL);
    scene_destroy(sc);
    SDL_DestroyRenderer(r);
    /* The card sits at the foot of the slide area, in its colour. */
    long found = 0;
    for (int y = area.y + area.h / 2; y < area.y + area.h; y++)
        for (int x = 0; x < w; x++)
            found += near(px(surf, x, y), want, 2);
    if (found < (long)w * area.h / 10)
        fail_msg("%s %dx%d: the card is not at the foot of the slide", names[which], w, h);
    return surf;
}

/* notecard-3: the screens, landscape and portrait, written for a person
 * to look at. */
static void notecard_3(void **unused)
{
    (void)unused;
    const char *dir = getenv("NB_SHOT_DIR");
    char *d = dir && *dir ? xstrdup(dir) : xasprintf("%s/build/tests/player", top);
    const int sizes[][2] = {{1920, 1080}, {1080, 1920}};
    for (int i = 0; i < S_COUNT; i++)
        for (size_t k = 0; k < ARRAY_LEN(sizes); k++) {
            SDL_Surface *s = screen(i, sizes[k][0], sizes[k][1]);
            char *path = xasprintf("%s/notecard-%s-%s.png", d, names[i],
                                   k ? "portrait" : "landscape");
            if (IMG_SavePNG(s, path) != 0)
                print_message("cannot write %s: %s\n", path, IMG_GetError());
            free(path);
            SDL_FreeSurface(s);
        }
    free(d);
}

int main(void)
{
    test_top(top, sizeof top, __FILE__);

    log_init("test-notecard", LOG_LEVEL_WARN);
    fonts = pinned_fonts(&cfg, top, "test-notecard");
    if (!fonts)
        return 1;
    if (!when_parse_moment("2026-11-22 10:30", &now))
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(notecard_1), cmocka_unit_test(notecard_2), cmocka_unit_test(notecard_3),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    fonts_destroy(fonts);
    config_free(&cfg);
    return failed;
}
