/* test-golden.c — golden images of every slide kind, landscape 1920x1080
 * and portrait 1080x1920, drawn by the real scene code with the SDL
 * software renderer and the pinned font (fonts/NotoSansSC-NB-*.otf), from
 * in-memory content at a fixed moment.  Compared with tests/golden/NAME.png
 * within a tolerance; on a mismatch the actual image is written beside it
 * as NAME.actual.png.  NB_GOLDEN_UPDATE=1 rewrites the goldens.
 * Rule: the same content at the same moment looks the same (docs/man/noticeboard.1:
 * render draws every slide with the real renderer). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <SDL.h>
#include <SDL_image.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "core/config.h"
#include "core/content.h"
#include "core/feed.h"
#include "core/log.h"
#include "core/schedule.h"
#include "core/util.h"
#include "core/when.h"
#include "player/font.h"
#include "../testutil.h"
#include "pinned.h"
#include "player/scene.h"

/* Tolerance: anti-aliasing may move by a level or two between builds;
 * a layout change moves whole glyphs. */
#define CHANNEL_TOLERANCE 40
#define MAX_BAD_FRACTION 0.002

static char top[512];
static struct config cfg;
static struct fonts *fonts;
static int64_t now;

/* ------------------------------------------------------------ content */

static struct nb_announcement ann[] = {
    { .id = 1, .title = "冬季消防安全提示",
      .body = "天干物燥，请勿在楼道堆放杂物，电动自行车严禁进楼入户、飞线充电。"
              "小区北门集中充电棚每天 6:00—23:00 开放，扫码即可充电。发现火情请立即拨打119。",
      .priority = PRIO_HIGH, .duration = 10 },
    { .id = 2, .title = "停水通知",
      .body = "因市政供水管网改造，幸福里小区分两次停水，请居民提前储水：\n"
              "11月25日（周三）8:00—18:00，1—6号楼停水；\n"
              "11月29日（周日）8:00—14:00，7—12号楼停水。",
      .priority = PRIO_URGENT, .duration = 20 },
    { .id = 3, .title = "幸福里社区居务公开（2026年第三季度）",
      .body = "一、财务收支。本季度社区公益事业专项经费收入12.6万元，支出9.8万元，主要用于："
              "楼道照明改造3.2万元，老年活动室空调更换1.9万元，文化节与读书月活动2.1万元，"
              "困难家庭走访慰问1.4万元，志愿者保险及服装1.2万元。结余2.8万元结转下季度使用。\n"
              "二、民生实事。完成5号楼、8号楼加装电梯意见征集，同意率分别为91%和87%，已报街道审批；"
              "小区北门新建电动自行车集中充电棚，共60个充电位，11月起投入使用；东门增设无障碍坡道一处。\n"
              "三、低保与救助。本季度新增低保1户、退出1户，现有低保对象7户11人；临时救助2户。\n"
              "四、居民意见办理。本季度收到居民意见建议43条，已办结39条，其余4条正在协调中。"
              "对办理结果有疑问的，请于工作日到居民议事厅咨询，或拨打12345热线反映。\n"
              "五、下季度计划。完成8号楼加装电梯施工招标，开展冬季消防安全检查和独居老人走访，"
              "组织第八届社区文化节和读书月系列活动，继续推进垃圾分类定时定点投放。",
      .priority = PRIO_NORMAL, .duration = 15 },
    { .id = 4, .title = "\U0001F389新年快乐\U0001F3EE",
      .body = "社区春节联欢会 1月25日 19:00 开始\U0001F9E7，欢迎全家参加\U0001F468\u200D\U0001F469\u200D\U0001F467！"
              "现场有猜灯谜\U0001F3EE、写春联\u270D\uFE0F和包饺子\U0001F95F，点赞\U0001F44D\U0001F3FD。",
      .priority = PRIO_NORMAL, .duration = 10 },
    { .id = 5, .title = "招募社区志愿者",
      .body = "寒假期间招募青少年志愿者，参加图书角整理、敬老院慰问等活动，扫码报名。",
      .priority = PRIO_NORMAL, .duration = 10,
      .qr = "https://example.org/volunteer/2027-winter" },
};

