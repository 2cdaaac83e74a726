/* test-scene.c — the scene's geometry and loop structure, and the drawing
 * helpers it rests on, checked on pixels and counts rather than pictures
 * (test-golden.c covers the pictures). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <SDL.h>
#include <SDL_image.h>
#include <malloc.h>
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
#include "player/draw.h"
#include "player/font.h"
#include "../testutil.h"
#include "pinned.h"
#include "player/scene.h"

static char top[512];
static struct config cfg;
static struct fonts *fonts;
static int64_t now;

static struct nb_announcement ann[] = {
    { .id = 1, .title = "通知", .body = "短内容。", .duration = 12 },
    { .id = 2, .title = "长通知", .body = "", .duration = 7 },
};
static struct nb_event events[] = {
    { .id = 1, .start = 9 * 60, .end = 11 * 60, .title = "剪纸课", .place = "二楼",
      .organizer = "", .note = "" },
};
static struct nb_ticker ticker[] = { { .id = 1, .text = "欢迎光临" } };
static struct feed_content content = {
    .org_name = "测试社区",
    .ann = ann, .nann = ARRAY_LEN(ann),
    .events = events, .nevents = ARRAY_LEN(events),
    .ticker = ticker, .nticker = ARRAY_LEN(ticker),
};

struct canvas {
    SDL_Surface *surf;
    SDL_Renderer *r;
    struct scene *sc;
};

static void canvas_open_as(struct canvas *c, int w, int h, Uint32 format)
{
    c->surf = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, format);
    assert_non_null(c->surf);
    c->r = SDL_CreateSoftwareRenderer(c->surf);
    assert_non_null(c->r);
    c->sc = scene_create(c->r, fonts, &cfg, w, h);
}

static void canvas_open(struct canvas *c, int w, int h)
{
    canvas_open_as(c, w, h, SDL_PIXELFORMAT_ARGB8888);
}

static void canvas_close(struct canvas *c)
{
    scene_destroy(c->sc);
    SDL_DestroyRenderer(c->r);
    SDL_FreeSurface(c->surf);
}

static void compose_step(struct canvas *c, size_t step, int64_t at)
{
    SDL_Texture *t = scene_page(c->sc, step, at);
    assert_non_null(t);
    scene_compose(c->sc, t, NULL, 1.0, 0, at, false);
    SDL_RenderFlush(c->r);
    SDL_DestroyTexture(t);
}

static struct rgb pixel(const struct canvas *c, int x, int y)
{
    Uint32 v = ((const Uint32 *)((const Uint8 *)c->surf->pixels + (size_t)y * (size_t)c->surf->pitch))[x];
    return (struct rgb){ (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v };
}

static bool same_rgb(struct rgb a, struct rgb b)
{
    return a.r == b.r && a.g == b.g && a.b == b.b;
}

static struct plan one_slide(struct slide_ref *ref, size_t *ev, size_t *tk, bool with_ticker)
{
    return (struct plan){ .slides = ref, .nslides = 1, .events = ev, .nevents = 1,
                          .ticker = tk, .nticker = with_ticker ? 1 : 0, .until = WHEN_NEVER };
}

/* scene_1: proportions — the header band is ~9% of the height, the ticker
 * ~7% of the short side at the bottom, the slide area between; the same
 * proportions on a different resolution. */
static void scene_1(void **state)
{
    (void)state;
    static const int sizes[][2] = { { 1920, 1080 }, { 1280, 720 }, { 3840, 2160 } };
    for (size_t i = 0; i < ARRAY_LEN(sizes); i++) {
        int w = sizes[i][0], h = sizes[i][1];
        struct canvas c;
        canvas_open(&c, w, h);
        struct slide_ref ref = { .kind = SLIDE_ANNOUNCEMENT, .index = 0, .duration = 10 };
        size_t ev = 0, tk = 0;
        struct plan p = one_slide(&ref, &ev, &tk, true);
        scene_load(c.sc, &content, NULL, &p, now);
        compose_step(&c, 0, now);
        int header = (int)(h * 0.09), tick = (int)(h * 0.07);
        /* Far left edge: no text there, only the bands' colours. */
        assert_true(same_rgb(pixel(&c, 2, 2), cfg.theme.header_bg));
        assert_true(same_rgb(pixel(&c, 2, header - 3), cfg.theme.header_bg));
        assert_true(same_rgb(pixel(&c, 2, header + 3), cfg.theme.bg));
        assert_true(same_rgb(pixel(&c, 2, h - tick - 3), cfg.theme.bg));
        assert_true(same_rgb(pixel(&c, 2, h - tick + 3), cfg.theme.ticker_bg));
        assert_true(same_rgb(pixel(&c, 2, h - 2), cfg.theme.ticker_bg));
        canvas_close(&c);
    }
}

