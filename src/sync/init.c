/* init.c — `noticeboard-sync init [--data DIR] [--config FILE] DEST`: a
 * blank bundle for staff (template CSVs with one example row each, media/,
 * 使用说明.txt) plus the device key when the board uses key trust. */
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/config.h"
#include "core/csv.h"
#include "core/log.h"
#include "core/now.h"
#include "core/store.h"
#include "core/util.h"
#include "core/when.h"
#include "sync/args.h"
#include "sync/commands.h"
#include "sync/stickw.h"
#include "sync/trust.h"

#define BOM "\xEF\xBB\xBF"

static const char usage_text[] =
    "usage: noticeboard-sync init [--data DIR] [--config FILE] DEST\n"
    "Writes DEST/noticeboard/ with blank templates, 使用说明.txt and, with key\n"
    "trust, this device's noticeboard.key.  Existing CSV files are kept.\n"
    "Key trust: the device keeps only the key's SHA-256, so unless DEST already\n"
    "holds this device's key, init makes a new key and every stick made before\n"
    "is refused until init is run on it again (its CSV files are kept).\n";

/* The staff guide, one line per string (C caps literal length); written
 * with "\n" here and stored with CRLF so Windows Notepad shows its lines;
 * UTF-8 with BOM so it does not guess GBK. */