static struct nb_event events[] = {
    { .id = 1, .start = 9 * 60, .end = 11 * 60, .title = "亲子剪纸手工课", .place = "二楼活动室",
      .organizer = "社区妇联", .note = "" },
    { .id = 2, .start = 14 * 60 + 30, .end = 16 * 60, .title = "亲子共读分享会",
      .place = "居民议事厅", .organizer = "社区图书角", .note = "" },
    { .id = 3, .start = 9 * 60, .end = 11 * 60, .title = "书法班（楷书基础）",
      .place = "党群服务中心二楼书画室", .organizer = "社区老年学校", .note = "" },
    { .id = 4, .start = -1, .end = -1, .title = "社区文化节", .place = "社区文化广场",
      .organizer = "", .note = "" },
};

/* Overnight and 备注 (golden_8, at 01:00 the night after the 21st's
 * evening): one under way since yesterday, a note, a note too long for a page. */
static char long_note[4096];
static struct nb_event night_events[] = {
    { .id = 11, .start = 22 * 60, .end = 2 * 60, .title = "冬至守夜联欢", .place = "社区文化广场",
      .organizer = "社区居委会", .note = "请穿厚衣服，自带保温杯" },
    { .id = 12, .start = 9 * 60, .end = 11 * 60, .title = "健康讲座：冬季常见病预防",
      .place = "社区活动室（二楼）", .organizer = "社区卫生服务站",
      .note = "欢迎居民参加，请提前10分钟入场" },
    { .id = 13, .start = 14 * 60, .end = 16 * 60, .title = "居民议事会", .place = "居民议事厅",
      .organizer = "", .note = long_note },
};

static struct nb_honor honors[] = {
    { .name = "张喆", .honor = "志愿服务标兵", .unit = "幸福里志愿服务队", .year = "2026" },
    { .name = "李堃", .honor = "志愿服务标兵", .unit = "青年志愿服务队", .year = "2026" },
    { .name = "王玥", .honor = "五星志愿者", .unit = "社区图书角", .year = "2026" },
    { .name = "阿卜杜·克里木", .honor = "五星志愿者", .unit = "文明劝导队", .year = "2026" },
    { .name = "欧阳晓梅", .honor = "优秀志愿者", .unit = "银发助老队", .year = "2026" },
};

static struct nb_roll rolls[] = {
    { .id = 1, .name = "2026年度优秀志愿者", .entries = honors, .nentries = ARRAY_LEN(honors) },
};

static struct nb_ticker ticker[] = {
    { .id = 1, .text = "热烈祝贺锦华街道荣获“全国文明单位”称号！" },
    { .id = 2, .text = "天干物燥，小心火灾；电动自行车请勿进楼入户" },
};

static struct feed_content content = {
    .feed_version = 1,
    .org_name = "锦华街道幸福里社区党群服务中心",
    .ann = ann, .nann = ARRAY_LEN(ann),
    .events = events, .nevents = ARRAY_LEN(events),
    .rolls = rolls, .nrolls = ARRAY_LEN(rolls),
    .ticker = ticker, .nticker = ARRAY_LEN(ticker),
};

/* ------------------------------------------------------------ helpers */

static SDL_Surface *load_png(const char *path)
{
    SDL_RWops *rw = SDL_RWFromFile(path, "rb");
    if (!rw)
        return NULL;
    SDL_Surface *s = IMG_LoadPNG_RW(rw);
    SDL_RWclose(rw);
    if (!s)
        return NULL;
    SDL_Surface *c = SDL_ConvertSurfaceFormat(s, SDL_PIXELFORMAT_ARGB8888, 0);
    SDL_FreeSurface(s);
    return c;
}