/* scene_2: no active ticker item → no ticker band; the slide reaches the bottom. */
static void scene_2(void **state)
{
    (void)state;
    struct canvas c;
    canvas_open(&c, 1280, 720);
    struct slide_ref ref = { .kind = SLIDE_ANNOUNCEMENT, .index = 0, .duration = 10 };
    size_t ev = 0, tk = 0;
    struct plan p = one_slide(&ref, &ev, &tk, false);
    scene_load(c.sc, &content, NULL, &p, now);
    assert_false(scene_has_ticker(c.sc));
    compose_step(&c, 0, now);
    assert_true(same_rgb(pixel(&c, 2, 718), cfg.theme.bg));
    canvas_close(&c);
}

/* scene_3: an empty loop is one idle page — never black: the name and the
 * clock are drawn (many non-background pixels in the middle). */
static void scene_3(void **state)
{
    (void)state;
    struct canvas c;
    canvas_open(&c, 1280, 720);
    struct plan p = { .until = WHEN_NEVER };
    scene_load(c.sc, &content, NULL, &p, now);
    assert_true(scene_is_idle(c.sc));
    assert_int_equal(scene_steps(c.sc), 1);
    assert_string_equal(scene_step_kind(c.sc, 0), "idle");
    assert_null(scene_step_ref(c.sc, 0));
    compose_step(&c, 0, now);
    int ink = 0;
    for (int y = 200; y < 520; y += 2)
        for (int x = 300; x < 980; x += 2)
            ink += !same_rgb(pixel(&c, x, y), cfg.theme.bg);
    assert_true(ink > 500);
    canvas_close(&c);
}

/* scene_4: overflow becomes pages, each a step of the same slide with the
 * slide's duration; a short text is one page. */
static void scene_4(void **state)
{
    (void)state;
    struct sbuf b = { 0 };
    for (int i = 0; i < 60; i++)
        sbuf_addf(&b, "第%d段：请居民朋友注意用电安全，不要私拉电线，发现隐患及时报告物业。\n", i + 1);
    ann[1].body = sbuf_take(&b);
    struct canvas c;
    canvas_open(&c, 1280, 720);
    struct slide_ref refs[] = {
        { .kind = SLIDE_ANNOUNCEMENT, .index = 0, .duration = 12 },
        { .kind = SLIDE_ANNOUNCEMENT, .index = 1, .duration = 7 },
    };
    size_t ev = 0, tk = 0;
    struct plan p = { .slides = refs, .nslides = 2, .events = &ev, .nevents = 1, .ticker = &tk,
                      .until = WHEN_NEVER };
    scene_load(c.sc, &content, NULL, &p, now);
    size_t n = scene_steps(c.sc);
    assert_true(n >= 4);
    assert_int_equal(scene_step_ref(c.sc, 0)->index, 0);
    assert_int_equal(scene_step_seconds(c.sc, 0), 12);
    for (size_t i = 1; i < n; i++) {
        assert_int_equal(scene_step_ref(c.sc, i)->index, 1);
        assert_int_equal(scene_step_page(c.sc, i), i - 1);
        assert_int_equal(scene_step_seconds(c.sc, i), 7);
        assert_string_equal(scene_step_kind(c.sc, i), "announcement");
    }
    canvas_close(&c);
    free(ann[1].body);
    ann[1].body = (char *)"";
}

/* scene_5: 进行中 is decided when the page is drawn: the same events page
 * differs at 10:30 (under way) and 12:00 (over), nowhere but the badge. */
