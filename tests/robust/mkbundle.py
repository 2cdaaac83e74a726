#!/usr/bin/env python3
# Writes a large CSV bundle for the crash and fault tests (tests/robust):
# mkbundle.py DIR VARIANT NPHOTOS — 1,000 announcements (the cap), 3,000
# events (one a day at most, 2026-2035: any two weeks stay under the 100 an
# import takes, whatever the day it runs), 3,000 honors in ten rolls (300 each, the most a roll may hold),
# 20 ticker lines; VARIANT (a word) changes every text so two variants give
# feeds with different content.
# Photos DIR/noticeboard/media/pN.jpg must exist already (ImageMagick).
import os
import sys

out, variant, nphotos = sys.argv[1], sys.argv[2], int(sys.argv[3])
d = os.path.join(out, "noticeboard")
os.makedirs(d, exist_ok=True)
# A different photo order per variant, so media references differ too.
shift = sum(map(ord, variant)) % max(nphotos, 1)


def photo(i):
    return "p%d.jpg" % ((i + shift) % nphotos + 1) if nphotos else ""


def write(name, header, rows):
    with open(os.path.join(d, name), "w", encoding="utf-8", newline="") as f:
        f.write("\ufeff" + header + "\r\n")
        for r in rows:
            f.write(",".join(r) + "\r\n")


write("announcements.csv", "标题,内容,图片,开始,结束,星期,时段,时长,级别",
      [("通知%d（%s）" % (i, variant),
        '"第%d条公告，%s版。\n请居民互相转告，谢谢配合。"' % (i, variant),
        photo(i) if i < nphotos else "",
        "2026-11-%02d" % (1 + i % 20), "2026-12-%02d" % (1 + i % 28),
        ["", "工作日", "周末", "1-5"][i % 4], ["", "08:00-18:00"][i % 2],
        str(5 + i % 20), ["普通", "重要"][i % 2])
       for i in range(1000)])
write("events.csv", "日期,活动,开始时间,结束时间,地点,主办,备注",
      [("%d-%02d-%02d" % (2026 + i % 10, 1 + i // 10 % 12, 1 + i // 120 % 28),
        "活动%d（%s）" % (i, variant),
        "%02d:00" % (8 + i % 10), "%02d:30" % (9 + i % 10), "活动室%d" % (i % 9),
        "居委会", "备注%s" % variant)
       for i in range(3000)])
write("honors.csv", "榜单,姓名,荣誉,单位,年度,照片,开始,结束",
      [("%s榜%d" % (variant, i % 10), "姓名%d" % i, "优秀志愿者", "第%d服务队" % (i % 30), "2026",
        photo(i + 7) if i % 100 == 0 else "", "", "")
       for i in range(3000)])
write("ticker.csv", "内容,开始,结束",
      [("滚动消息%d（%s）" % (i, variant), "", "") for i in range(20)])
