# c_source.py — reading C sources as text, for build-aux/check-format-strings.py and
# build-aux/check-secrets.py.
import os
import re


def literal_end(text, i):
    """@i is at the quote that opens a string or character literal: the index after it."""
    quote = text[i]
    j = i + 1
    n = len(text)
    while j < n and text[j] != quote:
        j += 2 if text[j] == '\\' else 1
    return j + 1


def strip_comments(text, keep_mark=None):
    """Blanks comments out, keeping newlines and string literals, so that offsets keep their
    lines. A comment that holds @keep_mark keeps the mark (at the comment's start)."""
    out = []
    i = 0
    n = len(text)
    while i < n:
        c = text[i]
        if c == '"' or c == "'":
            j = literal_end(text, i)
            out.append(text[i:j])
            i = j
        elif text.startswith('/*', i) or text.startswith('//', i):
            if text.startswith('/*', i):
                j = text.find('*/', i + 2)
                j = n if j < 0 else j + 2
            else:
                j = text.find('\n', i)
                j = n if j < 0 else j
            comment = text[i:j]
            keep = keep_mark if keep_mark is not None and keep_mark in comment else ''
            blank = re.sub(r'[^\n]', ' ', comment)
            out.append(keep + blank[len(keep):])
            i = j
        else:
            out.append(c)
            i += 1
    return ''.join(out)


def c_files(directory):
    """(path, text) of each .c and .h file under @directory."""
    for root, _, files in os.walk(directory):
        for name in sorted(files):
            if name.endswith(('.c', '.h')):
                path = os.path.join(root, name)
                with open(path, encoding='utf-8') as f:
                    yield path, f.read()