static void scene_5(void **state)
{
    (void)state;
    struct canvas a, b;
    canvas_open(&a, 1280, 720);
    canvas_open(&b, 1280, 720);
    struct slide_ref ref = { .kind = SLIDE_EVENTS, .duration = 10 };
    size_t ev = 0, tk = 0;
    struct plan p = one_slide(&ref, &ev, &tk, false);
    scene_load(a.sc, &content, NULL, &p, now);
    scene_load(b.sc, &content, NULL, &p, now);
    SDL_Texture *t = scene_page(a.sc, 0, now);
    scene_compose(a.sc, t, NULL, 1.0, 0, now, false);
    SDL_DestroyTexture(t);
    t = scene_page(b.sc, 0, now + 90);
    scene_compose(b.sc, t, NULL, 1.0, 0, now, false);   /* same header clock */
    SDL_DestroyTexture(t);
    int differ = 0, accent = 0;
    for (int y = 0; y < 720; y++)
        for (int x = 0; x < 1280; x++) {
            struct rgb pa = pixel(&a, x, y);
            differ += !same_rgb(pa, pixel(&b, x, y));
            accent += !same_rgb(pa, pixel(&b, x, y)) && same_rgb(pa, cfg.theme.accent);
        }
    assert_true(differ > 200);          /* the badge */
    assert_true(accent > 100);          /* drawn in the accent colour */
    canvas_close(&a);
    canvas_close(&b);
}

/* scene_6: the ticker's speed follows the screen (given at 1080 lines). */
static void scene_6(void **state)
{
    (void)state;
    struct canvas c;
    canvas_open(&c, 3840, 2160);
    assert_true(scene_ticker_speed(c.sc, 120) > 239.9 && scene_ticker_speed(c.sc, 120) < 240.1);
    canvas_close(&c);
    canvas_open(&c, 1080, 1920);        /* portrait: the short side */
    assert_true(scene_ticker_speed(c.sc, 120) > 119.9 && scene_ticker_speed(c.sc, 120) < 120.1);
    canvas_close(&c);
}

/* scene_7: images are decoded by type, never guessed: PNG and JPEG
 * fixtures decode; garbage and a truncated JPEG header do not. */
static void scene_7(void **state)
{
    (void)state;
    static const char *const good[] = { "opaque.png", "small.jpg" };
    for (size_t i = 0; i < ARRAY_LEN(good); i++) {
        char *path = xasprintf("%s/tests/fixtures/images/%s", top, good[i]);
        SDL_Surface *s = draw_load_file(path);
        assert_non_null(s);
        assert_true(s->w > 0 && s->h > 0);
        SDL_FreeSurface(s);
        free(path);
    }
    assert_null(draw_decode_image("GIF89a........", 14, "test.gif"));
    assert_null(draw_decode_image("\xff\xd8\xff", 3, "short.jpg"));
    assert_null(draw_load_file("/nonexistent/logo.png"));
}

/* scene_8: a line fitted to a width never exceeds it (above the minimum). */
static void scene_8(void **state)
{
    (void)state;
    struct canvas c;
    canvas_open(&c, 640, 360);
    struct draw d = { .r = c.r, .fonts = fonts, .theme = &cfg.theme };
    const char *s = "锦华街道幸福里社区党群服务中心";
    for (int width = 200; width <= 1200; width += 200) {
        int size = draw_fit_line(&d, s, width, 8, 120, FONT_BOLD);
        assert_true(size >= 8 && size <= 120);
        assert_true(draw_text_width(&d, s, strlen(s), size, FONT_BOLD) <= width);
        if (size < 120)
            assert_true(draw_text_width(&d, s, strlen(s), size + 2, FONT_BOLD) > width);
    }
    canvas_close(&c);
}

/* Pixels of a and b that differ, within rc. */
static long differing(const struct canvas *a, const struct canvas *b, SDL_Rect rc)
{
    long n = 0;
    for (int y = rc.y; y < rc.y + rc.h; y++)
        for (int x = rc.x; x < rc.x + rc.w; x++)
            n += !same_rgb(pixel(a, x, y), pixel(b, x, y));
    return n;
}

/* scene_9: the first frame's page drawn straight onto the screen
 * (scene_compose_step) is the frame composed from the page's texture,
 * pixel for pixel, on the window's pixel format and on ARGB; and under a
 * clip rectangle it draws exactly the clipped part (the clip moves with
 * the page's origin). */
