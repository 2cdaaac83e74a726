/* init.c — `noticeboard-sync init [--csv] [--data DIR] [--config FILE] DEST`:
 * a blank bundle for staff (内容.xlsx with one example row a sheet, or with
 * --csv one template CSV a kind; media/; 使用说明.txt; 设置时间.bat) plus the device key
 * when the board uses key trust.  A stick that already holds content gets
 * no templates: init never adds or changes a content file. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/config.h"
#include "core/csv.h"
#include "core/kinds.h"
#include "core/log.h"
#include "core/now.h"
#include "core/store.h"
#include "core/util.h"
#include "core/when.h"
#include "sync/args.h"
#include "sync/bundle.h"
#include "sync/commands.h"
#include "sync/guide.h"
#include "sync/posters.h"
#include "sync/stickw.h"
#include "sync/trust.h"
#include "sync/xlsxw.h"

#define BOM "\xEF\xBB\xBF"

static const char usage_text[] =
    "usage: noticeboard-sync init [--csv] [--new-key] [--data DIR] [--config FILE] DEST\n"
    "Writes DEST/noticeboard/ with a blank " GUIDE_WORKBOOK " (or with --csv one\n"
    "template CSV per kind), media/, 使用说明.txt, 设置时间.bat and, with key trust, this\n"
    "device's noticeboard.key.  When noticeboard/ already holds content (a\n"
    "CSV, a workbook, feed.db, a 海报 folder), no template is written and nothing of it\n"
    "changes.\n"
    "Key trust: unless DEST already holds one of this device's keys, init makes\n"
    "a new key for it; the device accepts up to 8 keys, so the sticks made\n"
    "before keep working (with a 9th, the oldest key is forgotten).\n"
    "--new-key: a stick was lost; the new key is the only one the device\n"
    "accepts, every other stick needs init again (its content files are kept).\n";

/* 设置时间.bat (docs/bundle.md, time.txt): on a double-click, writes the
 * office PC's time with its UTC offset to time.txt beside it and shows it.
 * GB18030 with CRLF: cmd.exe reads a .bat in the OEM code page, 936 on a
 * Chinese Windows.  The source text is tests/fixtures/set-time.bat.txt. */