static const char *const guide[] = {
    "社区信息屏 U盘使用说明\n",
    "======================\n",
    "\n",
    "这个 noticeboard 文件夹里的表格决定信息屏上显示什么。用 WPS 或 Excel 打开、修改、保存，\n",
    "再把U盘插到信息屏主机上，新内容就会显示出来。\n",
    "\n",
    "一、有哪些文件\n",
    "  announcements.csv  公告（通知、海报）\n",
    "  events.csv         活动安排\n",
    "  honors.csv         光荣榜、好人榜等表彰名单\n",
    "  ticker.csv         屏幕底部滚动的一句话消息\n",
    "  holidays.csv       放假和调休（决定“工作日”“周末”是哪几天）\n",
    "  settings.csv       单位名称和标志\n",
    "  media 文件夹       照片和海报图片\n",
    "\n",
    "  每个表格第一行是标题行，请不要修改或删除；从第二行起每行一条内容。\n",
    "  表格里已经有一行示例，请改成自己的内容，或者把这一行删除。\n",
    "  一个表格会整体替换屏幕上同类的全部内容：\n",
    "    - 不想改动的那一类，把它的文件从U盘上删掉，屏幕上原来的内容就保持不变；\n",
    "    - 只留标题行、没有内容行，就会清空那一类内容。\n",
    "  保存时选“CSV”格式即可（“CSV UTF-8”或普通“CSV”都可以）。如果软件问是否保持 CSV 格式，选“是”。\n",
    "\n",
    "二、每个表格怎么填（带 * 的列必须填写）\n",
    "  公告 announcements.csv\n",
    "    标题*   公告标题。只放一张海报时可以不写标题，但要填“图片”。\n",
    "    内容    正文。单元格里换行（Alt+回车）就是分段。\n",
    "    图片    media 文件夹里的图片文件名，例如 通知.jpg\n",
    "    开始    从哪天开始显示，空着表示立即显示\n",
    "    结束    到哪天为止，空着表示一直显示；只写日期时，包括那一整天\n",
    "    星期    哪几天显示，空着表示每天\n",
    "    时段    每天几点到几点显示，空着表示全天\n",
    "    时长    每次在屏幕上停留几秒，空着为 10 秒（最短 3 秒，最长 600 秒）\n",
    "    级别    普通、重要 或 紧急。紧急公告会立刻打断轮播、优先显示，请只在真正紧急时使用。\n",
    "  活动 events.csv\n",
    "    日期*  活动*  开始时间  结束时间  地点  主办  备注\n",
    "    时间写成 09:30 这样。已经过去的活动不会再显示。\n",
    "  表彰 honors.csv\n",
    "    榜单*  姓名*  荣誉  单位  年度  照片  开始  结束\n",
    "    同一个榜单的每个人写一行，“榜单”一栏写同样的名称（例如 2026年度社区好人榜）。\n",
    "    照片填 media 文件夹里的文件名。同一榜单各行的开始、结束日期要一致。\n",
    "  滚动消息 ticker.csv\n",
    "    内容*  开始  结束\n",
    "  节假日 holidays.csv\n",
    "    日期*  类型*  名称\n",
    "    类型填“休”（放假）或“班”（调休上班）。例如国庆调休上班的周六写“班”。\n",
    "  设置 settings.csv\n",
    "    项目*  值*\n",
    "    项目写“单位名称”，值写显示在屏幕顶部的名称；项目写“标志”，值写 media 文件夹里的标志图片文件名。\n",
    "\n",
    "三、日期、星期、时段的写法\n",
    "  日期：2026-11-22、2026/11/22、2026/1/5、2026.11.22、2026年11月22日 都可以。\n",
    "        开始、结束可以带时间：2026-11-22 09:30\n",
    "  星期：空着或“每天”；“1-5”、“一至五”、“周一至周五”；\n",
    "        几天用逗号隔开，例如“周一,周三,周五”；\n",
    "        “工作日”“周末”会按 holidays.csv 里的放假和调休自动计算。\n",
    "  时段：08:00-18:00；跨夜的 20:00-02:00 也可以；\n",
    "        几个时段用逗号隔开，例如“08:00-12:00,14:00-18:00”。\n",
    "\n",
    "四、照片和海报\n",
    "  把 JPG 或 PNG 图片放进 noticeboard 里的 media 文件夹，在表格里只写文件名（例如 活动照片.jpg）。\n",
    "  文件名要和表格里写的完全一致，包括 .jpg 或 .png 后缀。\n",
    "  手机拍的照片可以直接放，不用缩小；单张图片不要超过 32MB，长宽都不要超过 8192 像素。\n",
    "\n",
    "五、拿到信息屏上\n",
    "  1. 在电脑上保存好表格，用“安全弹出”拔下U盘。\n",
    "  2. 把U盘插到信息屏主机的 USB 口。\n",
    "  3. 等一会儿，屏幕上会短暂显示导入结果（成功，或者哪里有问题）。看到结果后就可以拔下U盘。\n",
    "  4. 有问题时，屏幕保持原来的内容不变。把U盘插回电脑，打开 noticeboard\\reports 文件夹里\n",
    "     最新的报告，里面写着哪个文件、第几行、第几列有什么问题，改好后再插一次即可。\n",
    "     报告里的“announcements.csv:5:3”表示 announcements.csv 第 5 行第 3 列。\n",
    "\n",
    "六、其他\n",
    "  - noticeboard.key 是这台信息屏的钥匙文件，没有它信息屏不会接受U盘里的内容。\n",
    "    请不要修改或删除它，也不要交给无关的人。每台信息屏的钥匙不同。\n",
    "  - 想在现在屏幕上的内容基础上修改，可以请管理员用 noticeboard-sync export 导出当前内容。\n",
    "  - reports 文件夹里是信息屏写的报告，可以随时删除。\n",
};

static void add_crlf(struct sbuf *b, const char *text)
{
    for (const char *p = text; *p; p++) {
        if (*p == '\n')
            sbuf_addc(b, '\r');
        sbuf_addc(b, *p);
    }
}

/* Writes the lines to name in the stick folder dfd; errno on failure. */
static bool write_crlf(int dfd, const char *name, const char *const *text, size_t n, bool bom)
{
    struct sbuf b = {0};
    if (bom)
        sbuf_adds(&b, BOM);
    for (size_t i = 0; i < n; i++)
        add_crlf(&b, text[i]);
    bool ok = stickw_replace(dfd, name, b.s, b.len);
    int e = errno;
    if (!ok)
        log_errno("init: write noticeboard/%s", name);
    sbuf_free(&b);
    errno = e;
    return ok;
}

struct template {
    const char *file;
    const char *header[9];
    const char *example[9];
    size_t n;
};

/* Writes one template CSV (UTF-8 BOM, CRLF) unless the file exists: init
 * run again on a stick must not wipe what staff typed.  *kept reports that. */
