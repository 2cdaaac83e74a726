/* kinds.c — the table of kinds and columns (kinds.h), and rows of values
 * moved in and out of the content structs: the one place that knows which
 * column is which field. */
#include "core/kinds.h"

#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"

#define COLS(...) (const struct kind_col[]){__VA_ARGS__}, \
    sizeof((const struct kind_col[]){__VA_ARGS__}) / sizeof(struct kind_col)

/* Examples of date columns are written by init relative to the day it runs:
 * "@+N" is N days from today, "@year" this year, "@newyear" next 1 January
 * (see init.c).  Column order is the order of the template and of export. */
static const struct kind_info kinds[KIND_COUNT] = {
    [KIND_ANNOUNCEMENTS] = {"announcements", "公告", "条", "announcements", 1000, COLS(
        {"title", "标题", VAL_TEXT, true, 200, "title", false, 1,
         "公告标题。只放一张海报时可以不写标题，但要填“图片”。", "社区服务大厅办公时间"},
        {"body", "内容", VAL_PARAGRAPHS, false, 5000, "body", false, 1,
         "正文。单元格里换行（Alt+回车）就是分段。",
         "周一至周五 08:30-17:30，周六上午 09:00-12:00。\n办事请带好身份证，先在门口取号。"},
        {"image", "图片", VAL_MEDIA, false, 255, "image", false, 1,
         "media 文件夹里的图片或 PDF 文件名，例如 通知.jpg、通知.pdf（PDF 每页显示成一张海报）", ""},
        {"start", "开始", VAL_START, false, 40, "start_at", false, 1,
         "从哪天开始显示，空着表示立即显示", "@+0"},
        {"end", "结束", VAL_END, false, 40, "end_at", false, 1,
         "到哪天为止，空着表示一直显示；只写日期时，包括那一整天", "@+30"},
        {"days", "星期", VAL_DAYS, false, 60, "days", false, 1,
         "哪几天显示，空着表示每天", "每天"},
        {"hours", "时段", VAL_HOURS, false, 120, "hours", false, 1,
         "每天几点到几点显示，空着表示全天", ""},
        {"duration", "时长", VAL_DURATION, false, 20, "duration", false, 1,
         "每次在屏幕上停留几秒，空着为 10 秒（最短 3 秒，最长 600 秒）", "10"},
        {"priority", "级别", VAL_PRIORITY, false, 20, "priority", false, 1,
         "普通、重要 或 紧急。紧急公告会立刻打断轮播、优先显示，请只在真正紧急时使用。", "普通"},
        {"qr", "二维码", VAL_QR, false, KIND_QR_MAX_BYTES, "qr", false, 3,
         "要做成二维码的网址或文字（报名链接、公众号链接等），屏幕上显示成二维码供居民扫码；空着不显示", ""},
        {"countdown", "倒计时", VAL_COUNTDOWN, false, 40, "countdown", false, 3,
         "写一个日期（如 2027-05-16）或节日（春节、中秋 等），公告上显示“还有 N 天”，"
         "每天零点更新，过了那天公告自动不再显示；空着不倒计时", ""})},
    [KIND_EVENTS] = {"events", "活动", "项", "events", 5000, COLS(
        {"date", "日期", VAL_DATE, true, 40, "date", false, 1, "活动的日期", "@+7"},
        {"title", "活动", VAL_TEXT, true, 200, "title", false, 1, "活动名称",
         "健康讲座：冬季常见病预防"},
        {"start_time", "开始时间", VAL_CLOCK, false, 20, "start_time", false, 1,
         "写成 09:30 这样", "09:30"},
        {"end_time", "结束时间", VAL_CLOCK_END, false, 20, "end_time", false, 1,
         "写成 11:00 这样", "11:00"},
        {"place", "地点", VAL_TEXT, false, 200, "place", false, 1, "", "社区活动室（二楼）"},
        {"organizer", "主办", VAL_TEXT, false, 200, "organizer", false, 1, "", "社区卫生服务站"},
        {"note", "备注", VAL_PARAGRAPHS, false, 1000, "note", false, 1, "",
         "欢迎居民参加，请提前10分钟入场"},
        {"qr", "二维码", VAL_QR, false, KIND_QR_MAX_BYTES, "qr", false, 3,
         "报名链接等网址或文字，屏幕上显示成二维码；空着不显示", ""})},
    [KIND_HONORS] = {"honors", "表彰", "位", "honor_entries", 5000, COLS(
        {"roll", "榜单", VAL_TEXT, true, 100, "name", true, 1,
         "同一个榜单的每个人写一行，榜单名称写成一样的；一个榜单最多300人", "@roll"},
        {"name", "姓名", VAL_TEXT, true, 100, "name", false, 1, "", "张三"},
        {"honor", "荣誉", VAL_TEXT, false, 200, "honor", false, 1, "", "助人为乐好邻居"},
        {"unit", "单位", VAL_TEXT, false, 200, "unit", false, 1, "", "第一网格"},
        {"year", "年度", VAL_TEXT, false, 40, "year", false, 1, "", "@year"},
        {"photo", "照片", VAL_MEDIA, false, 255, "photo", false, 1,
         "media 文件夹里的照片文件名", ""},
        {"start", "开始", VAL_START, false, 40, "start_at", true, 1,
         "同一榜单各行的开始日期要一致", ""},
        {"end", "结束", VAL_END, false, 40, "end_at", true, 1,
         "同一榜单各行的结束日期要一致", ""})},
    [KIND_TICKER] = {"ticker", "滚动消息", "条", "ticker", 500, COLS(
        {"text", "内容", VAL_TEXT, true, 500, "text", false, 1, "屏幕底部滚动的一句话",
         "欢迎来到社区服务中心，办事请先取号，谢谢配合。"},
        {"start", "开始", VAL_START, false, 40, "start_at", false, 1, "", ""},
        {"end", "结束", VAL_END, false, 40, "end_at", false, 1, "", ""})},
    [KIND_HOLIDAYS] = {"holidays", "放假调休", "天", "holidays", 1000, COLS(
        {"date", "日期", VAL_DATE, true, 40, "date", false, 1,
         "放假或调休上班的日期，一天写一行", "@newyear"},
        {"kind", "类型", VAL_HOLIDAY, true, 20, "kind", false, 1,
         "休（放假）或 班（调休上班）", "休"},
        {"name", "名称", VAL_TEXT, false, 100, "name", false, 1, "", "元旦"})},
    [KIND_SETTINGS] = {"settings", "设置", "项", "settings", 100, COLS(
        {"key", "项目", VAL_TEXT, true, 60, "key", false, 1,
         "单位名称 或 标志", "单位名称"},
        {"value", "值", VAL_TEXT, true, 255, "value", false, 1,
         "单位名称写显示在屏幕顶部的名称；标志写 media 文件夹里的标志图片文件名",
         "（请改成本单位名称）社区服务中心"})},
};