#define SET_TIME_BAT "设置时间.bat"
static const char set_time_bat[] =
    "@echo off\r\n"
    "rem \xC9\xE8\xD6\xC3\xCA\xB1\xBC\xE4.bat\xA3\xBA\xB0\xD1\xD5\xE2\xCC\xA8\xB5\xE7\xC4\xD4\xB5\xC4\xCA\xB1\xBC\xE4\xD0\xB4\xBD\xF8 time.txt\xA3\xAC\xB9\xAB\xB8\xE6\xC6\xC1\xB5\xBC\xC8\xEBU\xC5\xCC\xCA\xB1\xD3\xC3\xCB\xFC\xD0\xA3\xD5\xFD\xD7\xD4\xBC\xBA\xB5\xC4\xCA\xB1\xBC\xE4\xA1\xA3\r\n"
    "rem noticeboard-sync init \xD0\xB4\xB5\xC4\xA3\xBBtime.txt \xB5\xC4\xB8\xF1\xCA\xBD\xBC\xFB docs/bundle.md\xA1\xA3\r\n"
    "powershell -NoProfile -ExecutionPolicy Bypass -Command \"(Get-Date).ToString('yyyy-MM-dd HH:mm:ss zzz', [Globalization.CultureInfo]::InvariantCulture) | Set-Content -Encoding ASCII -LiteralPath '%~dp0time.txt'\"\r\n"
    "if errorlevel 1 goto fail\r\n"
    "if not exist \"%~dp0time.txt\" goto fail\r\n"
    "echo.\r\n"
    "echo \xD2\xD1\xB0\xD1\xD5\xE2\xCC\xA8\xB5\xE7\xC4\xD4\xCF\xD6\xD4\xDA\xB5\xC4\xCA\xB1\xBC\xE4\xD0\xB4\xB5\xBDU\xC5\xCC\xC9\xCF\xA3\xBA\r\n"
    "type \"%~dp0time.txt\"\r\n"
    "echo.\r\n"
    "echo \xC7\xEB\xBF\xB4\xD2\xBB\xCF\xC2\xD5\xE2\xB8\xF6\xCA\xB1\xBC\xE4\xB6\xD4\xB2\xBB\xB6\xD4\xA3\xA8\xBA\xCD\xCA\xD6\xBB\xFA\xC9\xCF\xB5\xC4\xCA\xB1\xBC\xE4\xB1\xC8\xD2\xBB\xB1\xC8\xA3\xA9\xA1\xA3\r\n"
    "echo \xB6\xD4\xB5\xC4\xBB\xB0\xA3\xAC\xB0\xD1U\xC5\xCC\xB2\xE5\xB5\xBD\xB9\xAB\xB8\xE6\xC6\xC1\xC9\xCF\xA3\xAC\xB9\xAB\xB8\xE6\xC6\xC1\xBE\xCD\xBB\xE1\xB8\xC4\xB3\xC9\xD5\xE2\xB8\xF6\xCA\xB1\xBC\xE4\xA1\xA3\r\n"
    "echo \xB2\xBB\xB6\xD4\xB5\xC4\xBB\xB0\xA3\xAC\xC7\xEB\xCF\xC8\xB8\xC4\xBA\xC3\xB5\xE7\xC4\xD4\xB5\xC4\xCA\xB1\xBC\xE4\xA3\xAC\xD4\xD9\xCB\xAB\xBB\xF7\xD2\xBB\xB4\xCE\xA1\xB0\xC9\xE8\xD6\xC3\xCA\xB1\xBC\xE4\xA1\xB1\xA1\xA3\r\n"
    "echo.\r\n"
    "pause\r\n"
    "exit /b 0\r\n"
    ":fail\r\n"
    "echo.\r\n"
    "echo \xC3\xBB\xC4\xDC\xD0\xB4\xB5\xBDU\xC5\xCC\xC9\xCF\xA1\xA3\xC7\xEB\xBC\xEC\xB2\xE9U\xC5\xCC\xCA\xC7\xB7\xF1\xB2\xE5\xBA\xC3\xA1\xA2\xCA\xC7\xB7\xF1\xD0\xB4\xB1\xA3\xBB\xA4\xA3\xAC\xD4\xD9\xCB\xAB\xBB\xF7\xD2\xBB\xB4\xCE\xA1\xB0\xC9\xE8\xD6\xC3\xCA\xB1\xBC\xE4\xA1\xB1\xA3\xBB\r\n"
    "echo \xC8\xD4\xB2\xBB\xD0\xD0\xC7\xEB\xC1\xAA\xCF\xB5\xB0\xB2\xD7\xB0\xC8\xCB\xD4\xB1\xA1\xA3\r\n"
    "echo.\r\n"
    "pause\r\n"
    "exit /b 1\r\n";

/* Writes data as name in the stick folder dfd, through stickw (never
 * through a link on the stick); false with errno. */
static bool put_file(int dfd, const char *name, const void *data, size_t len)
{
    bool ok = stickw_replace(dfd, name, data, len);
    int e = errno;
    if (!ok)
        log_errno("init: write noticeboard/%s", name);
    errno = e;
    return ok;
}

/* Text with "\n" line ends, as Windows Notepad wants it: CRLF, and UTF-8
 * with a BOM so that it does not guess GBK.  false with errno. */
static bool write_crlf(int dfd, const char *name, const char *text, bool bom)
{
    struct sbuf b = {0};
    if (bom)
        sbuf_adds(&b, BOM);
    for (const char *p = text; *p; p++) {
        if (*p == '\n')
            sbuf_addc(&b, '\r');
        sbuf_addc(&b, *p);
    }
    bool ok = put_file(dfd, name, b.s, b.len);
    int e = errno;
    sbuf_free(&b);
    errno = e;
    return ok;
}