static bool write_template(int dfd, const struct template *t, bool *kept)
{
    struct stat sb;
    *kept = fstatat(dfd, t->file, &sb, AT_SYMLINK_NOFOLLOW) == 0;
    bool ok = true;
    if (!*kept) {
        struct sbuf b = {0};
        sbuf_adds(&b, BOM);
        csv_write_row(&b, t->header, t->n);
        csv_write_row(&b, t->example, t->n);
        ok = stickw_replace(dfd, t->file, b.s, b.len);
        int e = errno;
        if (!ok)
            log_errno("init: write noticeboard/%s", t->file);
        sbuf_free(&b);
        errno = e;
    }
    return ok;
}

/* The key part: true when DEST already carries this device's key (a second
 * init on the same stick keeps it instead of rotating). */
static bool stick_has_device_key(const struct config *cfg, const struct store *st, int dfd)
{
    struct stat sb;
    if (fstatat(dfd, "noticeboard.key", &sb, AT_SYMLINK_NOFOLLOW) < 0)
        return false;
    struct manifest *m = NULL;
    char *why = NULL;
    struct config c = *cfg;
    c.trust = TRUST_KEY;
    enum trust_result r = trust_check(&c, st, dfd, &m, &why);
    manifest_destroy(m);
    free(why);
    return r == TRUST_OK;
}

/* Writes noticeboard.key into the stick folder dfd (shown as dir) for key
 * trust.  Returns the exit status. */
static int write_key(const struct config *cfg, const char *data, int dfd, const char *dir)
{
    struct store st;
    if (!store_init(&st, data, true)) {
        log_errno("init: data folder %s", data);
        fprintf(stderr, "无法使用本设备的数据文件夹 %s，请检查权限（通常需要以 noticeboard 用户或 root 运行）\n",
                data);
        return 4;
    }
    int status = 0;
    if (stick_has_device_key(cfg, &st, dfd)) {
        printf("U盘上已有本设备的钥匙文件 noticeboard.key，保持不变。\n");
        goto out;
    }
    char *key = trust_device_key(&st, false);
    if (!key) {
        /* The device keeps only the key's hash, so an existing key cannot
         * be written again: make a new one.  Sticks made before stop
         * working until init is run on them again (documented in README). */
        key = trust_device_key(&st, true);
        if (key)
            printf("注意：已为本设备生成新的钥匙。以前用本设备生成的U盘将不能再导入，"
                   "需要在这些U盘上重新运行 init（表格内容会保留）。\n");
    }
    if (!key) {
        fprintf(stderr, "无法保存本设备的钥匙，请检查数据文件夹 %s 的权限\n", data);
        status = 4;
        goto out;
    }
    char *path = xasprintf("%s/noticeboard.key", dir);
    char *text = xasprintf("%s\n这是本台信息屏的钥匙文件，请不要修改、删除，也不要交给无关的人。\n", key);
    bool ok = write_crlf(dfd, "noticeboard.key", (const char *const[]){text}, 1, false);
    int e = errno;
    sodium_memzero(text, strlen(text));
    sodium_memzero(key, strlen(key));
    free(text);
    free(key);
    if (!ok) {
        char *msg = stickw_why("noticeboard/noticeboard.key", e);
        fprintf(stderr, "%s（%s）\n", msg, path);
        free(msg);
        status = 4;
    } else {
        printf("已写入本设备的钥匙文件 %s\n", path);
    }
    free(path);
out:
    store_fini(&st);
    return status;
}