/* Fraction of pixels whose R, G or B differs by more than the tolerance;
 * 1.0 when the sizes differ. */
static double bad_fraction(SDL_Surface *a, SDL_Surface *b)
{
    if (a->w != b->w || a->h != b->h)
        return 1.0;
    size_t bad = 0;
    for (int y = 0; y < a->h; y++) {
        const Uint32 *pa = (const Uint32 *)((const Uint8 *)a->pixels + (size_t)y * (size_t)a->pitch);
        const Uint32 *pb = (const Uint32 *)((const Uint8 *)b->pixels + (size_t)y * (size_t)b->pitch);
        for (int x = 0; x < a->w; x++) {
            for (int sh = 0; sh <= 16; sh += 8) {
                int d = (int)((pa[x] >> sh) & 0xff) - (int)((pb[x] >> sh) & 0xff);
                if (d > CHANNEL_TOLERANCE || d < -CHANNEL_TOLERANCE) {
                    bad++;
                    break;
                }
            }
        }
    }
    return (double)bad / ((double)a->w * a->h);
}

/* Draws page `page` of a one-slide loop (or the idle page for kind < 0)
 * into a new w x h surface. */
static bool unsure;  /* header shows 时间未校准 */
static struct feed *media_feed;     /* where slides find their pictures, or NULL */

static SDL_Surface *draw_slide(int kind, size_t index, size_t page, int w, int h, bool with_ticker)
{
    struct slide_ref ref = { .kind = (enum slide_kind)(kind < 0 ? 0 : kind), .index = index,
                             .duration = 10 };
    size_t ev_idx[] = { 0, 1, 2, 3 };
    size_t tk_idx[] = { 0, 1 };
    struct plan plan = {
        .slides = &ref, .nslides = kind < 0 ? 0 : 1,
        .events = ev_idx, .nevents = content.nevents < ARRAY_LEN(ev_idx) ? content.nevents : ARRAY_LEN(ev_idx),
        .ticker = tk_idx, .nticker = with_ticker ? 2 : 0,
        .until = WHEN_NEVER,
    };
    SDL_Surface *surf = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    assert_non_null(surf);
    SDL_Renderer *r = SDL_CreateSoftwareRenderer(surf);
    assert_non_null(r);
    struct scene *sc = scene_create(r, fonts, &cfg, w, h);
    scene_load(sc, &content, media_feed, &plan, now);
    assert_true(page < scene_steps(sc));
    SDL_Texture *t = scene_page(sc, page, now);
    assert_non_null(t);
    scene_compose(sc, t, NULL, 1.0, scene_ticker_still(sc), now, unsure);
    SDL_RenderFlush(r);
    SDL_DestroyTexture(t);
    scene_destroy(sc);
    SDL_DestroyRenderer(r);
    return surf;
}

static void check_golden(const char *name, SDL_Surface *actual)
{
    char *golden = xasprintf("%s/tests/golden/%s.png", top, name);
    char *out = xasprintf("%s/tests/golden/%s.actual.png", top, name);
    const char *update = getenv("NB_GOLDEN_UPDATE");
    if (update && strcmp(update, "1") == 0) {
        assert_int_equal(IMG_SavePNG(actual, golden), 0);
        print_message("golden %s updated\n", name);
    } else {
        SDL_Surface *want = load_png(golden);
        double bad = want ? bad_fraction(actual, want) : 1.0;
        if (bad > MAX_BAD_FRACTION) {
            IMG_SavePNG(actual, out);
            print_error("%s: %.4f%% of pixels differ%s; actual image in %s "
                        "(NB_GOLDEN_UPDATE=1 accepts it)\n", name, bad * 100,
                        want ? "" : " (no golden yet)", out);
        } else {
            remove(out);
        }
        SDL_FreeSurface(want);
        assert_true(bad <= MAX_BAD_FRACTION);
    }
    free(golden);
    free(out);
}