static void scene_9(void **state)
{
    (void)state;
    static const Uint32 formats[] = { SDL_PIXELFORMAT_RGB888, SDL_PIXELFORMAT_ARGB8888 };
    struct slide_ref refs[] = { { .kind = SLIDE_ANNOUNCEMENT, .index = 0, .duration = 10 },
                                { .kind = SLIDE_EVENTS, .duration = 10 } };
    size_t ev = 0, tk = 0;
    struct plan p = { .slides = refs, .nslides = 2, .events = &ev, .nevents = 1,
                      .ticker = &tk, .nticker = 1, .until = WHEN_NEVER };
    for (size_t f = 0; f < ARRAY_LEN(formats); f++)
        for (size_t step = 0; step < 2; step++) {
            struct canvas a, b;
            canvas_open_as(&a, 1280, 720, formats[f]);
            canvas_open_as(&b, 1280, 720, formats[f]);
            scene_load(a.sc, &content, NULL, &p, now);
            scene_load(b.sc, &content, NULL, &p, now);
            compose_step(&a, step, now);
            scene_compose_step(b.sc, step, 0, now, false);
            SDL_RenderFlush(b.r);
            SDL_Rect all = { 0, 0, 1280, 720 }, area = scene_area_rect(a.sc);
            assert_int_equal(differing(&a, &b, all), 0);

            /* Clipped: b is painted grey, then only the clip is drawn. */
            SDL_FillRect(b.surf, NULL, SDL_MapRGB(b.surf->format, 128, 128, 128));
            int top_y = area.y + area.h / 2;
            SDL_Rect clip = { 300, top_y, 500, 720 - top_y };   /* on into the ticker */
            SDL_RenderSetClipRect(b.r, &clip);
            scene_compose_step(b.sc, step, 0, now, false);
            SDL_RenderFlush(b.r);
            assert_int_equal(differing(&a, &b, clip), 0);
            long outside = differing(&a, &b, all) - differing(&a, &b, clip);
            assert_int_equal(outside, 1280L * 720 - 500L * clip.h);
            canvas_close(&a);
            canvas_close(&b);
        }
}

/* A feed holding a 1440x1080 JPEG of one colour (photo.jpg) and a blob
 * that claims to be an 800x600 JPEG but is not one (broken.jpg), in a new
 * folder *dir (caller removes both). */
static struct feed *image_feed(char **dir)
{
    *dir = xstrdup("/tmp/test-scene-XXXXXX");
    assert_non_null(mkdtemp(*dir));
    char *jpg = xasprintf("%s/photo.jpg", *dir), *db = xasprintf("%s/feed.db", *dir);
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, 1440, 1080, 32, SDL_PIXELFORMAT_ARGB8888);
    assert_non_null(s);
    SDL_FillRect(s, NULL, SDL_MapRGB(s->format, 200, 30, 30));
    assert_int_equal(IMG_SaveJPG(s, jpg, 90), 0);
    SDL_FreeSurface(s);
    size_t len = 0;
    char *data = read_file(jpg, 8u << 20, &len);
    assert_non_null(data);
    char *why = NULL;
    struct feed_writer *w = feed_writer_create(db, &why);
    assert_non_null(w);
    static const char broken[] = "\xff\xd8\xff\xe0 not really a JPEG";
    assert_true(feed_writer_media(w, "photo.jpg", NULL, "00", 1440, 1080, "image/jpeg", data, len));
    assert_true(feed_writer_media(w, "broken.jpg", NULL, "01", 800, 600, "image/jpeg", broken,
                                  sizeof broken - 1));
    struct feed_content empty = { .org_name = "" };
    assert_true(feed_writer_finish(w, &empty, 1, &why));
    struct feed *f = feed_open(db, &why);
    assert_non_null(f);
    unlink(jpg);
    free(data);
    free(jpg);
    free(db);
    return f;
}

static void image_feed_remove(struct feed *f, char *dir)
{
    feed_close(f);
    char *db = xasprintf("%s/feed.db", dir);
    unlink(db);
    rmdir(dir);
    free(db);
    free(dir);
}

/* scene_10: a feed image is decoded when a page is drawn, no larger than
 * it is shown: a JPEG at the largest DCT scale (1/2, 1/4, 1/8) that still
 * covers its box, never beyond its full size; a missing or broken one
 * gives NULL. */
