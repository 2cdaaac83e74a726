#!/usr/bin/env python3
# mkxlsx.py DIR [NAME...] — writes the hostile workbooks of r-xlsx.sh into
# DIR (all of them, or the NAMEs given), with the standard library only.
# Each is a small valid workbook with one thing wrong; r-xlsx.sh lists what
# the reader must answer for each (xlsx-cases.tsv).
import io
import os
import random
import struct
import sys
import zipfile

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
RNS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
PNS = 'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"'
RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
SHEET = "xl/worksheets/sheet1.xml"
SST = "xl/sharedStrings.xml"


def base_parts(sheet_data='<row r="1"><c r="A1" t="s"><v>0</v></c></row>',
               sst='<si><t>标题</t></si>', rels_target="worksheets/sheet1.xml"):
    return [
        ("[Content_Types].xml", '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'),
        ("_rels/.rels", f'<Relationships {PNS}><Relationship Id="rId1" Type="{RT}officeDocument" '
                        'Target="xl/workbook.xml"/></Relationships>'),
        ("xl/workbook.xml", f'<workbook {NS} {RNS}><sheets><sheet name="公告" sheetId="1" r:id="rId1"/>'
                            '</sheets></workbook>'),
        ("xl/_rels/workbook.xml.rels", f'<Relationships {PNS}><Relationship Id="rId1" Type="{RT}worksheet" '
                                       f'Target="{rels_target}"/><Relationship Id="rId2" Type="{RT}sharedStrings" '
                                       'Target="sharedStrings.xml"/></Relationships>'),
        (SST, f'<sst {NS}>{sst}</sst>'),
        (SHEET, f'<worksheet {NS}><sheetData>{sheet_data}</sheetData></worksheet>'),
    ]