static void golden_case(const char *name, int kind, size_t index, size_t page, bool with_ticker)
{
    char *land = xasprintf("%s-landscape", name), *port = xasprintf("%s-portrait", name);
    SDL_Surface *a = draw_slide(kind, index, page, 1920, 1080, with_ticker);
    check_golden(land, a);
    SDL_FreeSurface(a);
    a = draw_slide(kind, index, page, 1080, 1920, with_ticker);
    check_golden(port, a);
    SDL_FreeSurface(a);
    free(land);
    free(port);
}

/* ------------------------------------------------------------ tests */

/* golden_0: the comparison can fail — two different slides differ by far
 * more than the tolerance, and a slide matches itself exactly. */
static void golden_0(void **state)
{
    (void)state;
    SDL_Surface *a = draw_slide(SLIDE_ANNOUNCEMENT, 0, 0, 640, 360, false);
    SDL_Surface *b = draw_slide(SLIDE_URGENT, 1, 0, 640, 360, false);
    SDL_Surface *a2 = draw_slide(SLIDE_ANNOUNCEMENT, 0, 0, 640, 360, false);
    assert_true(bad_fraction(a, b) > 0.2);
    assert_true(bad_fraction(a, a2) == 0.0);
    SDL_FreeSurface(a);
    SDL_FreeSurface(b);
    SDL_FreeSurface(a2);
}

/* golden_1: announcement (重要 label, title, accent rule, body, header, ticker). */
static void golden_1(void **state)
{
    (void)state;
    golden_case("announcement", SLIDE_ANNOUNCEMENT, 0, 0, true);
}

/* golden_2: urgent notice: red field, 紧急通知 label, large text. */
static void golden_2(void **state)
{
    (void)state;
    golden_case("urgent", SLIDE_URGENT, 1, 0, true);
}

/* golden_3: a long notice split into pages: page 2 with 第2/N页. */
static void golden_3(void **state)
{
    (void)state;
    golden_case("announcement-page2", SLIDE_ANNOUNCEMENT, 2, 1, false);
}

/* golden_4: events grouped by day (今天 / 明天 / 星期X), 进行中 badge. */
static void golden_4(void **state)
{
    (void)state;
    golden_case("events", SLIDE_EVENTS, 0, 0, true);
}

/* golden_5: honor roll cards with initial avatars. */
static void golden_5(void **state)
{
    (void)state;
    golden_case("honors", SLIDE_HONORS, 0, 0, false);
}

/* golden_14: a roll of names alone (no photo, honor or unit): name cards
 * without the initial avatar, many to a page, names larger than body text. */
static void golden_14(void **state)
{
    (void)state;
    static const char *const names[] = {
        "赵洋", "罗霞超", "张建", "郭明丽", "黄明建", "高勇霞", "陈霞", "陈桂伟", "梁敏", "唐磊",
        "唐建", "吴兰桂", "马勇桂", "林英洋", "刘英", "郭强", "梁英霞", "周涛建", "马明超", "朱军",
        "梁国", "吴刚", "徐刚", "郑霞", "林磊秀", "张国霞", "郭洋", "张英伟", "周英艳", "刘兰",
        "罗勇", "谢明强", "何芳", "周娜", "刘静", "朱兰强", "陈国", "阿卜杜·克里木", "欧阳晓梅",
        "马德胜",
    };
    struct nb_honor hon[ARRAY_LEN(names)];
    for (size_t i = 0; i < ARRAY_LEN(names); i++)
        hon[i] = (struct nb_honor){ .name = (char *)names[i], .honor = (char *)"",
                                    .unit = (char *)"", .year = (char *)"2026" };
    struct nb_roll roll = { .id = 2, .name = (char *)"2026年度社区志愿者名单", .entries = hon,
                            .nentries = ARRAY_LEN(hon) };
    struct nb_roll *saved = content.rolls;
    size_t saved_n = content.nrolls;
    content.rolls = &roll;
    content.nrolls = 1;
    golden_case("honors-names", SLIDE_HONORS, 0, 0, true);
    content.rolls = saved;
    content.nrolls = saved_n;
}