const struct kind_info *kind_info(enum kind k)
{
    return &kinds[k];
}

const char *kind_page_word(const char *page)
{
    static const struct { const char *page; enum kind k; } shows[] = {
        {"announcement", KIND_ANNOUNCEMENTS}, {"events", KIND_EVENTS}, {"honors", KIND_HONORS},
    };
    if (!strcmp(page, "urgent"))
        return "紧急公告";
    for (size_t i = 0; i < ARRAY_LEN(shows); i++)
        if (!strcmp(page, shows[i].page))
            return kinds[shows[i].k].sheet;
    return NULL;
}

int kind_col_index(enum kind k, const char *en)
{
    for (size_t i = 0; i < kinds[k].ncols; i++)
        if (!strcmp(kinds[k].cols[i].en, en))
            return (int)i;
    return -1;
}

/* ---------------------------------------------------------------- rows */

/* Column positions, in table order; checked against the table by
 * test-kinds (a column added above must be added here too). */
enum { A_TITLE, A_BODY, A_IMAGE, A_START, A_END, A_DAYS, A_HOURS, A_DURATION, A_PRIORITY,
       A_QR, A_COUNTDOWN };
enum { E_DATE, E_TITLE, E_START, E_END, E_PLACE, E_ORGANIZER, E_NOTE, E_QR };
enum { H_ROLL, H_NAME, H_HONOR, H_UNIT, H_YEAR, H_PHOTO, H_START, H_END };
enum { T_TEXT, T_START, T_END };
enum { D_DATE, D_KIND, D_NAME };
enum { S_KEY, S_VALUE };

