#!/usr/bin/python3
# xlsx-dump.py WORKBOOK OUTDIR — a workbook as another program (openpyxl,
# python3-openpyxl from Debian) reads it, for tests/sync/test-xlsxw.c:
#   OUTDIR/SHEET.csv  each sheet's cells as staff see them (date cells as
#                     YYYY-MM-DD, everything else as its text), UTF-8, CRLF
#   OUTDIR/meta.txt   one line per fact about the workbook's structure:
#     sheets NAME,NAME,…
#     sheet NAME protected=0|1 insertRows=0|1 deleteRows=0|1 freeze=CELL
#     header NAME CELL bold=0|1 fill=RRGGBB
#     comment NAME CELL TEXT            (line breaks as \n)
#     cell NAME CELL TYPE FORMAT        (openpyxl data_type, number format)
#     validation NAME RANGE TYPE ERRORSTYLE FORMULA1
#     cf NAME RANGE FORMULA
#     formula NAME                      (a sheet's XML holds an <f> element)
#     width NAME COL WIDTH
import csv
import os
import sys
import zipfile

import openpyxl

src, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
wb = openpyxl.load_workbook(src)
meta = open(os.path.join(out, "meta.txt"), "w", encoding="utf-8")
meta.write("sheets " + ",".join(wb.sheetnames) + "\n")


def text(c):
    v = c.value
    if v is None:
        return ""
    if c.is_date:
        return v.strftime("%Y-%m-%d")
    return str(v)


def one_line(s):
    return s.replace("\n", "\\n")


for ws in wb.worksheets:
    name = ws.title
    p = ws.protection
    meta.write("sheet %s protected=%d insertRows=%d deleteRows=%d freeze=%s\n" % (
        name, bool(p.sheet), bool(p.insertRows), bool(p.deleteRows), ws.freeze_panes))
    with open(os.path.join(out, name + ".csv"), "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f, lineterminator="\r\n")
        for row in ws.iter_rows():
            w.writerow([text(c) for c in row])
    for c in ws[1]:
        if c.value is not None:
            fill = c.fill.fgColor.rgb if c.fill and c.fill.fill_type else "none"
            meta.write("header %s %s bold=%d fill=%s\n" % (name, c.coordinate, bool(c.font.b),
                                                          str(fill)[-6:]))
    for row in ws.iter_rows():
        for c in row:
            if c.comment:
                meta.write("comment %s %s %s\n" % (name, c.coordinate, one_line(c.comment.text)))
            if c.value is not None:
                meta.write("cell %s %s %s %s\n" % (name, c.coordinate, c.data_type, c.number_format))
    for dv in ws.data_validations.dataValidation:
        meta.write("validation %s %s %s %s %s\n" % (name, dv.sqref, dv.type, dv.errorStyle,
                                                    dv.formula1))
    for rng in ws.conditional_formatting:
        for rule in rng.rules:
            meta.write("cf %s %s %s\n" % (name, rng.sqref, one_line(",".join(rule.formula))))
    for letter, dim in sorted(ws.column_dimensions.items()):
        if dim.width:
            meta.write("width %s %s %g\n" % (name, letter, dim.width))

# openpyxl reads a formula cell's text as "=…" like a string: look at the XML.
with zipfile.ZipFile(src) as z:
    for n in z.namelist():
        if n.startswith("xl/worksheets/sheet") and n.endswith(".xml"):
            if b"<f>" in z.read(n) or b"<f " in z.read(n):
                idx = int(n[len("xl/worksheets/sheet"):-4])
                meta.write("formula %s\n" % wb.sheetnames[idx - 1])
meta.close()