/* golden_6: empty loop: name, clock and date, never black. */
static void golden_6(void **state)
{
    (void)state;
    golden_case("idle", -1, 0, 0, false);
}

/* golden_8: events with 备注 and one past midnight: at 01:00 the event of
 * 22:00-02:00 the evening before is 进行中 under 昨天; a 备注 shows under its
 * event; one too long for the page ends in … within the page. */
static void golden_8(void **state)
{
    (void)state;
    int64_t saved_now = now;
    struct nb_event *saved = content.events;
    size_t saved_n = content.nevents;
    int64_t day;
    assert_true(when_parse_moment("2026-11-23 01:00", &now));
    day = now / WHEN_MIN_PER_DAY;
    night_events[0].day = day - 1;
    night_events[1].day = day;
    night_events[2].day = day + 1;
    content.events = night_events;
    content.nevents = ARRAY_LEN(night_events);
    golden_case("events-night", SLIDE_EVENTS, 0, 0, false);
    content.events = saved;
    content.nevents = saved_n;
    now = saved_now;
}

/* Bounds of the pixels in rows [0, band) where a and b differ: x0..x1,
 * y0..y1 (x1 < 0 when none). */
static void diff_box(SDL_Surface *a, SDL_Surface *b, int band, int *x0, int *x1, int *y0, int *y1)
{
    *x0 = a->w, *x1 = -1, *y0 = band, *y1 = -1;
    for (int y = 0; y < band; y++) {
        const Uint32 *pa = (const Uint32 *)((const Uint8 *)a->pixels + (size_t)y * (size_t)a->pitch);
        const Uint32 *pb = (const Uint32 *)((const Uint8 *)b->pixels + (size_t)y * (size_t)b->pitch);
        for (int x = 0; x < a->w; x++)
            if ((pa[x] & 0xFFFFFF) != (pb[x] & 0xFFFFFF)) {
                *x0 = x < *x0 ? x : *x0;
                *x1 = x > *x1 ? x : *x1;
                *y0 = y < *y0 ? y : *y0;
                *y1 = y > *y1 ? y : *y1;
            }
    }
}

/* golden_9: the organisation's name fits the header whatever its length
 * (issue 18, issue 15 item 8): one line when it can, wrapped and smaller,
 * "…" at the floor; never over the date and clock, never cut at the band's
 * edges.  The name's pixels are those that differ from the same header
 * without a name; the clock's and date's are those of the nameless header
 * that differ from a plain band. */
