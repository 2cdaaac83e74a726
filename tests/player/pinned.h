/* pinned.h — what the player's drawing tests share: fonts made from the
 * font pinned in the repository only, so that a system font update moves
 * no pixel of theirs. */
#pragma once
#include <stdio.h>

#include "core/config.h"
#include "core/util.h"
#include "player/font.h"

/* Fills cfg with the defaults and the pinned font (fonts/NotoSansSC-NB-
 * Regular.otf under the repository root top) as its only font, and makes
 * fonts from it.  Returns NULL, said on stderr for the test `name`, when the
 * font cannot be opened.  The caller frees with fonts_destroy and
 * config_free. */
static inline struct fonts *pinned_fonts(struct config *cfg, const char *top, const char *name)
{
    config_defaults(cfg);
    for (int i = 0; i < cfg->nfonts; i++)
        free(cfg->fonts[i]);
    cfg->fonts[0] = xasprintf("%s/fonts/NotoSansSC-NB-Regular.otf:0", top);
    cfg->nfonts = 1;
    struct fonts *f = fonts_create(cfg);
    if (!f)
        fprintf(stderr, "%s: cannot open the pinned font\n", name);
    return f;
}