int init_main(int argc, char **argv)
{
    struct sync_args args;
    switch (args_parse(argc, argv, ARGS_CONFIG, 1, usage_text, &args)) {
    case ARGS_OK: break;
    case ARGS_HELP: return 0;
    case ARGS_BAD: return 2;
    }
    const char *data = args.data, *config = args.config, *dest = args.pos[0];
    bool config_given = args.config_given;
    struct config cfg;
    if (!config_load(&cfg, config, config_given)) {
        fprintf(stderr, "noticeboard-sync: config file %s has errors (see above)\n", config);
        config_free(&cfg);
        return 2;
    }

    int status = 0;
    char *dir = xasprintf("%s/noticeboard", dest);
    /* Folders opened one by one without following links: a crafted stick
     * whose noticeboard/ or media/ is a symlink is refused, not written. */
    int dfd = stickw_bundle_dir(dest, true), mfd = -1;
    const char *failed = "noticeboard";
    if (dfd >= 0) {
        failed = "noticeboard/media";
        mfd = stickw_dir(dfd, "media", true);
    }
    if (mfd < 0) {
        int e = errno;
        log_errno("init: %s/%s", dest, failed);
        char *msg = stickw_why(failed, e);
        fprintf(stderr, "%s（%s）\n", msg, dest);
        free(msg);
        status = 4;
        goto out;
    }

    /* Example rows use today's date so that a stick imported unchanged
     * shows sensible, current content rather than something long past. */
    int64_t today = now_civil(NULL) / WHEN_MIN_PER_DAY;
    char d0[11], d7[11], d30[11], ny[11], year[8];
    int y, m, d;
    when_format_date(today, d0);
    when_format_date(today + 7, d7);
    when_format_date(today + 30, d30);
    when_civil_from_days(today, &y, &m, &d);
    when_format_date(when_days_from_civil(y + 1, 1, 1), ny);
    snprintf(year, sizeof year, "%d", y);
    char *roll = xasprintf("%d年度社区好人榜", y);

    const struct template templates[] = {
        {"announcements.csv",
         {"标题", "内容", "图片", "开始", "结束", "星期", "时段", "时长", "级别"},
         {"社区服务大厅办公时间", "周一至周五 08:30-17:30，周六上午 09:00-12:00。\n办事请带好身份证，先在门口取号。",
          "", d0, d30, "每天", "", "10", "普通"}, 9},
        {"events.csv",
         {"日期", "活动", "开始时间", "结束时间", "地点", "主办", "备注"},
         {d7, "健康讲座：冬季常见病预防", "09:30", "11:00", "社区活动室（二楼）", "社区卫生服务站",
          "欢迎居民参加，请提前10分钟入场"}, 7},
        {"honors.csv",
         {"榜单", "姓名", "荣誉", "单位", "年度", "照片", "开始", "结束"},
         {roll, "张三", "助人为乐好邻居", "第一网格", year, "", "", ""}, 8},
        {"ticker.csv", {"内容", "开始", "结束"}, {"欢迎来到社区服务中心，办事请先取号，谢谢配合。", "", ""}, 3},
        {"holidays.csv", {"日期", "类型", "名称"}, {ny, "休", "元旦"}, 3},
        {"settings.csv", {"项目", "值"}, {"单位名称", "（请改成本单位名称）社区服务中心"}, 2},
    };
    const char *file = NULL;
    for (size_t i = 0; i < ARRAY_LEN(templates) && !file; i++) {
        bool kept;
        if (!write_template(dfd, &templates[i], &kept))
            file = templates[i].file;
        else if (kept)
            printf("%s 已存在，保留原内容。\n", templates[i].file);
    }
    free(roll);
    if (!file && !write_crlf(dfd, "使用说明.txt", guide, ARRAY_LEN(guide), true))
        file = "使用说明.txt";
    if (file) {
        char *what = xasprintf("noticeboard/%s", file);
        char *msg = stickw_why(what, errno);
        fprintf(stderr, "%s（%s）\n", msg, dest);
        free(msg);
        free(what);
        status = 4;
        goto out;
    }
    if (cfg.trust == TRUST_KEY)
        status = write_key(&cfg, data, dfd, dir);
    if (status == 0) {
        printf("已在 %s 中生成U盘模板，请按 使用说明.txt 填写。\n", dir);
        if (cfg.trust == TRUST_SIGNED)
            printf("本设备使用签名：填好内容后，请运行 noticeboard-sync pack %s，再用 minisign 签名。\n",
                   dest);
    }
out:
    if (mfd >= 0)
        close(mfd);
    if (dfd >= 0)
        close(dfd);
    free(dir);
    config_free(&cfg);
    return status;
}