static void golden_9(void **state)
{
    (void)state;
    char *saved = content.org_name;
    static const char *const names[] = {
        "幸福里社区",
        "锦华街道幸福里社区党群服务中心暨新时代文明实践站",                       /* 24 */
        "中共某某市某某区锦华街道幸福里社区委员会党群服务中心暨新时代文明实践站与志愿服务站",  /* 40 */
        NULL,
    };
    struct sbuf huge = {0};
    while (huge.len < 600)
        sbuf_adds(&huge, "锦华街道幸福里社区党群服务中心Community Service Centre ");
    for (int orient = 0; orient < 2; orient++) {
        int w = orient ? 1080 : 1920, h = orient ? 1920 : 1080;
        int band = orient ? (int)(h * 0.075) : (int)(h * 0.09);
        content.org_name = "";
        SDL_Surface *bare = draw_slide(SLIDE_ANNOUNCEMENT, 0, 0, w, h, false);
        /* The clock and date: what differs from the band's own colour. */
        /* In portrait the date is under the name, on the left (it moves
         * with the name, so the name's box takes it in there). */
        int cx0 = w, dy0 = band;
        Uint32 bg = ((const Uint32 *)bare->pixels)[0] & 0xFFFFFF;
        for (int y = 0; y < band; y++)
            for (int x = 0; x < w; x++) {
                Uint32 p = ((const Uint32 *)((const Uint8 *)bare->pixels +
                                             (size_t)y * (size_t)bare->pitch))[x];
                if ((p & 0xFFFFFF) == bg)
                    continue;
                if (x >= w / 2 && x < cx0)
                    cx0 = x;
                if (x < w / 2 && y < dy0)
                    dy0 = y;
            }
        assert_true(cx0 < w);
        assert_true(orient ? dy0 < band : dy0 == band);
        for (size_t i = 0; i < ARRAY_LEN(names); i++) {
            content.org_name = names[i] ? (char *)names[i] : huge.s;
            SDL_Surface *a = draw_slide(SLIDE_ANNOUNCEMENT, 0, 0, w, h, false);
            int x0, x1, y0, y1;
            diff_box(a, bare, band, &x0, &x1, &y0, &y1);
            print_message("%s, name %zu: name x %d..%d y %d..%d, clock from x %d, date from y %d, "
                          "band %d\n", orient ? "portrait" : "landscape", i, x0, x1, y0, y1, cx0,
                          dy0, band);
            assert_true(x1 >= 0);               /* drawn */
            assert_true(x1 < cx0);              /* clear of the date and clock */
            assert_true(y0 > 0 && y1 < band - 1);  /* not cut at the band's edges */
            if (i == 2)
                check_golden(orient ? "header-long-portrait" : "header-long-landscape", a);
            SDL_FreeSurface(a);
        }
        SDL_FreeSurface(bare);
    }
    content.org_name = saved;
    sbuf_free(&huge);
}

/* golden_10: emoji in a title, a body and the ticker (issue 18) are drawn
 * in colour from the installed emoji font, about one character wide, on
 * the text's baseline; none is a box (□).  Needs fonts-noto-color-emoji. */
static void golden_10(void **state)
{
    (void)state;
    char *saved = ticker[0].text;
    ticker[0].text = "\U0001F389热烈祝贺锦华街道荣获“全国文明单位”称号！\U0001F3EE";
    golden_case("emoji", SLIDE_ANNOUNCEMENT, 3, 0, true);
    ticker[0].text = saved;
}

/* True when columns [x0, x1) of rows [y0, y1) are all the colour of the
 * first of them: nothing was drawn into that strip. */
static bool strip_clear(SDL_Surface *a, int x0, int x1, int y0, int y1)
{
    Uint32 bg = ((const Uint32 *)((const Uint8 *)a->pixels + (size_t)y0 * (size_t)a->pitch))[x0];
    for (int y = y0; y < y1; y++) {
        const Uint32 *p = (const Uint32 *)((const Uint8 *)a->pixels + (size_t)y * (size_t)a->pitch);
        for (int x = x0; x < x1; x++)
            if ((p[x] & 0xFFFFFF) != (bg & 0xFFFFFF)) {
                print_message("ink at (%d, %d)\n", x, y);
                return false;
            }
    }
    return true;
}

/* golden_11: "never clipped" (issue 15 item 8) — absurd content at the
 * column limits (a 100-character name and roll title, a 200-character
 * unbreakable event title and a 200-character organisation name, a notice
 * of one 300-emoji ZWJ chain) draws nothing into the right margin of any
 * slide, in either orientation: cut with "…", wrapped or split instead. */
