#!/usr/bin/python3
"""mkpdf.py DIR — writes the hostile PDFs of tests/robust/r-pdf.sh into DIR,
one file per case, named CASE.pdf (tests/robust/pdf-cases.tsv says what
each must give).  Plain Python (zlib) plus qpdf for the encrypted one, both
Debian; the big ones are made here rather than committed (a few MB each).
mkpdf.py --seeds DIR writes the small seed corpus of tests/fuzz/corpus/pdf.

  deep-nesting     an array nested 100,000 deep in the page dictionary
  huge-page        a MediaBox of 3,000,000 x 3,000,000 points
  narrow-page      a page 40 x 14,000 points (aspect 350)
  pages-10000      a real page tree of 10,000 pages
  count-lie        /Count 10000 over a single page
  no-pages         /Count 0, no kids
  bomb-content     a content stream that inflates to 1 GB of "q Q" operators
  bomb-image       a 20000 x 20000 RGB image XObject, 1.2 GB inflated
  bomb-font        an embedded TrueType font program that inflates to 1 GB
  laughs           forms nested 9 deep, each drawing the next 10 times: a
                   2 KB page that draws a billion squares
  truncated        the 3-page notice cut at 60 %
  xref-loop        an xref section whose /Prev is itself, and a second
                   xref whose /Prev points back to the first
  ref-cycle        /Contents an indirect object that is a reference to itself
  tree-cycle       a Pages node that lists its own parent as a kid
  encrypted        the notice with a user password (AES-256, qpdf)
  not-pdf-png      a PNG named .pdf
  not-pdf-docx     a ZIP (a .docx) named .pdf
  empty            zero bytes
  too-big          33 MB (a header, a comment, %%EOF): over the 32 MB cap
"""
import os
import subprocess
import sys
import zlib

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NOTICE = os.path.join(TOP, "tests/fixtures/pdf/notice-3p.pdf")


