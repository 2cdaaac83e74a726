#!/usr/bin/python3
"""docsteps.py — the commands an installer is told to type, read from the
docs themselves, for tests/e2e/t-install-docs.sh.

Usage: docsteps.py FILE:HEADING-PREFIX...

For each FILE:HEADING-PREFIX, the section whose "## " heading starts with
HEADING-PREFIX (up to the next "## " heading) is read in order, and one line
is printed per step, tab-separated: FILE:LINE, FILE:HEADING-PREFIX, KIND,
TEXT, where KIND is
  sh    a line of a ```sh block (its trailing "# comment" dropped)
  cmd   an inline `code` span that starts with a command word (below): a
        command, or a program named in a sentence
  conf  an inline `[section] key = value` span (a config edit)
Inline spans may run over a line break (joined with a space)."""
import re
import sys

WORDS = {"deploy/install.sh", "systemctl", "noticeboard-sync", "noticeboard", "make", "userdel",
         "runuser", "mount", "umount", "systemd-analyze", "timedatectl", "journalctl", "minisign"}


def section(path, prefix):
    lines = open(path, encoding="utf-8").read().split("\n")
    start = None
    for i, l in enumerate(lines):
        if start is None and l.startswith("## ") and l[3:].startswith(prefix):
            start = i
        elif start is not None and l.startswith("## "):
            return lines, start, i
    if start is None:
        sys.exit(f"docsteps: no section '## {prefix}' in {path}")
    return lines, start, len(lines)


def steps(path, prefix):
    lines, a, b = section(path, prefix)
    out = []
    i = a + 1
    while i < b:
        l = lines[i]
        if l.strip().startswith("```"):
            lang = l.strip()[3:].strip()
            j = i + 1
            while j < b and not lines[j].strip().startswith("```"):
                if lang == "sh":
                    c = re.sub(r"\s+#.*$", "", lines[j]).strip()
                    if c and not c.startswith("#"):
                        out.append((j + 1, "sh", c))
                j += 1
            i = j + 1
            continue
        # Inline spans: a paragraph at a time, so a span may cross a line end.
        j = i
        para = []
        while j < b and lines[j].strip() and not lines[j].strip().startswith("```"):
            para.append(lines[j])
            j += 1
        if not para:
            i += 1
            continue
        text = " ".join(para)
        for m in re.finditer(r"`([^`]+)`", text):
            span = re.sub(r"\s+", " ", m.group(1)).strip()
            # the line of the paragraph the span starts on
            at = i + 1 + text[:m.start()].count("\n")
            pos, n = m.start(), 0
            for k, p in enumerate(para):
                n += len(p) + 1
                if pos < n:
                    at = i + 1 + k
                    break
            if re.match(r"^\[[a-z]+\] [a-z_]+ = \S", span):
                out.append((at, "conf", span))
            elif span.split(" ")[0] in WORDS:
                out.append((at, "cmd", span))
        i = j
    return out


for arg in sys.argv[1:]:
    path, prefix = arg.split(":", 1)
    for line, kind, text in steps(path, prefix):
        print(f"{path}:{line}\t{arg}\t{kind}\t{text}")