static void golden_11(void **state)
{
    (void)state;
    struct sbuf name = {0}, url = {0}, chain = {0}, org = {0};
    while (utf8_len(name.s ? name.s : "") < 100)
        sbuf_adds(&name, "欧阳");
    sbuf_adds(&url, "https://");
    while (url.len < 200)
        sbuf_adds(&url, "example");
    sbuf_adds(&chain, "\U0001F468");
    for (int i = 0; i < 300; i++)
        sbuf_adds(&chain, "\u200D\U0001F469");
    while (utf8_len(org.s ? org.s : "") < 200)
        sbuf_adds(&org, "锦华街道幸福里社区");
    struct nb_honor h2[] = { { .name = name.s, .honor = "志愿服务标兵", .unit = "幸福里志愿服务队",
                               .year = "2026" } };
    struct nb_roll r2[] = { { .id = 9, .name = name.s, .entries = h2, .nentries = 1 } };
    struct nb_event e2[] = { { .id = 21, .start = 9 * 60, .end = 10 * 60, .title = url.s,
                               .place = url.s, .organizer = "", .note = chain.s,
                               .day = now / WHEN_MIN_PER_DAY } };
    struct nb_announcement a2[] = { { .id = 31, .title = chain.s, .body = chain.s,
                                      .priority = PRIO_NORMAL, .duration = 10 } };
    struct feed_content saved = content;
    content.rolls = r2;
    content.nrolls = 1;
    content.events = e2;
    content.nevents = 1;
    content.ann = a2;
    content.nann = 1;
    content.org_name = org.s;
    static const struct { int kind; const char *what; } cases[] = {
        { SLIDE_HONORS, "honors" }, { SLIDE_EVENTS, "events" },
        { SLIDE_ANNOUNCEMENT, "notice" }, { -1, "idle" },
    };
    for (int orient = 0; orient < 2; orient++) {
        int w = orient ? 1080 : 1920, h = orient ? 1920 : 1080;
        int mx = (int)(orient ? w * 0.06 : w * 0.045);
        for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
            SDL_Surface *a = draw_slide(cases[i].kind, 0, 0, w, h, false);
            int band = cases[i].kind < 0 ? 0 : (int)(orient ? h * 0.075 : h * 0.09);
            print_message("%s %s\n", orient ? "portrait" : "landscape", cases[i].what);
            const char *dump = getenv("NB_GOLDEN_DUMP");    /* a folder: to look at them */
            if (dump) {
                char *png = xasprintf("%s/overflow-%s-%s.png", dump, cases[i].what,
                                      orient ? "portrait" : "landscape");
                IMG_SavePNG(a, png);
                free(png);
            }
            /* The right margin below the header, and the header's own. */
            assert_true(strip_clear(a, w - mx + 2, w, band + 1, h));
            if (band)
                assert_true(strip_clear(a, w - mx / 2, w, 0, band));
            SDL_FreeSurface(a);
        }
    }
    content = saved;
    sbuf_free(&name);
    sbuf_free(&url);
    sbuf_free(&chain);
    sbuf_free(&org);
}

/* golden_7: the clock cannot be trusted: 时间未校准 in the header. */
static void golden_7(void **state)
{
    (void)state;
    unsure = true;
    golden_case("clock-unsure", SLIDE_ANNOUNCEMENT, 0, 0, false);
    unsure = false;
}

/* golden_12: the 农历 line in the header on 2027-01-20: 农历腊月十三, the
 * solar term 大寒 and 距离春节还有17天 (春节 2027-02-06); a 二维码 card
 * beside the text. */
static void golden_12(void **state)
{
    (void)state;
    int64_t was = now;
    assert_true(when_parse_moment("2027-01-20 10:30", &now));
    cfg.lunar = true;
    golden_case("header-lunar-qr", SLIDE_ANNOUNCEMENT, 4, 0, false);
    cfg.lunar = false;
    now = was;
}

/* A feed holding poster.png: a 1200x1600 portrait poster (navy field, a
 * white band, red and gold blocks) as the 海报 folder stores a picture, in
 * a new folder *dir (caller removes both). */
