"""Wrap chart labels in Chinese and English without breaking a word.

English breaks between words. Chinese has no spaces, so a line may break only where a
reader would pause: after a comma or enumeration mark (、，；：), before an opening bracket,
before a conjunction (与 和 及 或), after 的, and between the two-character words of an
even-length run of six or more characters ("数据驱动营销决策" → "数据驱动 / 营销决策").
Any other run stays whole and may run past the width: "品牌化主题体验" never becomes
"品牌 / 化主题体验". Only a run half as long again as the width is cut between characters.
Widths count columns: a Chinese character counts two.
"""

from __future__ import annotations

import re
import unicodedata

_CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef"
_TOKEN = re.compile(rf"[{_CJK}]+|[^\s{_CJK}]+|\s+")
#: Never at the start of a line (closing punctuation).
_NO_LINE_START = set("，。、；：！？）》」』”’,.;:!?)%")
#: Never at the end of a line (opening brackets).
_NO_LINE_END = set("（《「『“‘(")
#: A Chinese line may break before these (conjunctions) ...
_BREAK_BEFORE = set("与及和或")
#: ... and after these (pauses and the particle 的).
_BREAK_AFTER = set("、，；：。！？的")
_PARENTHETICAL = re.compile(r"(.*?)([（(][^（()）]*[)）])?", re.S)
#: A run longer than this many times the width is cut between characters after all.
_HARD_LIMIT = 1.5


def text_width(text: str) -> int:
    """Return the width of ``text`` in columns (a Chinese character counts two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _is_ideograph(c: str) -> bool:
    return "\u4e00" <= c <= "\u9fff"


def _phrases(run: str) -> list[str]:
    """Split a run of Chinese characters where a line may break (see the module notes)."""
    parts: list[str] = []
    start = 0
    for i, c in enumerate(run):
        if i > start and (c in _BREAK_BEFORE or c in _NO_LINE_END):
            parts.append(run[start:i])
            start = i
        if c in _BREAK_AFTER:
            parts.append(run[start : i + 1])
            start = i + 1
    if start < len(run):
        parts.append(run[start:])
    out: list[str] = []
    for part in parts:
        if len(part) >= 6 and len(part) % 2 == 0 and all(map(_is_ideograph, part)):
            out += [part[i : i + 2] for i in range(0, len(part), 2)]  # two-character words
        else:
            out.append(part)
    return out


def _tokens(text: str, width: int) -> list[str]:
    """Return the words, spaces and Chinese phrases of ``text``, in order."""
    tokens: list[str] = []
    for token in _TOKEN.findall(text):
        if token.isspace() or text_width(token[0]) < 2:
            tokens.append(token)
            continue
        for phrase in _phrases(token):
            if text_width(phrase) > width * _HARD_LIMIT:
                tokens += list(phrase)  # far too long to keep whole: cut between characters
            else:
                tokens.append(phrase)
    return tokens


def wrap_text(text: str, width: int, max_lines: int | None = None) -> str:
    """Wrap text to about ``width`` columns, never inside a word; end "…" if cut.

    A Chinese phrase wider than ``width`` keeps a line to itself (see the module notes).
    Closing punctuation never starts a line, opening punctuation never ends one.
    """
    lines: list[str] = []
    line = ""
    for token in _tokens(text, width):
        if token.isspace():
            line = f"{line} " if line else line
            continue
        fits = text_width(line.rstrip() + token) <= width
        if line.strip() and not fits and token[0] not in _NO_LINE_START:
            carried = line[-1] if line[-1] in _NO_LINE_END else ""  # "（" opens the next line
            lines.append(line[: len(line) - len(carried)].rstrip())
            line = carried
        line += token
    if line.strip():
        lines.append(line.rstrip())
    if len(lines) > 1 and text_width(lines[-1]) <= 2 and " " not in text:
        lines[-2:] = [lines[-2] + lines[-1]]  # no lone character on the last line
    if max_lines is not None and len(lines) > max_lines:
        kept = lines[:max_lines]
        last = kept[-1]
        while last and text_width(last) + 1 > width:
            last = last[:-1]
        kept[-1] = last.rstrip() + "…"
        lines = kept
    return "\n".join(lines)


def balanced_wrap(text: str, width: int, max_lines: int | None = None) -> str:
    """Wrap like ``wrap_text`` in as few lines, but with lines of even length.

    "数据驱动营销决策" at 12 columns gives "数据驱动\n营销决策", not "数据驱动营销\n决策". Two
    lines that fit break before "与" or after "、" when the text has one. A closing
    parenthetical that does not fit starts its own line when the rest fits on one:
    "服务级别协议\n（SLA）".
    """
    head, paren = _PARENTHETICAL.fullmatch(text).groups()
    if paren and head.strip() and text_width(text) > width and text_width(head.rstrip()) <= width:
        rest = balanced_wrap(paren, width, None if max_lines is None else max_lines - 1)
        return f"{head.rstrip()}\n{rest}"
    splits = [i for i, c in enumerate(text) if c in _BREAK_BEFORE] + [
        i + 1 for i, c in enumerate(text[:-1]) if c in _BREAK_AFTER
    ]
    fitting = [
        i
        for i in splits
        if 0 < i < len(text) and max(text_width(text[:i]), text_width(text[i:])) <= width
    ]
    if text_width(text) > width and fitting:  # "客户需求洞察\n与价值主张": break at a word
        i = min(fitting, key=lambda i: abs(text_width(text[:i]) - text_width(text[i:])))
        return f"{text[:i]}\n{text[i:]}"
    best = wrap_text(text, width, max_lines)
    lines = best.count("\n")
    for narrower in range(width - 1, 1, -1):
        candidate = wrap_text(text, narrower, max_lines)
        if candidate.count("\n") != lines or candidate.endswith("…") != best.endswith("…"):
            break
        best = candidate
    return best
