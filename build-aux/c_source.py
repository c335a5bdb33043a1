# c_source.py — reading C sources as text, for build-aux/check-format-strings.py and
# build-aux/check-secrets.py.
import os
import re


def _literal_end(text, i):
    """@i is at the quote that opens a string or character literal: the index after it."""
    quote = text[i]
    j = i + 1
    n = len(text)
    while j < n and text[j] != quote:
        j += 2 if text[j] == '\\' else 1
    return j + 1


def chunks(text, start=0):
    """Walks C source from @start: yields (offset, chunk), a chunk being a whole string or
    character literal, a whole comment, or one other character."""
    i = start
    n = len(text)
    while i < n:
        if text[i] == '"' or text[i] == "'":
            j = _literal_end(text, i)
        elif text.startswith('/*', i):
            j = text.find('*/', i + 2)
            j = n if j < 0 else j + 2
        elif text.startswith('//', i):
            j = text.find('\n', i)
            j = n if j < 0 else j
        else:
            j = i + 1
        yield i, text[i:j]
        i = j


def strip_comments(text, keep_mark=None):
    """Blanks comments out, keeping newlines and string literals, so that offsets keep their
    lines. A comment that holds @keep_mark keeps the mark (at the comment's start)."""
    out = []
    for _, chunk in chunks(text):
        if chunk.startswith(('/*', '//')):
            keep = keep_mark if keep_mark is not None and keep_mark in chunk else ''
            blank = re.sub(r'[^\n]', ' ', chunk)
            chunk = keep + blank[len(keep):]
        out.append(chunk)
    return ''.join(out)


def c_files(directory):
    """(path, text) of each .c and .h file under @directory."""
    for root, _, files in os.walk(directory):
        for name in sorted(files):
            if name.endswith(('.c', '.h')):
                path = os.path.join(root, name)
                with open(path, encoding='utf-8') as f:
                    yield path, f.read()