size_t kind_rows(const struct feed_content *c, enum kind k)
{
    size_t n = 0;
    switch (k) {
    case KIND_ANNOUNCEMENTS: return c->nann;
    case KIND_EVENTS:        return c->nevents;
    case KIND_HONORS:
        for (size_t i = 0; i < c->nrolls; i++)
            n += c->rolls[i].nentries;
        return n;
    case KIND_TICKER:        return c->nticker;
    case KIND_HOLIDAYS:      return c->nholidays;
    case KIND_SETTINGS:      return c->nsettings;
    case KIND_COUNT:         break;
    }
    return 0;
}

void kind_row_get(const struct feed_content *c, enum kind k, size_t row, union kind_value *v)
{
    memset(v, 0, KIND_MAX_COLS * sizeof *v);
    switch (k) {
    case KIND_ANNOUNCEMENTS: {
        const struct nb_announcement *a = &c->ann[row];
        v[A_TITLE].s = a->title;
        v[A_BODY].s = a->body;
        v[A_IMAGE].s = a->image;
        v[A_START].t = a->start;
        v[A_END].t = a->end;
        v[A_DAYS].i = a->days;
        v[A_HOURS].hours.n = a->nhours;
        memcpy(v[A_HOURS].hours.w, a->hours, sizeof a->hours);
        v[A_DURATION].i = a->duration;
        v[A_PRIORITY].i = (int)a->priority;
        v[A_QR].s = a->qr;
        v[A_COUNTDOWN].t = a->countdown;
        break;
    }
    case KIND_EVENTS: {
        const struct nb_event *e = &c->events[row];
        v[E_DATE].t = e->day;
        v[E_TITLE].s = e->title;
        v[E_START].i = e->start;
        v[E_END].i = e->end;
        v[E_PLACE].s = e->place;
        v[E_ORGANIZER].s = e->organizer;
        v[E_NOTE].s = e->note;
        v[E_QR].s = e->qr;
        break;
    }
    case KIND_HONORS: {
        size_t i = 0;
        while (row >= c->rolls[i].nentries)
            row -= c->rolls[i++].nentries;
        const struct nb_roll *r = &c->rolls[i];
        const struct nb_honor *h = &r->entries[row];
        v[H_ROLL].s = r->name;
        v[H_NAME].s = h->name;
        v[H_HONOR].s = h->honor;
        v[H_UNIT].s = h->unit;
        v[H_YEAR].s = h->year;
        v[H_PHOTO].s = h->photo;
        v[H_START].t = r->start;
        v[H_END].t = r->end;
        break;
    }
    case KIND_TICKER:
        v[T_TEXT].s = c->ticker[row].text;
        v[T_START].t = c->ticker[row].start;
        v[T_END].t = c->ticker[row].end;
        break;
    case KIND_HOLIDAYS:
        v[D_DATE].t = c->holidays[row].day;
        v[D_KIND].i = c->holidays[row].workday;
        v[D_NAME].s = c->holidays[row].name;
        break;
    case KIND_SETTINGS:
        v[S_KEY].s = c->settings[row].key;
        v[S_VALUE].s = c->settings[row].value;
        break;
    case KIND_COUNT:
        break;
    }
}