/* Does a file of this name hold content an import would read (or that
 * staff made to be read: a workbook under another name, an .xls, a
 * "Unicode 文本" .txt)?  Hidden files (macOS leaves ._ copies) do not. */
static bool is_content_file(const char *n)
{
    static const char *const exts[] = {".csv", ".xlsx", ".xlsm", ".xls", ".et", ".ods", ".txt"};
    if (n[0] == '.')
        return false;
    if (!strcasecmp(n, "feed.db") || posters_folder_name(n))
        return true;    /* the 海报 folder: a template's examples would refuse its import */
    if (!strcmp(n, "使用说明.txt") || !strcasecmp(n, "time.txt"))
        return false;
    const char *dot = strrchr(n, '.');
    for (size_t i = 0; dot && i < ARRAY_LEN(exts); i++)
        if (!strcasecmp(dot, exts[i]))
            return true;
    return false;
}

/* The content files in the stick folder dfd, "、"-joined (at most a few
 * named); NULL when there are none. */
static char *content_files(int dfd)
{
    int fd = openat(dfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    if (!d) {
        if (fd >= 0)
            close(fd);
        return NULL;
    }
    struct sbuf b = {0};
    size_t n = 0;
    struct dirent *de;
    while ((de = readdir(d)))
        if (is_content_file(de->d_name)) {
            if (n < 4)
                sbuf_addf(&b, "%s%s", n ? "、" : "", de->d_name);
            n++;
        }
    closedir(d);
    if (n > 4)
        sbuf_addf(&b, " 等 %zu 个文件", n);
    return n ? sbuf_take(&b) : NULL;
}

/* The templates: 内容.xlsx, or one CSV per kind (UTF-8 BOM, CRLF) with the
 * kinds table's Chinese headers and examples, into the stick folder dfd,
 * which holds no content file (checked by the caller).  On failure returns
 * the name that could not be written (errno set; EIO when the workbook
 * could not be made), else NULL. */
static const char *write_templates(int dfd, bool csv, int64_t today)
{
    if (!csv) {
        size_t len;
        char *why = NULL;
        void *data = xlsxw_template(today, &len, &why);
        if (!data) {
            log_error("init: %s", why);
            free(why);
            errno = EIO;
            return GUIDE_WORKBOOK;
        }
        bool ok = put_file(dfd, GUIDE_WORKBOOK, data, len);
        free(data);
        return ok ? NULL : GUIDE_WORKBOOK;
    }
    for (int k = 0; k < KIND_COUNT; k++) {
        const struct kind_info *ki = kind_info((enum kind)k);
        const char *header[KIND_MAX_COLS];
        char *example[KIND_MAX_COLS];
        for (size_t i = 0; i < ki->ncols; i++) {
            header[i] = ki->cols[i].zh;
            example[i] = guide_example(&ki->cols[i], today);
        }
        struct sbuf b = {0};
        sbuf_adds(&b, BOM);
        csv_write_row(&b, header, ki->ncols);
        csv_write_row(&b, (const char *const *)example, ki->ncols);
        for (size_t i = 0; i < ki->ncols; i++)
            free(example[i]);
        bool ok = put_file(dfd, bundle_file_name((enum kind)k), b.s, b.len);
        sbuf_free(&b);
        if (!ok)
            return bundle_file_name((enum kind)k);
    }
    return NULL;
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
 * trust: the stick's own key, or a new one added to the device's keys
 * (new_key: replacing them all).  Returns the exit status. */
static int write_key(const struct config *cfg, const char *data, int dfd, const char *dir,
                     bool new_key)
{
    struct store st;
    if (!store_init(&st, data, true)) {
        log_errno("init: data folder %s", data);
        fprintf(stderr, "无法使用本设备的数据文件夹 %s，请检查权限（通常需要以 noticeboard 用户或 root 运行）\n",
                data);
        return 4;
    }
    int status = 0;
    if (!new_key && stick_has_device_key(cfg, &st, dfd)) {
        printf("U盘上已有本设备的钥匙文件 noticeboard.key，保持不变。\n");
        goto out;
    }
    char label[16];
    int y, m, d;
    when_civil_from_days(now_civil(NULL) / WHEN_MIN_PER_DAY, &y, &m, &d);
    snprintf(label, sizeof label, "%04d-%02d-%02d", y % 10000, m, d);
    /* The stick first, then the device: a stick that could not be written
     * costs no slot and, with --new-key, locks no other stick out. */
    char *key = trust_key_make();
    if (!key) {
        fprintf(stderr, "无法生成钥匙\n");
        status = 4;
        goto out;
    }
    char *path = xasprintf("%s/noticeboard.key", dir);
    char *text = xasprintf("%s\n这是本台信息屏的钥匙文件（%s 生成），请不要修改、删除，也不要交给无关的人。\n"
                           "复制整个 noticeboard 文件夹到另一个U盘，那个U盘也能用。\n", key, label);
    bool ok = write_crlf(dfd, "noticeboard.key", text, false);
    int e = errno;
    sodium_memzero(text, strlen(text));
    free(text);
    struct trust_key_added added;
    if (!ok) {
        char *msg = stickw_why("noticeboard/noticeboard.key", e);
        fprintf(stderr, "%s（%s）\n", msg, path);
        free(msg);
        status = 4;
    } else if (!trust_key_add(&st, key, new_key, label, &added)) {
        fprintf(stderr, "无法保存本设备的钥匙，请检查数据文件夹 %s 的权限\n", data);
        status = 4;
    } else {
        printf("已写入本设备的钥匙文件 %s\n", path);
        if (new_key)
            printf("这是新的钥匙，本设备以前的钥匙全部作废：以前准备的U盘都不能再导入，"
                   "要在本设备上对每个U盘重新运行 init（U盘里的表格和照片不会改动）。\n");
        else if (added.count > 1)
            printf("本设备现在认得 %zu 把钥匙，以前准备的U盘照常可以使用。\n", added.count);
        if (added.dropped[0])
            printf("注意：本设备最多认得 %d 把钥匙，最早的一把（%s 生成）已经作废，"
                   "用它准备的U盘要在本设备上重新运行 init 才能再导入（U盘里的表格和照片不会改动）。\n",
                   TRUST_KEYS_MAX, added.dropped);
    }
    sodium_memzero(key, strlen(key));
    free(key);
    free(path);
out:
    store_fini(&st);
    return status;
}

int init_main(int argc, char **argv)
{
    struct sync_args args;
    switch (args_parse(argc, argv, ARGS_CONFIG | ARGS_CSV | ARGS_NEW_KEY, 1, usage_text, &args)) {
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
    char *have = content_files(dfd);
    bool kept = have != NULL;
    const char *file = NULL;
    if (have) {
        printf("U盘的 noticeboard 文件夹里已经有内容文件（%s），没有写入空白表格，"
               "这些文件保持原样，一个也没有改动。\n", have);
        free(have);
    } else {
        file = write_templates(dfd, args.csv, today);
    }
    char *guide = guide_text();
    if (!file && !write_crlf(dfd, "使用说明.txt", guide, true))
        file = "使用说明.txt";
    if (!file && !put_file(dfd, SET_TIME_BAT, set_time_bat, sizeof set_time_bat - 1))
        file = SET_TIME_BAT;
    free(guide);
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
        status = write_key(&cfg, data, dfd, dir, args.new_key);
    if (status == 0 && kept) {
        printf("U盘 %s 已准备好，内容文件没有改动。\n", dir);
        if (cfg.trust == TRUST_SIGNED)
            printf("本设备使用签名：改好内容后，请运行 noticeboard-sync pack %s，再用 minisign 签名。\n",
                   dest);
    } else if (status == 0) {
        printf("已在 %s 中准备好U盘，请按 使用说明.txt 填写%s。\n", dir,
               args.csv ? " CSV 表格" : " " GUIDE_WORKBOOK);
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
