/* sheet.c — the contact sheet: each page of the loop drawn small by the
 * scene (the same code as the screen and `render`) onto one surface under
 * its number, written as one PNG.  Headless, like render.c. */
#include "player/sheet.h"

#include <SDL.h>
#include <SDL_image.h>
#include <stdlib.h>
#include <string.h>
#include "core/log.h"
#include "core/util.h"
#include "core/when.h"
#include "player/font.h"
#include "player/render.h"
#include "player/scene.h"

#define GAP 24

/* The kind of a page in staff's words. */
static const char *kind_cn(const char *kind)
{
    static const struct { const char *en, *cn; } k[] = {
        {"urgent", "紧急公告"}, {"announcement", "公告"}, {"events", "近期活动"},
        {"honors", "表彰"}, {"idle", "单位名称和时间"},
    };
    for (size_t i = 0; i < ARRAY_LEN(k); i++)
        if (!strcmp(kind, k[i].en))
            return k[i].cn;
    return kind;
}

static void put_text(struct fonts *f, SDL_Surface *dst, const char *s, int size, enum font_weight w,
                     SDL_Color c, int x, int y)
{
    SDL_Surface *t = fonts_render(f, s, strlen(s), size, w, c);
    if (!t)
        return;
    SDL_SetSurfaceBlendMode(t, SDL_BLENDMODE_BLEND);
    SDL_BlitSurface(t, NULL, dst, &(SDL_Rect){x, y, t->w, t->h});
    SDL_FreeSurface(t);
}

int sheet_run(const struct config *cfg, const char *data_dir, int64_t at, const char *out_png)
{
    bool portrait = cfg->rotate == 90 || cfg->rotate == 270;
    int tw = portrait ? 360 : 640, th = portrait ? 640 : 360, cols = portrait ? 5 : 3;
    const int head = 72, cap = 40, fsize = 26;
    struct render_src src;
    render_src_load(cfg, data_dir, at, at, &src);
    struct plan plan;
    schedule_at(src.content, &src.opts, at, &plan);

    int status = 1;
    SDL_Surface *page = SDL_CreateRGBSurfaceWithFormat(0, tw, th, 32, SDL_PIXELFORMAT_ARGB8888);
    SDL_Renderer *r = page ? SDL_CreateSoftwareRenderer(page) : NULL;
    struct fonts *fonts = r ? fonts_create(cfg) : NULL;
    struct scene *sc = NULL;
    SDL_Surface *sheet = NULL;
    if (!r || !fonts) {
        log_error("sheet: cannot draw (%s)", r ? "no font" : SDL_GetError());
        goto out;
    }
    size_t steps = 1;
    if (!plan.quiet) {
        sc = scene_create(r, fonts, cfg, tw, th);
        scene_load(sc, src.content, src.live.feed, &plan, at);
        steps = scene_steps(sc);
    }
    size_t shown = steps < SHEET_MAX_PAGES ? steps : SHEET_MAX_PAGES;
    int rows = (int)((shown + (size_t)cols - 1) / (size_t)cols);
    int W = GAP + cols * (tw + GAP), H = head + rows * (th + cap + GAP) + GAP + (shown < steps ? cap : 0);
    sheet = SDL_CreateRGBSurfaceWithFormat(0, W, H, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!sheet) {
        log_error("sheet: cannot make a %dx%d surface: %s", W, H, SDL_GetError());
        goto out;
    }
    SDL_FillRect(sheet, NULL, SDL_MapRGB(sheet->format, 236, 236, 236));
    const SDL_Color ink = {30, 30, 30, 255}, grey = {90, 90, 90, 255};

    char date[64], clock[6], *title;
    when_format_date_cn(at / WHEN_MIN_PER_DAY, date);
    when_format_clock((int)(at % WHEN_MIN_PER_DAY), clock);
    const char *org = src.content->org_name[0] ? src.content->org_name : cfg->org_name;
    if (plan.quiet)
        title = xasprintf("%s　%s %s：安静时段，屏幕熄灭", org, date, clock);
    else
        title = xasprintf("%s　%s %s 起播放的内容，共 %zu 页", org, date, clock, steps);
    put_text(fonts, sheet, title, 34, FONT_BOLD, ink, GAP, (head - 34 * 4 / 3) / 2);
    free(title);

    for (size_t i = 0; i < shown; i++) {
        int x = GAP + (int)(i % (size_t)cols) * (tw + GAP);
        int y = head + (int)(i / (size_t)cols) * (th + cap + GAP);
        const char *kind = "quiet";
        if (plan.quiet) {
            SDL_SetRenderDrawColor(r, 0, 0, 0, 255);
            SDL_RenderClear(r);
        } else {
            scene_compose_step(sc, i, scene_ticker_still(sc), at, src.unsure);
            kind = scene_step_kind(sc, i);
        }
        SDL_RenderFlush(r);
        /* A copy, not a blend: the page is what the screen shows, whatever
         * alpha the renderer left in its pixels. */
        SDL_SetSurfaceBlendMode(page, SDL_BLENDMODE_NONE);
        SDL_BlitSurface(page, NULL, sheet, &(SDL_Rect){x, y + cap, tw, th});
        char *c = xasprintf("%zu　%s", i + 1, plan.quiet ? "熄屏" : kind_cn(kind));
        put_text(fonts, sheet, c, fsize, FONT_BOLD, grey, x, y + (cap - fsize * 4 / 3) / 2);
        free(c);
    }
    if (shown < steps) {
        char *more = xasprintf("另有 %zu 页没有画出（一共 %zu 页）", steps - shown, steps);
        put_text(fonts, sheet, more, fsize, FONT_REGULAR, ink, GAP, H - cap - GAP / 2);
        free(more);
    }
    if (IMG_SavePNG(sheet, out_png) != 0) {
        log_error("sheet: cannot write %s: %s", out_png, SDL_GetError());
        goto out;
    }
    status = 0;
out:
    SDL_FreeSurface(sheet);
    scene_destroy(sc);
    fonts_destroy(fonts);
    if (r)
        SDL_DestroyRenderer(r);
    SDL_FreeSurface(page);
    plan_free(&plan);
    render_src_free(&src);
    return status;
}
