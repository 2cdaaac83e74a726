#!/usr/bin/env python3
"""mkbounds.py KIND DIR [N...] — sticks of content within every sheet limit
that once stalled the player (issue 15 item 2), for r-bounds.sh:

  events DIR [N] [D]    N events (default 5,000), D a day (default 6: no
                        16 days hold more than the 100 the events slide
                        lists) from 2026-12-03, titles of 190 unbreakable
                        characters, places and organizers of 200
  loop DIR [U] [R]      U urgent notices (1,000) and R one-person rolls (5,000)
  roll DIR [N]          one roll of N people (5,000), names of 100
                        characters, honors and units of 200
"""
import datetime
import os
import sys

kind, out = sys.argv[1], sys.argv[2]
args = [int(a) for a in sys.argv[3:]]
os.makedirs(os.path.join(out, "noticeboard"), exist_ok=True)


def write(name, rows):
    with open(os.path.join(out, "noticeboard", name), "w", encoding="utf-8") as f:
        f.write("\n".join(rows) + "\n")


if kind == "events":
    n = args[0] if args else 5000
    per_day = args[1] if len(args) > 1 else 6
    rows = ["date,title,start_time,end_time,place,organizer,note"]
    for i in range(n):
        day = datetime.date(2026, 12, 3) + datetime.timedelta(days=i // per_day)
        rows.append("%s,%s%05d,09:00,10:00,%s,%s," %
                    (day.isoformat(), "活" * 190, i, "地" * 200, "主" * 200))
    write("events.csv", rows)
elif kind == "loop":
    nu = args[0] if args else 1000
    nr = args[1] if len(args) > 1 else 5000
    write("announcements.csv", ["title,body,priority"] +
          ["紧急%d,内容,紧急" % i for i in range(nu)])
    write("honors.csv", ["roll,name"] + ["榜%d,张%d" % (i, i) for i in range(nr)])
elif kind == "roll":
    n = args[0] if args else 5000
    write("honors.csv", ["roll,name,honor,unit"] +
          ["好人榜,%s,%s,%s" % ("名" * 100, "荣" * 200, "单" * 200)] * n)
else:
    sys.exit("unknown kind " + kind)
