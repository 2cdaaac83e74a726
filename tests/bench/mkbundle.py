#!/usr/bin/env python3
"""mkbundle.py — the content the bench shows and imports, as USB bundles
(DIR/noticeboard/*.csv, UTF-8 with BOM as WPS writes it), and the bench's
config.  Dates are relative to today, so every run shows the same slides.

  mkbundle.py scene DIR MODE [ORG]   MODE: ticker | slides | static
      ticker: 2 announcements, an events slide (8 events this week), a
              12-name honor roll and 3 ticker items; slides: the same without
              the ticker; static: one announcement, nothing else.
  mkbundle.py big DIR PHOTOS          1,000 announcements, 2,000 events, 5,000
              honor entries (50 rolls) and the 200 photos of PHOTOS/ (linked)
  mkbundle.py photos PHOTOS           200 distinct 4000x3000 JPEGs (12 MP),
              made once: 8 ImageMagick bases, each copied 25 times with a
              unique JPEG comment, so no two files hash alike but every one
              is a real 12 MP decode.  Phone-like: seeded plasma (shapes and
              shading at every scale) plus sensor-like noise at quality 92,
              about 4.5 MB each (some 900 MB in all), as a phone camera
              writes them; the importer's bundle cap is 2048 MB.  Skipped
              when PHOTOS/done names the same recipe.
  mkbundle.py config FILE             the INI both programs and mkpage.py read

Python 3 standard library only; ImageMagick's convert for the photo bases."""
import csv
import datetime
import os
import random
import shutil
import subprocess
import sys

ORG = '阳光花园社区党群服务中心'
NPHOTOS = 200

# The bench's theme and timing, written into the config and read back by
# mkpage.py, so the kiosk page and the player draw the same colours and pace.
CONFIG = """; bench config written by tests/bench/mkbundle.py: both the player and the
; generated Chromium page (mkpage.py) read these values.
[display]
rotate = 0
fade_ms = 1000
ticker_speed = 120

[theme]
bg = #FBF7F0
fg = #1F1F1F
muted = #5F5A55
accent = #B3141B
header_bg = #B3141B
header_fg = #FFFFFF
ticker_bg = #2B2B2B
ticker_fg = #FFFFFF
card_bg = #FFFFFF

[schedule]
quiet_hours =
default_duration = 8

[sync]
trust = open

[board]
org_name = {org}
"""

ANNOUNCEMENTS = [
    ('关于开展冬季消防安全大检查的通知',
     '各位居民：\n入冬以来天气干燥，用火用电增多，火灾风险明显上升。为保障大家的生命财产安全，'
     '社区将于本月二十五日至三十日联合物业公司、消防站开展冬季消防安全大检查，重点检查楼道堆物、'
     '电动自行车违规充电、私拉乱接电线和燃气管道老化等问题。\n检查期间，工作人员将佩戴工作证入户，'
     '请大家予以配合。发现隐患的，请在三日内整改；独居老人家中的隐患由志愿者协助处理。'
     '如有疑问，请拨打社区服务热线 8866 1234。'),
    ('社区食堂冬季菜单调整及老年人就餐优惠',
     '自十二月一日起，社区食堂调整冬季菜单，每日提供两荤两素一汤，午餐供应时间为十一点至十三点。'
     '年满七十周岁的老人凭身份证就餐享受八折优惠，八十周岁以上及独居困难老人可申请送餐上门，'
     '每份加收配送费一元。\n请有需要的居民到社区服务中心一楼窗口登记，也可由家属代为办理。'
     '欢迎大家对菜品提出意见和建议，我们将持续改进。'),
]
EVENTS = [
    (0, '书法绘画兴趣班', '09:00', '11:00', '党群服务中心二楼书画室', '社区老年学校'),
    (0, '老年人智能手机使用课', '14:30', '16:00', '居民议事厅', '青年志愿服务队'),
    (1, '免费测量血压血糖', '08:30', '11:00', '社区卫生服务站门口', '社区卫生服务中心'),
    (2, '法律咨询', '09:30', '11:30', '居民议事厅', '锦华律师事务所'),
    (3, '合唱团排练', '19:00', '21:00', '一楼多功能厅', '阳光合唱团'),
    (4, '亲子手工课：剪纸', '15:00', '16:30', '社区图书角', '妇女儿童之家'),
    (5, '垃圾分类宣传日', '09:00', '12:00', '小区中心广场', '物业服务中心'),
    (6, '重阳敬老文艺演出', '14:00', '16:00', '社区文化广场', '社区居委会'),
]
HONORS = [('李秀兰', '优秀志愿者'), ('王建军', '最美家庭'), ('张海燕', '道德模范'),
          ('刘德明', '敬老爱亲模范'), ('陈晓东', '优秀楼栋长'), ('杨桂芳', '优秀网格员'),
          ('赵志刚', '见义勇为模范'), ('黄丽娟', '文明家庭'), ('周国庆', '环保先锋'),
          ('吴春梅', '助人为乐模范'), ('徐文华', '优秀志愿者'), ('孙立新', '热心居民')]