static void scene_10(void **state)
{
    (void)state;
    char *dir;
    struct feed *f = image_feed(&dir);
    struct draw d = { .feed = f };
    static const struct { int bw, bh; bool contain; int w, h; } cases[] = {
        { 300, 300, true, 360, 270 },       /* shown 300x225: 1/4 covers it, 1/8 not */
        { 400, 400, true, 720, 540 },       /* shown 400x300: 1/4 is 360 wide, too small */
        { 100, 100, false, 180, 135 },      /* a 100 px circle covers 134x100: 1/8 */
        { 720, 540, true, 720, 540 },       /* exactly half */
        { 721, 541, true, 1440, 1080 },     /* a pixel more than half */
        { 3000, 3000, true, 1440, 1080 },   /* never beyond the full decode */
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        SDL_Surface *s = draw_load_media_fit(&d, "photo.jpg", cases[i].bw, cases[i].bh,
                                             cases[i].contain);
        assert_non_null(s);
        assert_int_equal(s->w, cases[i].w);
        assert_int_equal(s->h, cases[i].h);
        SDL_FreeSurface(s);
    }
    int w = 0, h = 0;
    assert_true(draw_media_size(&d, "broken.jpg", &w, &h));
    assert_true(w == 800 && h == 600);
    assert_null(draw_load_media_fit(&d, "broken.jpg", 100, 100, true));
    assert_false(draw_media_size(&d, "absent.jpg", &w, &h));
    assert_null(draw_load_media_fit(&d, "absent.jpg", 100, 100, true));
    image_feed_remove(f, dir);

    /* A PNG with a chunk running past its end hung libpng (the sync tool's
     * fuzzing found it); the player refuses it before decoding too.  The
     * alarm turns a hang into a failed test. */
    char *path = xasprintf("%s/tests/fuzz/corpus/media/regress-png-chunk-past-end.png", top);
    size_t len = 0;
    char *png = read_file(path, 1u << 20, &len);
    assert_non_null(png);
    alarm(20);
    assert_null(draw_decode_image(png, len, "regress-png-chunk-past-end.png"));
    alarm(0);
    free(png);
    free(path);
}

/* Bytes the C library has handed out and not taken back. */
static size_t heap_in_use(void)
{
    struct mallinfo2 m = mallinfo2();
    return m.uordblks + m.hblkhd;
}

/* scene_11: a laid-out slide holds no decoded image (a 1440x1080 picture
 * is 4.5 MB or more once decoded): laying out an announcement and an honor
 * roll with photos takes no more memory than without them; the picture
 * appears when the page is drawn.  A broken image draws as no image: the
 * announcement's image box stays background, the honor card gets the
 * initial avatar it would have had without a photo, pixel for pixel. */
static void scene_11(void **state)
{
    (void)state;
    char *dir;
    struct feed *f = image_feed(&dir);
    static struct nb_announcement pic[] = {
        { .id = 1, .title = "通知", .body = "短内容。", .image = "photo.jpg", .duration = 10 },
        { .id = 2, .title = "通知", .body = "短内容。", .image = "broken.jpg", .duration = 10 },
    };
    static struct nb_honor with[] = {
        { .name = "张喆", .honor = "标兵", .unit = "志愿队", .year = "", .photo = "photo.jpg" },
        { .name = "李堃", .honor = "标兵", .unit = "志愿队", .year = "", .photo = "broken.jpg" },
    };
    static struct nb_honor without[] = {
        { .name = "张喆", .honor = "标兵", .unit = "志愿队", .year = "", .photo = "photo.jpg" },
        { .name = "李堃", .honor = "标兵", .unit = "志愿队", .year = "", .photo = NULL },
    };
    static struct nb_roll rolls_with[] = { { .id = 1, .name = "好人榜", .entries = with, .nentries = 2 } };
    static struct nb_roll rolls_without[] = { { .id = 1, .name = "好人榜", .entries = without, .nentries = 2 } };
    struct feed_content cw = { .org_name = "测试社区", .ann = pic, .nann = 2, .rolls = rolls_with, .nrolls = 1 };
    struct feed_content co = cw;
    co.rolls = rolls_without;
    struct slide_ref refs[] = { { .kind = SLIDE_ANNOUNCEMENT, .index = 0, .duration = 10 },
                                { .kind = SLIDE_ANNOUNCEMENT, .index = 1, .duration = 10 },
                                { .kind = SLIDE_HONORS, .index = 0, .duration = 10 } };
    size_t ev = 0, tk = 0;
    struct plan p = { .slides = refs, .nslides = 3, .events = &ev, .ticker = &tk, .until = WHEN_NEVER };

    struct canvas a, b;
    canvas_open(&a, 1280, 720);
    canvas_open(&b, 1280, 720);
    scene_load(a.sc, &cw, NULL, &p, now);       /* warms the font caches */
    size_t before = heap_in_use();
    scene_load(a.sc, &cw, f, &p, now);
    size_t after = heap_in_use();
    assert_true(after < before + (1u << 20));
    scene_load(b.sc, &co, f, &p, now);
    assert_int_equal(scene_steps(a.sc), 3);

    /* The picture sits in the right part of a landscape slide. */
    struct rgb red = { 200, 30, 30 }, bg = cfg.theme.bg;
    int px = 1280 * 3 / 4, py = 720 / 2;
    compose_step(&a, 0, now);
    struct rgb got = pixel(&a, px, py);
    assert_true(abs(got.r - red.r) < 8 && abs(got.g - red.g) < 8 && abs(got.b - red.b) < 8);
    compose_step(&a, 1, now);
    assert_true(same_rgb(pixel(&a, px, py), bg));

    compose_step(&a, 2, now);
    compose_step(&b, 2, now);
    assert_int_equal(differing(&a, &b, (SDL_Rect){ 0, 0, 1280, 720 }), 0);
    canvas_close(&a);
    canvas_close(&b);
    image_feed_remove(f, dir);
}