/* Makes room for element n of *pp.  The content structs keep no capacity:
 * the allocation's own usable size is it, and growth doubles, so a row
 * costs amortised O(1) whoever allocated the array (glibc and musl both
 * have malloc_usable_size). */
static void grow(void *pp, size_t n, size_t size)
{
    void **p = pp;
    if (*p && (n + 1) * size <= malloc_usable_size(*p))
        return;
    *p = xrealloc(*p, (n ? 2 * n : 4) * size);
}

static char *or_empty(char *s)
{
    return s ? s : xstrdup("");
}

void kind_row_add(struct feed_content *c, enum kind k, int64_t id, union kind_value *v)
{
    switch (k) {
    case KIND_ANNOUNCEMENTS: {
        grow(&c->ann, c->nann, sizeof *c->ann);
        struct nb_announcement *a = &c->ann[c->nann++];
        *a = (struct nb_announcement){
            .id = id, .title = or_empty(v[A_TITLE].s), .body = or_empty(v[A_BODY].s),
            .image = v[A_IMAGE].s, .start = v[A_START].t, .end = v[A_END].t,
            .days = (uint16_t)v[A_DAYS].i, .nhours = v[A_HOURS].hours.n,
            .duration = v[A_DURATION].i, .priority = (enum priority)v[A_PRIORITY].i,
            .qr = or_empty(v[A_QR].s), .countdown = v[A_COUNTDOWN].t};
        memcpy(a->hours, v[A_HOURS].hours.w, sizeof a->hours);
        break;
    }
    case KIND_EVENTS:
        grow(&c->events, c->nevents, sizeof *c->events);
        c->events[c->nevents++] = (struct nb_event){
            .id = id, .day = v[E_DATE].t, .start = (int16_t)v[E_START].i,
            .end = (int16_t)v[E_END].i, .title = or_empty(v[E_TITLE].s),
            .place = or_empty(v[E_PLACE].s), .organizer = or_empty(v[E_ORGANIZER].s),
            .note = or_empty(v[E_NOTE].s), .qr = or_empty(v[E_QR].s)};
        break;
    case KIND_HONORS: {
        /* Rolls are few and rows come grouped: look from the newest. */
        size_t i = c->nrolls;
        while (i > 0 && strcmp(c->rolls[i - 1].name, v[H_ROLL].s))
            i--;
        if (i == 0) {
            grow(&c->rolls, c->nrolls, sizeof *c->rolls);
            c->rolls[c->nrolls++] = (struct nb_roll){
                .id = (int64_t)c->nrolls, .name = v[H_ROLL].s, .start = v[H_START].t,
                .end = v[H_END].t};
            i = c->nrolls;
        } else {
            free(v[H_ROLL].s);
        }
        struct nb_roll *r = &c->rolls[i - 1];
        grow(&r->entries, r->nentries, sizeof *r->entries);
        r->entries[r->nentries++] = (struct nb_honor){
            .name = or_empty(v[H_NAME].s), .honor = or_empty(v[H_HONOR].s),
            .unit = or_empty(v[H_UNIT].s), .year = or_empty(v[H_YEAR].s),
            .photo = v[H_PHOTO].s};
        break;
    }
    case KIND_TICKER:
        grow(&c->ticker, c->nticker, sizeof *c->ticker);
        c->ticker[c->nticker++] = (struct nb_ticker){
            .id = id, .text = or_empty(v[T_TEXT].s), .start = v[T_START].t, .end = v[T_END].t};
        break;
    case KIND_HOLIDAYS:
        grow(&c->holidays, c->nholidays, sizeof *c->holidays);
        c->holidays[c->nholidays++] = (struct nb_holiday){
            .day = v[D_DATE].t, .workday = v[D_KIND].i != 0, .name = or_empty(v[D_NAME].s)};
        break;
    case KIND_SETTINGS: {
        grow(&c->settings, c->nsettings, sizeof *c->settings);
        struct nb_setting *s = &c->settings[c->nsettings++];
        *s = (struct nb_setting){or_empty(v[S_KEY].s), or_empty(v[S_VALUE].s)};
        if (!strcmp(s->key, "org_name")) {
            free(c->org_name);
            c->org_name = xstrdup(s->value);
        } else if (!strcmp(s->key, "logo")) {
            free(c->logo);
            c->logo = *s->value ? xstrdup(s->value) : NULL;
        }
        break;
    }
    case KIND_COUNT:
        break;
    }
}