TICKER = ['冬季消防安全大检查将于本月二十五日开始，请配合工作人员入户检查',
          '社区服务中心办公时间：周一至周五 8:30—17:30，周六上午值班',
          '电动自行车请勿进楼入户，请到小区集中充电棚充电']


def write_csv(path, header, rows):
    # utf-8-sig: the BOM that WPS/Excel write for "CSV UTF-8"
    with open(path, 'w', encoding='utf-8-sig', newline='') as f:
        w = csv.writer(f, lineterminator='\r\n')
        w.writerow(header)
        w.writerows(rows)


def bundle_dir(root):
    d = os.path.join(root, 'noticeboard')
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    return d


def scene(root, mode, org=ORG):
    d = bundle_dir(root)
    today = datetime.date.today()
    write_csv(f'{d}/settings.csv', ['项目', '值'], [['单位名称', org]])
    ann = ANNOUNCEMENTS[:1] if mode == 'static' else ANNOUNCEMENTS
    write_csv(f'{d}/announcements.csv', ['标题', '内容', '时长'], [[t, b, '8'] for t, b in ann])
    ev = [] if mode == 'static' else EVENTS
    write_csv(f'{d}/events.csv', ['日期', '活动', '开始时间', '结束时间', '地点', '主办'],
              [[(today + datetime.timedelta(days=o)).isoformat(), t, s, e, p, g]
               for o, t, s, e, p, g in ev])
    hon = [] if mode == 'static' else HONORS
    write_csv(f'{d}/honors.csv', ['榜单', '姓名', '荣誉', '单位', '年度'],
              [[f'{today.year}年度社区光荣榜', n, h, '阳光花园社区', str(today.year)] for n, h in hon])
    tk = TICKER if mode == 'ticker' else []
    write_csv(f'{d}/ticker.csv', ['内容'], [[t] for t in tk])


PHOTO_RECIPE = 'seeded plasma+gaussian noise 0.15, quality 92'


def photos(cache):
    try:
        with open(f'{cache}/done') as f:
            if f.read().strip() == PHOTO_RECIPE:
                return
    except OSError:
        pass
    os.makedirs(cache, exist_ok=True)
    bases = []
    grads = [('#3060a0', '#e0c080'), ('#205020', '#c0e0a0'), ('#802020', '#f0d0c0'),
             ('#404040', '#f0f0f0'), ('#603090', '#f0c0e0'), ('#106060', '#a0f0f0'),
             ('#905000', '#ffe0a0'), ('#203050', '#a0c0ff')]
    for i, (a, b) in enumerate(grads):
        p = f'{cache}/base{i}.jpg'
        # plasma has detail at every scale and the noise stands for the
        # sensor's: at quality 92 that compresses like a 12 MP phone photo
        # (3-5 MB).  The seed keeps every run's bases the same.
        subprocess.run(['convert', '-seed', str(i + 1), '-size', '4000x3000', f'plasma:{a}-{b}',
                        '-attenuate', '0.15', '+noise', 'Gaussian', '-quality', '92', p],
                       check=True)
        with open(p, 'rb') as f:
            bases.append(f.read())
    for n in range(NPHOTOS):
        data = bases[n % len(bases)]
        assert data[:2] == b'\xff\xd8'
        note = f'noticeboard bench photo {n + 1:03d}'.encode()
        com = b'\xff\xfe' + (len(note) + 2).to_bytes(2, 'big') + note
        with open(f'{cache}/photo{n + 1:03d}.jpg', 'wb') as f:
            f.write(data[:2] + com + data[2:])
    for i in range(len(bases)):
        os.remove(f'{cache}/base{i}.jpg')
    with open(f'{cache}/done', 'w') as f:
        f.write(PHOTO_RECIPE + '\n')