/* scene_12: an image decoded ahead is taken by the draw that asks for it
 * (the same name and box; no feed is read then) once; one of another size
 * is not taken; what is left is freed by draw_ahead_drop (ASan/valgrind:
 * no leak).  Through the scene: a page drawn after scene_page_ahead is the
 * page drawn without it, pixel for pixel. */
static void scene_12(void **state)
{
    (void)state;
    char *dir;
    struct feed *f = image_feed(&dir);
    struct canvas c;
    canvas_open(&c, 640, 360);
    struct draw d = { .r = c.r, .feed = f, .ahead = draw_ahead_new() };
    SDL_Rect box = { 10, 10, 300, 300 };
    draw_media_ahead(&d, "photo.jpg", box.w, box.h, true);
    draw_media_ahead(&d, "photo.jpg", 100, 100, false);
    draw_media_ahead(&d, "broken.jpg", box.w, box.h, true);     /* keeps nothing */
    d.feed = NULL;                      /* from here on only what was decoded */
    assert_true(draw_media(&d, "photo.jpg", box, true));
    assert_false(draw_media(&d, "photo.jpg", box, true));        /* taken once */
    assert_false(draw_media(&d, "broken.jpg", box, true));
    assert_true(draw_media_circle(&d, "photo.jpg", (SDL_Rect){ 0, 0, 100, 120 }));
    draw_media_ahead(&d, "photo.jpg", box.w, box.h, true);      /* no feed: nothing */
    d.feed = f;
    draw_media_ahead(&d, "photo.jpg", 50, 50, true);            /* never taken */
    draw_ahead_drop(&d);
    d.feed = NULL;
    assert_false(draw_media(&d, "photo.jpg", (SDL_Rect){ 0, 0, 50, 50 }, true));
    draw_ahead_free(d.ahead);
    canvas_close(&c);

    struct canvas a, b;
    canvas_open(&a, 1280, 720);
    canvas_open(&b, 1280, 720);
    struct nb_announcement poster[] = { { .id = 9, .title = "", .body = "", .image = "photo.jpg",
                                          .duration = 10 } };
    struct feed_content pc = content;
    pc.ann = poster;
    pc.nann = 1;
    struct slide_ref ref = { .kind = SLIDE_ANNOUNCEMENT, .index = 0, .duration = 10 };
    size_t ev = 0, tk = 0;
    struct plan p = one_slide(&ref, &ev, &tk, false);
    scene_load(a.sc, &pc, f, &p, now);
    scene_load(b.sc, &pc, f, &p, now);
    assert_true(scene_page_ahead(b.sc, 0));
    compose_step(&a, 0, now);
    compose_step(&b, 0, now);
    assert_int_equal(differing(&a, &b, (SDL_Rect){ 0, 0, 1280, 720 }), 0);
    canvas_close(&a);
    canvas_close(&b);
    image_feed_remove(f, dir);
}

/* scene_13: scene_begin lays out the first slide alone and
 * scene_finish_some one slide more per call at least, appending steps in
 * play order.  A loop begun at a later slide (scene_begin_at) plays from
 * it round the circle. */