static bool is_string(enum val_type t)
{
    return t == VAL_TEXT || t == VAL_PARAGRAPHS || t == VAL_MEDIA || t == VAL_QR;
}

void kind_row_free(enum kind k, union kind_value *v)
{
    for (size_t i = 0; i < kinds[k].ncols; i++)
        if (is_string(kinds[k].cols[i].type)) {
            free(v[i].s);
            v[i].s = NULL;
        }
}

void content_clear_kind(struct feed_content *c, enum kind k)
{
    switch (k) {
    case KIND_ANNOUNCEMENTS:
        for (size_t i = 0; i < c->nann; i++) {
            free(c->ann[i].title);
            free(c->ann[i].body);
            free(c->ann[i].image);
            free(c->ann[i].qr);
        }
        free(c->ann);
        c->ann = NULL, c->nann = 0;
        break;
    case KIND_EVENTS:
        for (size_t i = 0; i < c->nevents; i++) {
            free(c->events[i].title);
            free(c->events[i].place);
            free(c->events[i].organizer);
            free(c->events[i].note);
            free(c->events[i].qr);
        }
        free(c->events);
        c->events = NULL, c->nevents = 0;
        break;
    case KIND_HONORS:
        for (size_t i = 0; i < c->nrolls; i++) {
            struct nb_roll *r = &c->rolls[i];
            for (size_t j = 0; j < r->nentries; j++) {
                free(r->entries[j].name);
                free(r->entries[j].honor);
                free(r->entries[j].unit);
                free(r->entries[j].year);
                free(r->entries[j].photo);
            }
            free(r->entries);
            free(r->name);
        }
        free(c->rolls);
        c->rolls = NULL, c->nrolls = 0;
        break;
    case KIND_TICKER:
        for (size_t i = 0; i < c->nticker; i++)
            free(c->ticker[i].text);
        free(c->ticker);
        c->ticker = NULL, c->nticker = 0;
        break;
    case KIND_HOLIDAYS:
        for (size_t i = 0; i < c->nholidays; i++)
            free(c->holidays[i].name);
        free(c->holidays);
        c->holidays = NULL, c->nholidays = 0;
        break;
    case KIND_SETTINGS:
        for (size_t i = 0; i < c->nsettings; i++) {
            free(c->settings[i].key);
            free(c->settings[i].value);
        }
        free(c->settings);
        c->settings = NULL, c->nsettings = 0;
        free(c->org_name);
        c->org_name = xstrdup("");
        free(c->logo);
        c->logo = NULL;
        break;
    case KIND_COUNT:
        break;
    }
}

static int cmp_event(const void *pa, const void *pb)
{
    const struct nb_event *a = pa, *b = pb;
    if (a->day != b->day)
        return a->day < b->day ? -1 : 1;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    return (a->id > b->id) - (a->id < b->id);
}

static int cmp_holiday(const void *pa, const void *pb)
{
    const struct nb_holiday *a = pa, *b = pb;
    return (a->day > b->day) - (a->day < b->day);
}

void content_sort(struct feed_content *c)
{
    if (c->nevents)
        qsort(c->events, c->nevents, sizeof *c->events, cmp_event);
    if (c->nholidays)
        qsort(c->holidays, c->nholidays, sizeof *c->holidays, cmp_holiday);
}