static struct feed *poster_feed(char **dir)
{
    *dir = xstrdup("/tmp/test-golden-XXXXXX");
    assert_non_null(mkdtemp(*dir));
    char *png = xasprintf("%s/poster.png", *dir), *db = xasprintf("%s/feed.db", *dir);
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, 1200, 1600, 32, SDL_PIXELFORMAT_ARGB8888);
    assert_non_null(s);
    SDL_FillRect(s, NULL, SDL_MapRGB(s->format, 20, 40, 110));
    SDL_FillRect(s, &(SDL_Rect){0, 200, 1200, 260}, SDL_MapRGB(s->format, 250, 250, 245));
    SDL_FillRect(s, &(SDL_Rect){100, 600, 1000, 700}, SDL_MapRGB(s->format, 190, 30, 30));
    SDL_FillRect(s, &(SDL_Rect){300, 800, 600, 300}, SDL_MapRGB(s->format, 240, 190, 40));
    assert_int_equal(IMG_SavePNG(s, png), 0);
    SDL_FreeSurface(s);
    size_t len = 0;
    char *data = read_file(png, 8u << 20, &len);
    assert_non_null(data);
    char *why = NULL;
    struct feed_writer *w = feed_writer_create(db, &why);
    assert_non_null(w);
    assert_true(feed_writer_media(w, "poster.png", NULL, "00", 1200, 1600, "image/png", data, len));
    struct feed_content empty = { .org_name = "" };
    assert_true(feed_writer_finish(w, &empty, 1, &why));
    struct feed *f = feed_open(db, &why);
    assert_non_null(f);
    unlink(png);
    free(data);
    free(png);
    free(db);
    return f;
}

/* golden_13: a poster from the 海报 folder (sync/posters.h): a picture with
 * no text and the default timing fills the space under the header,
 * centred, its aspect kept, in both orientations. */
static void golden_13(void **state)
{
    (void)state;
    char *dir;
    media_feed = poster_feed(&dir);
    struct nb_announcement poster[] = { { .id = 1, .title = "", .body = "", .image = "poster.png",
                                          .duration = 10, .qr = "" } };
    struct nb_announcement *was = content.ann;
    size_t nwas = content.nann;
    content.ann = poster;
    content.nann = 1;
    golden_case("poster", SLIDE_ANNOUNCEMENT, 0, 0, false);
    content.ann = was;
    content.nann = nwas;
    feed_close(media_feed);
    media_feed = NULL;
    char *db = xasprintf("%s/feed.db", dir);
    unlink(db);
    rmdir(dir);
    free(db);
    free(dir);
}

int main(void)
{
    test_top(top, sizeof top, __FILE__);

    log_init("test-golden", LOG_LEVEL_WARN);
    fonts = pinned_fonts(&cfg, top, "test-golden");
    if (!fonts)
        return 1;
    cfg.lunar = false;  /* the header's 农历 line has its own golden (golden_12) */
    /* 2026-11-22 10:30, a Sunday: 亲子剪纸 (9:00-11:00) is under way. */
    if (!when_parse_moment("2026-11-22 10:30", &now))
        return 1;
    int64_t today = now / WHEN_MIN_PER_DAY;
    /* Twice the report: more than fits one page even at the floor size. */
    ann[2].body = xasprintf("%s\n%s", ann[2].body, ann[2].body);
    for (size_t k = 0; strlen(long_note) + 120 < sizeof long_note; k++)
        strcat(long_note, k % 3 == 2 ? "议题：楼道堆物清理与电动车充电棚管理。\n"
                                     : "请各楼栋长提前收集居民意见，会上逐条讨论并表决；");
    events[0].day = today;
    events[1].day = today;
    events[2].day = today + 1;
    events[3].day = today + 3;

    const struct CMUnitTest tests[] = {
        cmocka_unit_test(golden_0), cmocka_unit_test(golden_1), cmocka_unit_test(golden_2),
        cmocka_unit_test(golden_3), cmocka_unit_test(golden_4), cmocka_unit_test(golden_5),
        cmocka_unit_test(golden_6), cmocka_unit_test(golden_7), cmocka_unit_test(golden_8),
        cmocka_unit_test(golden_9), cmocka_unit_test(golden_10),
        cmocka_unit_test(golden_11), cmocka_unit_test(golden_12), cmocka_unit_test(golden_13),
        cmocka_unit_test(golden_14),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    fonts_destroy(fonts);
    config_free(&cfg);
    free(ann[2].body);
    return failed;
}