def big(root, cache):
    d = bundle_dir(root)
    os.makedirs(f'{d}/media')
    for n in range(NPHOTOS):
        name = f'photo{n + 1:03d}.jpg'
        try:
            os.link(f'{cache}/{name}', f'{d}/media/{name}')
        except OSError:
            shutil.copyfile(f'{cache}/{name}', f'{d}/media/{name}')
    rnd = random.Random(8)      # fixed seed: the same bundle every run
    today = datetime.date.today()
    words = ''.join(b for _, b in ANNOUNCEMENTS).replace('\n', '') * 3
    ann = []
    for i in range(1000):
        k = rnd.randrange(80, 600)
        o = rnd.randrange(0, len(words) - k)
        img = f'media/photo{i + 1:03d}.jpg' if i < 100 else ''
        start = (today + datetime.timedelta(days=rnd.randrange(-30, 30))).isoformat()
        end = (today + datetime.timedelta(days=rnd.randrange(31, 90))).isoformat()
        ann.append([f'第{i + 1}号通知：{words[o:o + 12]}', words[o:o + k], img, start, end,
                    rnd.choice(['', '工作日', '周末', '一至五']), rnd.choice(['', '08:00-18:00']),
                    str(rnd.choice([8, 10, 15])), rnd.choice(['普通', '普通', '普通', '重要'])])
    write_csv(f'{d}/announcements.csv',
              ['标题', '内容', '图片', '开始', '结束', '星期', '时段', '时长', '级别'], ann)
    ev = []
    for i in range(2000):
        o, t, s, e, p, g = EVENTS[i % len(EVENTS)]
        day = today + datetime.timedelta(days=i // 6 - 30)
        ev.append([day.strftime('%Y/%m/%d'), f'{t}（第{i // 8 + 1}期）', s, e, p, g, ''])
    write_csv(f'{d}/events.csv', ['日期', '活动', '开始时间', '结束时间', '地点', '主办', '备注'], ev)
    hon = []
    for i in range(5000):
        n, h = HONORS[i % len(HONORS)]
        photo = f'media/photo{100 + i + 1:03d}.jpg' if i < 100 else ''
        hon.append([f'{today.year}年度光荣榜（第{i // 100 + 1}组）', n + str(i % 7 or ''), h,
                    f'第{i % 30 + 1}网格', str(today.year), photo])
    write_csv(f'{d}/honors.csv', ['榜单', '姓名', '荣誉', '单位', '年度', '照片'], hon)
    write_csv(f'{d}/ticker.csv', ['内容'], [[t] for t in TICKER])
    write_csv(f'{d}/settings.csv', ['项目', '值'], [['单位名称', ORG + '（大数据）']])


def main(a):
    if len(a) in (4, 5) and a[1] == 'scene' and a[3] in ('ticker', 'slides', 'static'):
        scene(a[2], a[3], *a[4:])
    elif len(a) == 4 and a[1] == 'big':
        big(a[2], a[3])
    elif len(a) == 3 and a[1] == 'photos':
        photos(a[2])
    elif len(a) == 3 and a[1] == 'config':
        with open(a[2], 'w', encoding='utf-8') as f:
            f.write(CONFIG.format(org=ORG))
    else:
        sys.stderr.write(__doc__)
        return 2
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
