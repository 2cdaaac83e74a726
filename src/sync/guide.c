/* guide.c — the staff guide and the template's examples (guide.h).  The
 * parts about columns are made from the kinds table, so the guide names
 * the columns the importer reads and nothing here repeats them. */
#include "sync/guide.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "core/when.h"
#include "sync/bundle.h"

size_t guide_width(const char *s)
{
    size_t n = strlen(s), w = 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t l = utf8_decode(s + i, n - i, &cp);
        i += l ? l : 1;
        w += cp >= 0x1100 ? 2 : 1;
    }
    return w;
}

static void pad_to(struct sbuf *b, const char *s, size_t width)
{
    sbuf_adds(b, s);
    for (size_t w = guide_width(s); w < width; w++)
        sbuf_addc(b, ' ');
}

/* A line or two of a kind that is not about one column. */
static const char *kind_note(enum kind k)
{
    switch (k) {
    case KIND_EVENTS:   return "已经过去的活动不会再显示。屏幕上一次列出今后两周的活动，最多100项。";
    case KIND_HOLIDAYS: return "例如国庆节调休上班的周六写“班”。";
    default:            return NULL;
    }
}

/* Section 二: for each kind its sheet and file, then each column with what
 * to type (its hint, else a fixed example). */
static void add_columns(struct sbuf *b)
{
    sbuf_adds(b, "二、每张表怎么填（带 * 的列必须填写）\n");
    for (int k = 0; k < KIND_COUNT; k++) {
        const struct kind_info *ki = kind_info((enum kind)k);
        sbuf_addf(b, "  %s（工作表“%s”，或文件 %s）\n", ki->sheet, ki->sheet,
                  bundle_file_name((enum kind)k));
        for (size_t i = 0; i < ki->ncols; i++) {
            const struct kind_col *c = &ki->cols[i];
            char *name = xasprintf("%s%s", c->zh, c->required ? "*" : "");
            sbuf_adds(b, "    ");
            pad_to(b, name, 10);
            if (*c->hint)
                sbuf_adds(b, c->hint);
            else if (*c->example && *c->example != '@' && !strchr(c->example, '\n'))
                sbuf_addf(b, "例如：%s", c->example);
            else
                sbuf_adds(b, c->required ? "必须填写" : "可以不填");
            sbuf_addc(b, '\n');
            free(name);
        }
        const char *note = kind_note((enum kind)k);
        if (note)
            sbuf_addf(b, "    %s\n", note);
    }
    sbuf_addc(b, '\n');
}

static const char *const head[] = {
    "社区信息屏 U盘使用说明\n",
    "======================\n",
    "\n",
    "U盘上 noticeboard 文件夹里的表格决定信息屏上显示什么。用 WPS 或 Excel 打开 " GUIDE_WORKBOOK "，\n",
    "修改、保存，再把U盘插到信息屏主机上，新内容就会显示出来。\n",
    "\n",
    "一、有哪些文件\n",
    "  " GUIDE_WORKBOOK "        要显示的全部内容。每一类内容是一张工作表，在窗口下方切换：\n",
};

static const char *const files[] = {
    "  media 文件夹    照片和海报图片\n",
    "  海报 文件夹     （需要时自己新建）只放海报图片和 PDF，不用填表格，见第四节\n",
    "  reports 文件夹  信息屏写回的导入报告，可以随时删除\n",
    "  使用说明.txt    就是这份说明（" GUIDE_WORKBOOK " 的第一张表也是它）\n",
    "  设置时间.bat    信息屏上的时间不对时用，见第六节\n",
    "\n",
    "  每张表的第一行是列名，已经锁定，请不要修改；从第二行起每行一条内容，可以插入、删除行。\n",
    "  （紧挨着列名插入的新行会像列名一样锁住、不能输入：请在第3行或更下面插入。）\n",
    "  列名是橙色的列必须填写。鼠标停在列名上，会显示这一列怎么填，并举一个例子。\n",
    "  每张表里有一行浅黄色的示例，请改成自己的内容，或者把这一行删除；\n",
    "  原样留着的示例不会显示，报告里会提醒。\n",
    "  一张表会整体替换屏幕上同一类的全部内容：\n",
    "    - 只留列名、没有内容行，就会清空那一类内容；\n",
    "    - 不想改动的那一类，可以把那张工作表删掉，屏幕上原来的内容就保持不变。\n",
    "  保存时保持“.xlsx”格式即可。\n",
    "  列名的锁定没有密码：确实需要改动时，在“审阅”菜单里点“撤销工作表保护”。\n",
    "\n",
    "  也可以不用 " GUIDE_WORKBOOK "，而是每一类内容用一个 CSV 文件（文件名见下面第二节，\n",
    "  例如 announcements.csv），在 WPS 或 Excel 里保存为“CSV”或“CSV UTF-8”。\n",
    "  同一类内容不能既在 " GUIDE_WORKBOOK " 里、又有 CSV 文件。\n",
    "\n",
};