def write(path, parts, level=6):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as z:
        for name, data in parts:
            zi = zipfile.ZipInfo(name, (2026, 11, 22, 8, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED if level else zipfile.ZIP_STORED
            zi._compresslevel = level   # (ZipInfo's own level wins over the archive's)
            if callable(data):          # a generator of chunks: streamed
                with z.open(zi, "w", force_zip64=True) as f:
                    for chunk in data():
                        f.write(chunk)
            else:
                z.writestr(zi, data.encode() if isinstance(data, str) else data)


def with_sheet(path, make_chunks, level=1):
    parts = [(n, d) for n, d in base_parts() if n != SHEET] + [(SHEET, make_chunks)]
    write(path, parts, level=level)


def spaces(total):
    """A sheet of `total` bytes that deflate about 1000:1."""
    def gen():
        yield f'<worksheet {NS}><sheetData>'.encode()
        block = (b"<x/>" + b" " * 1020) * 1024   # 1 MB, a tag in every KB
        for _ in range(total >> 20):
            yield block
        yield b"</sheetData></worksheet>"
    return gen


def patch_sizes(path, name, size):
    """Makes the headers of entry `name` declare `size` uncompressed bytes."""
    data = bytearray(open(path, "rb").read())
    bname = name.encode()
    i = 0
    while True:
        i = data.find(b"PK\x03\x04", i)
        if i < 0:
            break
        n, e = struct.unpack_from("<HH", data, i + 26)
        if data[i + 30:i + 30 + n] == bname:
            struct.pack_into("<I", data, i + 22, size)
        i += 4
    i = 0
    while True:
        i = data.find(b"PK\x01\x02", i)
        if i < 0:
            break
        n = struct.unpack_from("<H", data, i + 28)[0]
        if data[i + 46:i + 46 + n] == bname:
            struct.pack_into("<I", data, i + 24, size)
        i += 4
    open(path, "wb").write(data)


def bomb_total():
    """100 MB that inflates about 30 times (a random number in every 400
    bytes): three such sheets pass the per-part and ratio caps, together
    they pass the total cap, and no row is ever made."""
    rnd = random.Random(7)
    pad = b" " * 370

    def gen():
        yield f'<worksheet {NS}><sheetData/><extLst>'.encode()
        left = 100 << 20
        while left > 0:
            chunk = b"".join(b'<ext uri="%08x" p="%s"/>' % (rnd.getrandbits(32), pad) for _ in range(2500))
            yield chunk
            left -= len(chunk)
        yield b"</extLst></worksheet>"
    return gen


def row_chunks(n):
    def gen():
        yield f'<worksheet {NS}><sheetData>'.encode()
        for i in range(1, n + 1, 1000):
            yield b"".join(b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (j, j, j)
                           for j in range(i, min(i + 1000, n + 1)))
        yield b"</sheetData></worksheet>"
    return gen


def ole2_encrypted(path):
    """An OLE2 compound file with an EncryptedPackage stream (how Office and
    WPS store a password-protected .xlsx); the streams are random."""
    rnd = random.Random(16)
    sec = 512
    info = bytes(rnd.getrandbits(8) for _ in range(4096))
    pkg = bytes(rnd.getrandbits(8) for _ in range(8192))
    ni, npk = len(info) // sec, len(pkg) // sec
    fat = [0xFFFFFFFD, 0xFFFFFFFE]
    fat += [2 + i + 1 if i < ni - 1 else 0xFFFFFFFE for i in range(ni)]
    fat += [2 + ni + i + 1 if i < npk - 1 else 0xFFFFFFFE for i in range(npk)]
    fat += [0xFFFFFFFF] * (sec // 4 - len(fat))
    N = 0xFFFFFFFF

    def entry(name, typ, right, child, start, size):
        n = (name + "\0").encode("utf-16-le") if name else b""
        return (n.ljust(64, b"\0") + struct.pack("<HBB", len(n), typ, 1) + struct.pack("<III", N, right, child)
                + b"\0" * 36 + struct.pack("<IQ", start, size))
    dirs = (entry("Root Entry", 5, N, 1, 0xFFFFFFFE, 0) + entry("EncryptionInfo", 2, 2, N, 2, len(info)) +
            entry("EncryptedPackage", 2, N, N, 2 + ni, len(pkg)) + entry("", 0, N, N, 0, 0))
    head = (bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 16 + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
            + b"\0" * 6 + struct.pack("<9I", 0, 1, 1, 0, 4096, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
            + struct.pack("<I", 0) + struct.pack("<I", N) * 108)
    open(path, "wb").write(head + struct.pack("<128I", *fat) + dirs + info + pkg)


def make(name, path):
    P = lambda **kw: base_parts(**kw)
    if name == "good":
        write(path, P())
    elif name == "bomb-declared":       # 200 MB of spaces, sizes honest
        with_sheet(path, spaces(200 << 20))
    elif name == "bomb-lying":          # 256 MB, the headers claiming 1 KB
        with_sheet(path, spaces(256 << 20))
        patch_sizes(path, SHEET, 1024)
    elif name == "bomb-ratio":          # 100 MB of spaces: under the part cap, 1000:1
        with_sheet(path, spaces(100 << 20), level=9)
    elif name == "bomb-total":
        parts = [(n, d) for n, d in P() if n not in (SHEET, "xl/workbook.xml", "xl/_rels/workbook.xml.rels")]
        parts.append(("xl/workbook.xml", f'<workbook {NS} {RNS}><sheets>' + "".join(
            f'<sheet name="表{i}" sheetId="{i}" r:id="rId{i}"/>' for i in range(1, 4)) + "</sheets></workbook>"))
        parts.append(("xl/_rels/workbook.xml.rels", f'<Relationships {PNS}>' + "".join(
            f'<Relationship Id="rId{i}" Type="{RT}worksheet" Target="worksheets/s{i}.xml"/>'
            for i in range(1, 4)) + "</Relationships>"))
        for i in range(1, 4):
            parts.append((f"xl/worksheets/s{i}.xml", bomb_total()))
        write(path, parts, level=1)
    elif name == "dotdot-entry":
        write(path, P() + [("../../evil.txt", "x")])
    elif name == "absolute-entry":
        write(path, P() + [("/etc/passwd", "x")])
    elif name == "backslash-entry":
        write(path, P() + [("xl\\media\\image1.png", "x")])
    elif name == "duplicate-entry":
        import warnings
        warnings.simplefilter("ignore")
        write(path, P() + [(SHEET, f'<worksheet {NS}><sheetData/></worksheet>')])
    elif name == "target-escape":
        write(path, P(rels_target="../../../../etc/passwd"))
    elif name == "billion-laughs":
        ents = '<!ENTITY a "aaaaaaaaaa">' + "".join(
            f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9))
        parts = [(n, d) for n, d in P() if n != SST]
        parts.append((SST, f'<?xml version="1.0"?><!DOCTYPE sst [{ents}]><sst {NS}><si><t>&j;</t></si></sst>'))
        write(path, parts)
    elif name == "external-entity":
        parts = [(n, d) for n, d in P() if n != SHEET]
        parts.append((SHEET, f'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                             f'<worksheet {NS}><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&x;</t>'
                             '</is></c></row></sheetData></worksheet>'))
        write(path, parts)
    elif name == "huge-dimension":      # claims XFD1048576; holds A1 and an empty XFD1048576
        parts = [(n, d) for n, d in P() if n != SHEET]
        parts.append((SHEET, f'<worksheet {NS}><dimension ref="A1:XFD1048576"/><sheetData>'
                             '<row r="1"><c r="A1" t="s"><v>0</v></c></row>'
                             '<row r="1048576"><c r="XFD1048576" s="0"/></row></sheetData>'
                             '<mergeCells><mergeCell ref="A2:XFD1048576"/></mergeCells></worksheet>'))
        write(path, parts)
    elif name == "far-cell":            # a value at XFD1048576
        write(path, P(sheet_data='<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'))
    elif name == "bad-ref":
        write(path, P(sheet_data='<row r="1"><c r="A99999999"><v>1</v></c></row>'))
    elif name == "sst-declared":        # declares 4 billion strings, holds one
        parts = [(n, d) for n, d in P() if n != SST]
        parts.append((SST, f'<sst {NS} count="4294967295" uniqueCount="4294967295"><si><t>一</t></si></sst>'))
        write(path, parts)
    elif name == "sst-index":           # a cell pointing at string 99,999 of 1
        write(path, P(sheet_data='<row r="1"><c r="A1" t="s"><v>99999</v></c></row>'))
    elif name == "sst-amplified":       # one 60 KB string in 100,000 x 10 cells (60 GB of text)
        rows = "".join(f'<row r="{i}">' + "".join(f'<c r="{c}{i}" t="s"><v>0</v></c>' for c in "ABCDEFGHIJ")
                       + "</row>" for i in range(1, 100001))
        write(path, P(sheet_data=rows, sst="<si><t>" + "长" * 20000 + "</t></si>"))
    elif name == "sst-100k":            # 100,000 strings, each used once
        sst = "".join(f"<si><t>第{i}条</t></si>" for i in range(100000))
        rows = "".join(f'<row r="{i + 1}"><c r="A{i + 1}" t="s"><v>{i}</v></c></row>' for i in range(100000))
        write(path, P(sheet_data=rows, sst=sst))
    elif name == "truncated":
        buf = io.BytesIO()
        write(buf, P())
        data = buf.getvalue()
        open(path, "wb").write(data[:len(data) // 2])
    elif name == "encrypted-entry":     # the zip "traditional encryption" flag on every entry
        write(path, P())
        data = bytearray(open(path, "rb").read())
        for sig, off in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
            i = data.find(sig)
            while i >= 0:
                data[i + off] |= 1
                i = data.find(sig, i + 4)
        open(path, "wb").write(data)
    elif name == "encrypted-ole2":
        ole2_encrypted(path)
    elif name == "deep":                # 100,000 nested elements in a cell
        write(path, P(sheet_data='<row r="1"><c r="A1" t="inlineStr"><is>' + "<r>" * 100000 + "</is></c></row>"))
    elif name == "long-tag":            # a 10 MB attribute
        letters = bytes(97 + i % 26 for i in range(256))
        attr = random.Random(3).randbytes(10 << 20).translate(letters).decode()
        write(path, P(sheet_data=f'<row r="1" x="{attr}"/>'))
    elif name == "many-entries":        # 20,000 entries
        write(path, P() + [(f"x/{i}", "") for i in range(20000)], level=0)
    elif name == "bad-utf8":
        parts = [(n, d) for n, d in P() if n != SST]
        parts.append((SST, f'<sst {NS}><si><t>'.encode() + b"\xff\xfe\xc0\xaf" + b"</t></si></sst>"))
        write(path, parts)
    elif name == "control-chars":       # read; the validator refuses them
        write(path, P(sst="<si><t>a_x0001_b_x001F_c_x0000_d</t></si>"))
    elif name == "rows-1m":             # 1,000,000 rows with a value
        with_sheet(path, row_chunks(1000000))
    elif name == "columns-16384":       # a row of 16,384 empty styled cells and one value
        write(path, P(sheet_data='<row r="1"><c r="A1"><v>1</v></c>' + "".join(
            f'<c s="0"/>' for _ in range(16383)) + "</row>"))
    elif name == "distinct-names":      # 1,000,000 made-up attribute and element names
        def gen():
            yield f'<worksheet {NS}><sheetData>'.encode()
            for i in range(0, 1000000, 1000):
                yield b"".join(b'<row r="%d" a%d="1"/><x%d/>' % (j + 1, j, j) for j in range(i, i + 1000))
            yield b"</sheetData></worksheet>"
        with_sheet(path, gen)
    elif name == "styles-many":         # 65,536 number formats and cell styles
        parts = P(sheet_data="".join(f'<row r="{i}"><c r="A{i}" s="{i * 997 % 65536}"><v>46348</v></c></row>'
                                     for i in range(1, 1001)))
        parts.append(("xl/styles.xml", f'<styleSheet {NS}><numFmts>' + "".join(
            f'<numFmt numFmtId="{i + 164}" formatCode="yyyy-mm-dd &quot;{i}&quot;"/>' for i in range(65536))
            + "</numFmts><cellXfs>" + "".join(f'<xf numFmtId="{i + 164}"/>' for i in range(65536))
            + "</cellXfs></styleSheet>"))
        parts = [(n, d.replace('<Relationship Id="rId2"', f'<Relationship Id="rId3" Type="{RT}styles" '
                                 'Target="styles.xml"/><Relationship Id="rId2"')
                  if n == "xl/_rels/workbook.xml.rels" else d) for n, d in parts]
        write(path, parts)
    elif name == "not-zip":             # a CSV under an .xlsx name
        open(path, "w", encoding="utf-8").write("标题,内容\n通知,正文\n")
    else:
        raise SystemExit(f"unknown case {name}")


ALL = ["good", "bomb-declared", "bomb-lying", "bomb-ratio", "bomb-total", "dotdot-entry",
       "absolute-entry", "backslash-entry", "duplicate-entry", "target-escape", "billion-laughs",
       "external-entity", "huge-dimension", "far-cell", "bad-ref", "sst-declared", "sst-index",
       "sst-amplified",
       "sst-100k", "truncated", "encrypted-entry", "encrypted-ole2", "deep", "long-tag",
       "many-entries", "bad-utf8", "control-chars", "rows-1m", "columns-16384", "distinct-names",
       "styles-many", "not-zip"]

if __name__ == "__main__":
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for n in sys.argv[2:] or ALL:
        make(n, os.path.join(out, n + ".xlsx"))