def write_pdf(path, objects, trailer_extra=b"", xref=True):
    """objects: list of bytes bodies numbered from 1 (1 = catalog)."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    start = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, trailer_extra, start)
    with open(path, "wb") as f:
        f.write(out)
    return out


def stream(dict_extra, data, compress=False):
    if compress:
        data = zlib.compress(data, 9)
        dict_extra += b" /Filter /FlateDecode"
    return b"<< /Length %d %s >>\nstream\n" % (len(data), dict_extra) + data + b"\nendstream"


def bomb(unit, total, prefix=b""):
    """A zlib stream of prefix, then `unit` repeated to about `total` bytes.  One 1 MiB
    block is compressed once, ended with a full flush (which resets the
    compressor, so every copy of the block is the same bytes), and repeated;
    the Adler-32 trailer is computed over the whole.  Seconds, not minutes."""
    chunk = unit * ((1 << 20) // len(unit))
    count = max(1, total // len(chunk))
    co = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = co.compress(prefix) + co.flush(zlib.Z_FULL_FLUSH)
    block = co.compress(chunk) + co.flush(zlib.Z_FULL_FLUSH)
    again = co.compress(chunk) + co.flush(zlib.Z_FULL_FLUSH)
    assert block == again
    adler = zlib.adler32(prefix)
    for _ in range(count):
        adler = zlib.adler32(chunk, adler)
    return b"\x78\xda" + head + block * count + co.flush() + adler.to_bytes(4, "big")


# Something to see: a page that renders must not come out blank.
BOX = b"0 0 1 rg 100 100 395 642 re f"


def simple(path, page_extra=b"", mediabox=b"[0 0 595 842]", content=BOX, more=()):
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox %s /Contents 4 0 R %s >>" % (mediabox, page_extra),
            stream(b"", content)] + list(more)
    write_pdf(path, objs)


def laughs(path, depth=9, fan=10):
    draw = b" ".join([b"/X Do"] * fan)
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /XObject << /X 5 0 R >> >> >>",
            stream(b"", BOX + b" /X Do")]
    for i in range(depth):
        objs.append(stream(b"/Type /XObject /Subtype /Form /BBox [0 0 595 842] "
                           b"/Resources << /XObject << /X %d 0 R >> >>" % (6 + i), draw))
    objs.append(stream(b"/Type /XObject /Subtype /Form /BBox [0 0 595 842]", BOX))
    write_pdf(path, objs)


def page_with(content, resources=b"", more=(), mediabox=b"[0 0 595 842]", annots=b""):
    """Objects of a one-page PDF whose extra objects start at 5."""
    return [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox %s /Contents 4 0 R /Resources << %s >> %s >>"
            % (mediabox, resources, annots),
            stream(b"", content)] + list(more)


def seeds(d):
    """Small, varied, mostly valid PDFs for the fuzzer to start from."""
    os.makedirs(d, exist_ok=True)
    p = lambda name: os.path.join(d, name + ".pdf")
    fix = os.path.join(TOP, "tests/fixtures/pdf")
    for name in ("nonembedded", "locked", "restricted"):
        with open(os.path.join(fix, name + ".pdf"), "rb") as f, open(p("fixture-" + name), "wb") as g:
            g.write(f.read())
    src = os.path.join(fix, "nonembedded.pdf")
    for name, args in (("xref-stream", ["--object-streams=generate"]),
                       ("linearized", ["--linearize"]),
                       ("qdf", ["--qdf", "--object-streams=disable"])):
        subprocess.run(["qpdf"] + args + ["--", src, p("qpdf-" + name)], check=True)
    simple(p("box"))
    simple(p("huge-page"), mediabox=b"[0 0 3000000 3000000]")
    simple(p("narrow-page"), mediabox=b"[0 0 40 14000]")
    simple(p("rotated"), page_extra=b"/Rotate 90 /CropBox [50 50 500 700]")
    simple(p("deep-nesting"), page_extra=b"/Junk " + b"[" * 2000 + b"]" * 2000)
    laughs(p("laughs"), depth=4, fan=4)
    helv = b"/Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >>"
    write_pdf(p("helvetica"), page_with(
        b"BT /F1 36 Tf 72 700 Td (Notice board) Tj 0 -50 Td 2 Tr (outline) Tj ET", helv))
    with open(os.path.join(TOP, "tests/fixtures/images/small.jpg"), "rb") as f:
        jpg = f.read()
    write_pdf(p("jpeg-image"), page_with(
        b"q 400 0 0 300 100 400 cm /Im1 Do Q", b"/XObject << /Im1 5 0 R >>",
        [b"<< /Type /XObject /Subtype /Image /Width 64 /Height 48 /ColorSpace /DeviceRGB "
         b"/BitsPerComponent 8 /Filter /DCTDecode /Length %d >>\nstream\n" % len(jpg) + jpg
         + b"\nendstream"]))
    gray = bytes((x * 255 // 15) for y in range(16) for x in range(16))
    write_pdf(p("flate-image"), page_with(
        b"q 300 0 0 300 100 400 cm /Im1 Do Q BI /W 4 /H 4 /CS /G /BPC 8 ID "
        + bytes(range(0, 256, 16)) + b" EI", b"/XObject << /Im1 5 0 R >>",
        [stream(b"/Type /XObject /Subtype /Image /Width 16 /Height 16 /ColorSpace /DeviceGray "
                b"/BitsPerComponent 8", gray, compress=True)]))
    write_pdf(p("shading"), page_with(
        b"q 100 100 400 600 re W n /Sh1 sh Q", b"/Shading << /Sh1 5 0 R >>",
        [b"<< /ShadingType 2 /ColorSpace /DeviceRGB /Coords [100 100 500 700] "
         b"/Function << /FunctionType 2 /Domain [0 1] /C0 [1 0 0] /C1 [0 0 1] /N 1 >> /Extend [true true] >>"]))
    write_pdf(p("transparency"), page_with(
        b"/GS1 gs 1 0 0 rg 100 100 300 300 re f 0 0 1 rg 200 200 300 300 re f",
        b"/ExtGState << /GS1 << /ca 0.5 /CA 0.5 /BM /Multiply >> >>"))
    write_pdf(p("stamp-annot"), page_with(
        BOX, b"", [b"<< /Type /Annot /Subtype /Stamp /Rect [300 600 500 750] /F 4 /AP << /N 6 0 R >> >>",
                   stream(b"/Type /XObject /Subtype /Form /BBox [0 0 200 150]",
                          b"1 0 0 RG 4 w 10 10 180 130 re S")],
        annots=b"/Annots [5 0 R]"))
    write_pdf(p("type3"), page_with(
        b"BT /T3 40 Tf 100 600 Td (aab) Tj ET",
        b"/Font << /T3 5 0 R >>",
        [b"<< /Type /Font /Subtype /Type3 /FontBBox [0 0 1000 1000] /FontMatrix [0.001 0 0 0.001 0 0] "
         b"/CharProcs << /a 6 0 R /b 7 0 R >> /Encoding << /Type /Encoding /Differences [97 /a /b] >> "
         b"/FirstChar 97 /LastChar 98 /Widths [1000 1000] >>",
         stream(b"", b"1000 0 0 0 1000 1000 d1 0 0 1000 1000 re f"),
         stream(b"", b"1000 0 0 0 1000 1000 d1 0 0 m 1000 1000 l 0 1000 l f")]))
    n = 25
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % (4 + i) for i in range(n)), n),
            stream(b"", BOX)]
    objs += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R >>"] * n
    write_pdf(p("pages-25"), objs)
    write_pdf(p("count-lie"), [b"<< /Type /Catalog /Pages 2 0 R >>",
                               b"<< /Type /Pages /Kids [3 0 R] /Count 10000 >>",
                               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
                               stream(b"", BOX)])
    write_pdf(p("tree-cycle"), [b"<< /Type /Catalog /Pages 2 0 R >>",
                                b"<< /Type /Pages /Kids [3 0 R] /Count 2 >>",
                                b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R 4 0 R] /Count 2 >>",
                                b"<< /Type /Page /Parent 3 0 R /MediaBox [0 0 595 842] >>"])
    write_pdf(p("ref-cycle"), [b"<< /Type /Catalog /Pages 2 0 R >>",
                               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
                               b"4 0 R"])
    # No xref at all: poppler rebuilds it by scanning.
    with open(p("box"), "rb") as f:
        whole = f.read()
    with open(p("no-xref"), "wb") as f:
        f.write(whole[: whole.index(b"xref")] + b"trailer\n<< /Root 1 0 R >>\n%%EOF\n")


def main(d):
    os.makedirs(d, exist_ok=True)
    p = lambda name: os.path.join(d, name + ".pdf")

    depth = 100000
    simple(p("deep-nesting"), page_extra=b"/Junk " + b"[" * depth + b"]" * depth)
    simple(p("huge-page"), mediabox=b"[0 0 3000000 3000000]")
    simple(p("narrow-page"), mediabox=b"[0 0 40 14000]")

    n = 10000
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
                b" ".join(b"%d 0 R" % (4 + i) for i in range(n)), n),
            stream(b"", b"BT /F1 12 Tf 72 720 Td (page) Tj ET")]
    objs += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R >>"] * n
    write_pdf(p("pages-10000"), objs)

    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 10000 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
            stream(b"", b"BT ET")]
    write_pdf(p("count-lie"), objs)
    write_pdf(p("no-pages"), [b"<< /Type /Catalog /Pages 2 0 R >>",
                              b"<< /Type /Pages /Kids [] /Count 0 >>"])

    # 1 GB of save/restore pairs: cheap to store, ~250 million operators.
    data = bomb(b"q Q ", 1 << 30)
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream"]
    write_pdf(p("bomb-content"), objs)

    side = 20000
    data = bomb(b"\0" * 4096, side * side * 3)
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /XObject << /Im1 5 0 R >> >> >>",
            stream(b"", b"q 595 0 0 842 0 0 cm /Im1 Do Q"),
            b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceRGB "
            b"/BitsPerComponent 8 /Length %d /Filter /FlateDecode >>\nstream\n" % (side, side, len(data))
            + data + b"\nendstream"]
    write_pdf(p("bomb-image"), objs)

    # A TrueType header, then 1 GB of zeros: the font program is read
    # whole before it is parsed.
    ttf = b"\x00\x01\x00\x00\x00\x04\x00\x80\x00\x02\x00\x00"
    data = bomb(b"\0", 1 << 30, prefix=ttf)
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            stream(b"", b"BT /F1 24 Tf 72 720 Td (Hello) Tj ET"),
            b"<< /Type /Font /Subtype /TrueType /BaseFont /Bomb /FirstChar 32 /LastChar 126 "
            b"/Widths [%s] /FontDescriptor 6 0 R >>" % b" ".join([b"500"] * 95),
            b"<< /Type /FontDescriptor /FontName /Bomb /Flags 32 /FontBBox [0 0 1000 1000] "
            b"/ItalicAngle 0 /Ascent 800 /Descent -200 /CapHeight 700 /StemV 80 /FontFile2 7 0 R >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream"]
    write_pdf(p("bomb-font"), objs)

    laughs(p("laughs"))

    with open(NOTICE, "rb") as f:
        notice = f.read()
    with open(p("truncated"), "wb") as f:
        f.write(notice[: len(notice) * 6 // 10])

    # xref-loop: two xref sections, each /Prev pointing at the other (and
    # the first at itself through a second trailer key is not allowed, so
    # the loop is A -> B -> A).
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
            stream(b"", BOX)]
    out = bytearray(b"%PDF-1.7\n")
    offs = []
    for i, body in enumerate(objs, 1):
        offs.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    first = len(out)
    table = b"xref\n0 5\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offs)
    # Both sections are the same size, so offsets can be computed up front.
    trailer_a = b"trailer\n<< /Size 5 /Root 1 0 R /Prev %010d >>\n"
    second = first + len(table) + len(trailer_a % 0)
    out += table + trailer_a % second
    out += table + b"trailer\n<< /Size 5 /Root 1 0 R /Prev %010d >>\n" % first
    out += b"startxref\n%d\n%%%%EOF\n" % second
    with open(p("xref-loop"), "wb") as f:
        f.write(out)

    write_pdf(p("ref-cycle"), [b"<< /Type /Catalog /Pages 2 0 R >>",
                               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
                               b"4 0 R"])
    write_pdf(p("tree-cycle"), [b"<< /Type /Catalog /Pages 2 0 R >>",
                                b"<< /Type /Pages /Kids [3 0 R] /Count 2 >>",
                                b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R 4 0 R] /Count 2 >>",
                                b"<< /Type /Page /Parent 3 0 R /MediaBox [0 0 595 842] >>"])

    subprocess.run(["qpdf", "--encrypt", "居民", "owner", "256", "--", NOTICE, p("encrypted")],
                   check=True)
    with open(os.path.join(TOP, "tests/fixtures/images/opaque.png"), "rb") as f:
        png = f.read()
    with open(p("not-pdf-png"), "wb") as f:
        f.write(png)
    import zipfile
    with zipfile.ZipFile(p("not-pdf-docx"), "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document>通知</w:document>")
    open(p("empty"), "wb").close()
    with open(p("too-big"), "wb") as f:
        f.write(b"%PDF-1.4\n%" + b" " * (33 << 20) + b"\n%%EOF\n")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--seeds":
        seeds(sys.argv[2])
    else:
        main(sys.argv[1])
