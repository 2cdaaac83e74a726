/* test-draw.c — drawing primitives (player/draw.c) that are a matter of
 * where pixels come from rather than how they look: the crop of a portrait
 * photo keeps its top (faces), in the circle and in a cover box. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <SDL.h>

#include "core/log.h"
#include "player/draw.h"

/* A 100x140 "ID photo": the head (red) in rows 0..49, the rest blue. */
static SDL_Surface *portrait_photo(void)
{
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, 100, 140, 32, SDL_PIXELFORMAT_ARGB8888);
    assert_non_null(s);
    SDL_FillRect(s, NULL, 0xFF0000FF);
    SDL_FillRect(s, &(SDL_Rect){ 0, 0, 100, 50 }, 0xFFFF0000);
    return s;
}

/* Rows of the 100x100 target whose middle pixel is mostly red. */
static int red_rows(SDL_Surface *dst)
{
    int n = 0;
    for (int y = 0; y < dst->h; y++) {
        Uint32 p = ((Uint32 *)((Uint8 *)dst->pixels + (size_t)y * (size_t)dst->pitch))[50];
        if (((p >> 16) & 0xff) > 128 && (p & 0xff) < 128)
            n++;
    }
    return n;
}

static int draw_into(bool circle)
{
    SDL_Surface *dst = SDL_CreateRGBSurfaceWithFormat(0, 100, 100, 32, SDL_PIXELFORMAT_ARGB8888);
    assert_non_null(dst);
    SDL_FillRect(dst, NULL, 0xFF000000);
    SDL_Renderer *r = SDL_CreateSoftwareRenderer(dst);
    assert_non_null(r);
    struct draw d = { .r = r };
    SDL_Surface *img = portrait_photo();
    if (circle)
        draw_image_circle(&d, img, (SDL_Rect){ 0, 0, 100, 100 });
    else
        draw_image(&d, img, (SDL_Rect){ 0, 0, 100, 100 }, false);
    SDL_RenderFlush(r);
    int n = red_rows(dst);
    SDL_FreeSurface(img);
    SDL_DestroyRenderer(r);
    SDL_FreeSurface(dst);
    return n;
}

/* draw-1.1: the crop origin: a fifth of the spare height, 0 when none. */
static void draw_1_1(void **state)
{
    (void)state;
    assert_int_equal(draw_crop_top(140, 100), 8);
    assert_int_equal(draw_crop_top(100, 100), 0);
    assert_int_equal(draw_crop_top(80, 100), 0);
    assert_int_equal(draw_crop_top(1000, 500), 100);
}

/* draw-1.2: a portrait photo in a circle and in a cover box keeps its
 * head: 42 of the 100 rows are red (a centred crop would keep 30). */
static void draw_1_2(void **state)
{
    (void)state;
    int circle = draw_into(true), cover = draw_into(false);
    print_message("red rows: circle %d, cover %d\n", circle, cover);
    assert_in_range(circle, 40, 44);
    assert_in_range(cover, 40, 44);
}

int main(void)
{
    log_init("test-draw", LOG_LEVEL_WARN);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(draw_1_1),
        cmocka_unit_test(draw_1_2),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