static void scene_13(void **state)
{
    (void)state;
    struct canvas c;
    canvas_open(&c, 640, 360);
    ann[1].body = xstrdup("第一段文字。");
    for (int i = 0; i < 400; i++) {
        char *b = xasprintf("%s社区通知内容第%d段。", ann[1].body, i);
        free(ann[1].body);
        ann[1].body = b;
    }
    struct slide_ref refs[] = { { .kind = SLIDE_ANNOUNCEMENT, .index = 1, .duration = 10 },
                                { .kind = SLIDE_EVENTS, .duration = 10 },
                                { .kind = SLIDE_ANNOUNCEMENT, .index = 0, .duration = 10 } };
    size_t ev = 0, tk = 0;
    struct plan p = { .slides = refs, .nslides = 3, .events = &ev, .nevents = 1,
                      .ticker = &tk, .nticker = 1, .until = WHEN_NEVER };
    scene_begin(c.sc, &content, NULL, &p, now);
    size_t long_pages = scene_steps(c.sc);
    assert_true(long_pages > 1);                        /* the long notice has pages */
    assert_true(scene_unfinished(c.sc));
    assert_true(scene_finish_some(c.sc, 0));            /* one slide: the events */
    assert_int_equal(scene_steps(c.sc), long_pages + 1);
    assert_string_equal(scene_step_kind(c.sc, long_pages), "events");
    assert_int_equal(scene_step_ref(c.sc, 0)->index, 1);
    assert_false(scene_finish_some(c.sc, 0));
    assert_false(scene_unfinished(c.sc));
    assert_int_equal(scene_steps(c.sc), long_pages + 2);
    assert_int_equal(scene_step_ref(c.sc, long_pages + 1)->index, 0);
    assert_false(scene_finish(c.sc));                   /* nothing left */

    /* Begun at slide 2: it is step 0, then the circle goes on with 0, 1. */
    scene_begin_at(c.sc, &content, NULL, &p, now, 2);
    assert_int_equal(scene_steps(c.sc), 1);
    assert_int_equal(scene_step_ref(c.sc, 0)->index, 0);
    assert_string_equal(scene_step_kind(c.sc, 0), "announcement");
    assert_true(scene_finish(c.sc));
    assert_false(scene_unfinished(c.sc));
    assert_int_equal(scene_steps(c.sc), long_pages + 2);
    assert_int_equal(scene_step_ref(c.sc, 1)->index, 1);
    assert_int_equal(scene_step_page(c.sc, 1), 0);
    assert_string_equal(scene_step_kind(c.sc, 1 + long_pages), "events");
    scene_begin_at(c.sc, &content, NULL, &p, now, 7);  /* past the end: from 0 */
    assert_int_equal(scene_step_ref(c.sc, 0)->index, 1);
    canvas_close(&c);
    free(ann[1].body);
    ann[1].body = (char *)"";
}

/* scene_14: dense events and honor pages (issue 18), counted as the bench's
 * big feed lays them out: 24 events over four days (6 a day, titles like
 * 免费测量血压血糖（第26期）, place · organizer, a short 备注 on some) and a
 * roll of 100 names with honor and unit.  Events: at most 5 pages in
 * landscape (the old rows took 8) and 4 in portrait (as before); the roll at
 * most 8 pages in portrait (was 9: 2 x 6 cards) and 9 in landscape (as
 * before: 4 x 3 cards). */
static size_t dense_pages(enum slide_kind kind, int w, int h, const struct feed_content *fc,
                          size_t nevents)
{
    struct canvas c;
    canvas_open(&c, w, h);
    struct slide_ref ref = { .kind = kind, .index = 0, .duration = 10 };
    size_t *ev = xcalloc(nevents ? nevents : 1, sizeof *ev);
    for (size_t i = 0; i < nevents; i++)
        ev[i] = i;
    size_t tk = 0;
    struct plan p = { .slides = &ref, .nslides = 1, .events = ev, .nevents = nevents,
                      .ticker = &tk, .nticker = 1, .until = WHEN_NEVER };
    scene_load(c.sc, fc, NULL, &p, now);
    size_t n = scene_steps(c.sc);
    compose_step(&c, n - 1, now);      /* the last page draws */
    canvas_close(&c);
    free(ev);
    return n;
}