static const char *const tail[] = {
    "三、日期、星期、时段的写法\n",
    "  日期：2026-11-22、2026/11/22、2026/1/5、2026.11.22、2026年11月22日 都可以，一定要写年份。\n",
    "        开始、结束可以带时间：2026-11-22 09:30\n",
    "  星期：空着或“每天”；“工作日”“周末”；“周一至周五”“一至五”“1-5”；\n",
    "        几天用逗号隔开，例如“周一,周三,周五”；\n",
    "        “工作日”“周末”会按“放假调休”表里的放假和调休自动计算。\n",
    "  时段：08:00-18:00；跨夜的 20:00-02:00 也可以；\n",
    "        几个时段用逗号隔开，例如“08:00-12:00,14:00-18:00”。\n",
    "  " GUIDE_WORKBOOK " 里除“日期”以外的列都设成了“文本”格式，输入什么就保存什么\n",
    "  （1-5 不会被表格软件改成 1月5日）；“日期”列设成了日期格式，显示为 2026-11-22。\n",
    "\n",
    "四、照片和海报\n",
    "  把 JPG 或 PNG 图片放进 noticeboard 里的 media 文件夹，在表格里只写文件名（例如 活动照片.jpg）。\n",
    "  文件名要和表格里写的一致，包括 .jpg 或 .png 后缀。\n",
    "  手机拍的照片可以直接放，不用缩小；单张图片不要超过 32MB，长宽都不要超过 8192 像素。\n",
    "\n",
    "  最省事的办法：在 noticeboard 里新建一个叫“海报”的文件夹，把海报图片（JPG、PNG）和\n",
    "  PDF 通知直接放进去，不用填表格。每张图片、PDF 的每一页整屏播放 10 秒，每天全天播放。\n",
    "  - 按文件名的顺序播放，数字按大小排（2.jpg 在 10.jpg 前面）；想换顺序就改文件名。\n",
    "  - 这次的海报会换掉屏幕上原来的海报（只有图片、什么都没写的公告）；\n",
    "    写了标题或时间的公告、活动、表彰等其他内容都不变。\n",
    "  - 表格里也有“公告”表时，海报接在表格里的公告后面播放。\n",
    "  - 海报文件夹是空的，就清空屏幕上的海报。不想改动海报时，不要带这个文件夹。\n",
    "  - 最多 200 个文件。坏的图片、别的文件（如 .docx）会跳过，报告里写着文件名。\n",
    "  - 需要别的播放时间（例如只播到月底），请改用表格：图片放 media 文件夹，\n",
    "    在公告表里写一行，填“图片”和时间。\n",
    "\n",
    "五、拿到信息屏上\n",
    "  1. 在电脑上保存好表格，用“安全弹出”拔下U盘。\n",
    "  2. 把U盘插到信息屏主机的 USB 口。\n",
    "  3. 等一会儿，屏幕上会短暂显示导入结果（成功，或者哪里有问题）。看到结果后就可以拔下U盘。\n",
    "  4. 有问题时，屏幕保持原来的内容不变。把U盘插回电脑，打开 noticeboard\\reports 文件夹里\n",
    "     最新的报告，里面写着哪张表、哪一格有什么问题，改好后再插一次即可。\n",
    "     报告里的“" GUIDE_WORKBOOK " 公告!C5”表示 " GUIDE_WORKBOOK " 里“公告”表的 C5 格；\n",
    "     “announcements.csv:5:3”表示 announcements.csv 第 5 行第 3 列。\n",
    "\n",
    "六、其他\n",
    "  - noticeboard.key 是这台信息屏的钥匙文件，没有它信息屏不会接受U盘里的内容。\n",
    "    请不要修改或删除它，也不要交给无关的人。每台信息屏的钥匙不同。\n",
    "    要多准备一个U盘：把整个 noticeboard 文件夹复制过去即可。\n",
    "  - 想在现在屏幕上的内容基础上修改，可以请管理员用 noticeboard-sync export 导出当前内容：\n",
    "    导出的 " GUIDE_WORKBOOK " 和 media 文件夹（图片用原来的文件名）改好后可以直接再导入。\n",
    "  - reports 文件夹里是信息屏写的报告，可以随时删除。\n",
    "  - 报告最后的“播放统计”是最近30天里每条内容在屏幕上从头显示的次数；\n",
    "    导出时 playlog 文件夹里是每天一个的播放记录（什么时间显示了哪一条）。\n",
    "  - 信息屏上的时间不对时：在电脑上双击U盘 noticeboard 文件夹里的“设置时间”，它会把电脑\n",
    "    现在的时间写进 time.txt。先确认电脑的时间是对的，再把U盘插到信息屏上，信息屏就会改成\n",
    "    这个时间，导入结果里写着“设备时间已校正为……”。同一个时间只用一次，下次需要时再双击。\n",
};

char *guide_text(void)
{
    struct sbuf b = {0};
    for (size_t i = 0; i < ARRAY_LEN(head); i++)
        sbuf_adds(&b, head[i]);
    sbuf_adds(&b, "                  ");
    for (int k = 0; k < KIND_COUNT; k++)
        sbuf_addf(&b, "%s%s", k ? "、" : "", kind_info((enum kind)k)->sheet);
    sbuf_adds(&b, "\n");
    for (size_t i = 0; i < ARRAY_LEN(files); i++)
        sbuf_adds(&b, files[i]);
    add_columns(&b);
    for (size_t i = 0; i < ARRAY_LEN(tail); i++)
        sbuf_adds(&b, tail[i]);
    return sbuf_take(&b);
}

char *guide_example(const struct kind_col *col, int64_t today)
{
    const char *e = col->example;
    char buf[16];
    int y, m, d, n;
    when_civil_from_days(today, &y, &m, &d);
    if (!strcmp(e, "@year"))
        return xasprintf("%d", y);
    if (!strcmp(e, "@roll"))
        return xasprintf("%d年度社区好人榜", y);
    if (!strcmp(e, "@newyear")) {
        when_format_date(when_days_from_civil(y + 1, 1, 1), buf);
        return xstrdup(buf);
    }
    if (sscanf(e, "@+%d", &n) == 1) {
        when_format_date(today + n, buf);
        return xstrdup(buf);
    }
    return xstrdup(e);
}

const char *guide_example_note(enum kind k)
{
    if (k == KIND_HOLIDAYS)
        return "示例：明年元旦放假。这一行是真实的，可以保留；请按当年的放假通知补上其他放假和调休的日子";
    return "示例，请改成自己的内容或删除这一行";
}