static void scene_14(void **state)
{
    (void)state;
    static const char *const titles[][3] = {
        { "免费测量血压血糖", "社区卫生服务站门口", "社区卫生服务中心" },
        { "垃圾分类宣传日", "小区中心广场", "物业服务中心" },
        { "书法绘画兴趣班", "党群服务中心二楼书画室", "社区老年学校" },
        { "法律咨询", "居民议事厅", "锦华律师事务所" },
        { "重阳敬老文艺演出", "社区文化广场", "社区居委会" },
        { "老年人智能手机使用课", "居民议事厅", "青年志愿服务队" },
    };
    struct nb_event ev[24];
    for (size_t i = 0; i < ARRAY_LEN(ev); i++) {
        const char *const *t = titles[i % 6];
        ev[i] = (struct nb_event){ .id = (int64_t)i + 1, .day = now / WHEN_MIN_PER_DAY + (int64_t)(i / 6),
                                   .start = (int16_t)(8 * 60 + 30 + (int)(i % 6) * 60),
                                   .end = (int16_t)(10 * 60 + 30 + (int)(i % 6) * 60),
                                   .title = xasprintf("%s（第%zu期）", t[0], 20 + i / 6),
                                   .place = (char *)t[1], .organizer = (char *)t[2],
                                   .note = (char *)(i % 3 ? "" : "请提前报名"), .qr = (char *)"" };
    }
    struct nb_honor hon[100];
    static const char *const names[] = { "李秀兰", "王建军", "张海燕", "刘德明", "陈晓东" };
    static const char *const honors_[] = { "优秀志愿者", "最美家庭", "敬老爱亲模范",
                                            "助人为乐模范", "优秀网格员" };
    for (size_t i = 0; i < ARRAY_LEN(hon); i++)
        hon[i] = (struct nb_honor){ .name = xasprintf("%s%zu", names[i % 5], i % 7),
                                    .honor = (char *)honors_[i % 5],
                                    .unit = xasprintf("第%zu网格", i % 30 + 1),
                                    .year = (char *)"2026" };
    struct nb_roll roll = { .id = 1, .name = (char *)"2026年度光荣榜（第1组）", .entries = hon,
                            .nentries = ARRAY_LEN(hon) };
    struct feed_content fc = { .org_name = "测试社区", .events = ev, .nevents = ARRAY_LEN(ev),
                               .rolls = &roll, .nrolls = 1, .ticker = ticker, .nticker = 1 };

    size_t land = dense_pages(SLIDE_EVENTS, 1920, 1080, &fc, ARRAY_LEN(ev));
    size_t port = dense_pages(SLIDE_EVENTS, 1080, 1920, &fc, ARRAY_LEN(ev));
    size_t roll_port = dense_pages(SLIDE_HONORS, 1080, 1920, &fc, 0);
    size_t roll_land = dense_pages(SLIDE_HONORS, 1920, 1080, &fc, 0);
    print_message("events %zu pages landscape, %zu portrait; 100 names %zu pages landscape, "
                  "%zu portrait\n", land, port, roll_land, roll_port);
    assert_true(land <= 5);
    assert_true(port <= 4);
    assert_true(roll_port <= 8);
    assert_true(roll_land <= 9);
    /* Names alone (no photo, honor or unit): name cards without the
     * initial avatar, at least 5/4 of the floor: 100 names in 3 pages on
     * either screen (were 5 portrait, 4 landscape). */
    for (size_t i = 0; i < ARRAY_LEN(hon); i++) {
        hon[i].honor = (char *)"";
        hon[i].unit[0] = 0;
    }
    size_t names_port = dense_pages(SLIDE_HONORS, 1080, 1920, &fc, 0);
    size_t names_land = dense_pages(SLIDE_HONORS, 1920, 1080, &fc, 0);
    print_message("100 names alone: %zu pages landscape, %zu portrait\n", names_land, names_port);
    assert_true(names_port <= 3);
    assert_true(names_land <= 3);
    for (size_t i = 0; i < ARRAY_LEN(ev); i++)
        free(ev[i].title);
    for (size_t i = 0; i < ARRAY_LEN(hon); i++) {
        free(hon[i].name);
        free(hon[i].unit);
    }
}

int main(void)
{
    test_top(top, sizeof top, __FILE__);

    log_init("test-scene", LOG_LEVEL_ERROR);
    fonts = pinned_fonts(&cfg, top, "test-scene");
    if (!fonts || !when_parse_moment("2026-11-22 10:30", &now))
        return 1;
    events[0].day = now / WHEN_MIN_PER_DAY;

    const struct CMUnitTest tests[] = {
        cmocka_unit_test(scene_1), cmocka_unit_test(scene_2), cmocka_unit_test(scene_3),
        cmocka_unit_test(scene_4), cmocka_unit_test(scene_5), cmocka_unit_test(scene_6),
        cmocka_unit_test(scene_7), cmocka_unit_test(scene_8), cmocka_unit_test(scene_9),
        cmocka_unit_test(scene_10), cmocka_unit_test(scene_11), cmocka_unit_test(scene_12),
        cmocka_unit_test(scene_13), cmocka_unit_test(scene_14),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    fonts_destroy(fonts);
    config_free(&cfg);
    return failed;
}
