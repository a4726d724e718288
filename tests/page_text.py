"""Read a rendered report as its reader does and find what a partner would strike out.

:func:`visible_lines` extracts the text a browser shows from an HTML page (no scripts,
styles, head, hidden elements or image data): one line per block or table row, each with
the source line it starts on, plus the page's section headings. :func:`check_html` and
:func:`check_pdf` apply :data:`RULES` and the checks that need the whole page, and return
every :class:`Leak` with its page and line, not just the first.

What counts as ours, not the client's:

- Python values: ``None`` (but "None of the …" is English), ``nan``/``NaN``, ``inf``, a
  ``Traceback``, an ``…Error``;
- our source material and files: ``seed``/``种子``, ``client.yaml``, ``.csv`` or any file
  name with an extension we use;
- identifiers of the data contract (``playbook/data/contract.py``: table columns and
  ``client.yaml`` fields) and of the content files (every snake_case key or value in
  ``playbook/content/*.yaml``), derived from the code, so a new column is covered at once;
- a content text shown in the other language than the page's (a content key that was not
  translated), and a section heading with nothing under it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import yaml
from pydantic import BaseModel

from playbook.config import CONTENT_DIR
from playbook.data import contract

#: Elements whose content is never shown.
SKIPPED = {"script", "style", "head", "template", "noscript", "title"}
#: Elements without an end tag.
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}  # fmt: skip
#: Elements that start a new line of text.
BLOCKS = {"address", "article", "aside", "blockquote", "br", "caption", "dd", "details", "div",
          "dl", "dt", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5",
          "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary",
          "table", "tbody", "thead", "tfoot", "tr", "ul"}  # fmt: skip
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
#: Elements that are content of a section even without text.
CONTENT_ELEMENTS = {"img", "svg", "canvas", "table", "video", "iframe"}

_NOT_WORD = r"(?<![A-Za-z0-9_])"
_END_WORD = r"(?![A-Za-z0-9_])"
#: (what was found, pattern) for every line of visible text.
RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("None", re.compile(rf"{_NOT_WORD}None{_END_WORD}(?!\s+[a-z])")),
    ("nan", re.compile(rf"{_NOT_WORD}nan{_END_WORD}", re.IGNORECASE)),
    ("inf", re.compile(rf"{_NOT_WORD}inf(?:inity)?{_END_WORD}", re.IGNORECASE)),
    ("Traceback", re.compile(r"Traceback")),
    ("Error", re.compile(r"(?<![A-Za-z])[A-Za-z]*Error(?![a-z])")),
    ("seed", re.compile(r"(?<![A-Za-z])seeds?(?![A-Za-z])", re.IGNORECASE)),
    ("种子", re.compile(r"种子")),
    ("client.yaml", re.compile(r"client\.ya?ml")),
    (".csv", re.compile(r"\.csv\b", re.IGNORECASE)),
    (
        "file name",
        re.compile(r"\b(?!client\.ya?ml\b)[\w-]+\.(?:ya?ml|xlsx|parquet|ipynb|py|json)\b"),
    ),
)
_IDENTIFIER = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+_?")
_SNAKE = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)+_?")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Leak:
    """One thing on one line of one page that a client must not see."""

    page: str
    line: int
    rule: str
    text: str

    def __str__(self) -> str:
        """Return ``page:line: rule: text`` (the text cut to 160 characters)."""
        text = self.text if len(self.text) <= 160 else self.text[:157] + "…"
        return f"{self.page}:{self.line}: {self.rule}: {text}"


@dataclass(frozen=True)
class Line:
    """A line of visible text and the source line it starts on."""

    number: int
    text: str


@dataclass(frozen=True)
class Heading:
    """A section heading, its level, its text and whether anything follows it."""

    number: int
    level: int
    text: str
    has_content: bool


class _VisibleText(HTMLParser):
    """Collect visible text lines and headings (see the module notes)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[Line] = []
        self.headings: list[dict] = []
        self._parts: list[str] = []
        self._start = 0
        self._skip: list[str] = []  # open skipped elements (their tags)
        self._heading: dict | None = None

    def _flush(self) -> None:
        text = _SPACES.sub(" ", "".join(self._parts)).strip(" \t|")
        if text:
            self.lines.append(Line(self._start, text))
            if self._heading is not None:
                self._heading["text"] += text
            elif self.headings:
                self.headings[-1]["content"] = True
        self._parts = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._skip:
            if tag == self._skip[-1] and tag not in VOID:
                self._skip.append(tag)
            return
        style = (dict(attrs).get("style") or "").replace(" ", "").lower()
        hidden = any(name == "hidden" for name, _ in attrs) or "display:none" in style
        if tag in SKIPPED or hidden:
            if tag not in VOID:
                self._skip.append(tag)
            return
        if tag in BLOCKS:
            self._flush()
        if tag in ("td", "th"):
            self._parts.append(" | ")
        if tag in HEADINGS:
            self._flush()
            self._heading = {"number": self.getpos()[0], "level": int(tag[1]), "text": ""}
        elif tag in CONTENT_ELEMENTS and self.headings and self._heading is None:
            self.headings[-1]["content"] = True

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if self._skip:
            if tag == self._skip[-1]:
                self._skip.pop()
            return
        if tag in BLOCKS or tag in HEADINGS:
            self._flush()
        if tag in HEADINGS and self._heading is not None:
            self.headings.append({**self._heading, "content": False})
            self._heading = None

    def handle_data(self, data: str) -> None:
        if self._skip or not data.strip() and not self._parts:
            return
        if not "".join(self._parts).strip(" |"):
            self._start = self.getpos()[0] + data[: len(data) - len(data.lstrip())].count("\n")
        self._parts.append(data)

    def close(self) -> None:
        super().close()
        self._flush()


def visible_lines(page: str) -> tuple[list[Line], list[Heading]]:
    """Return the visible lines of an HTML page and its headings, in reading order."""
    parser = _VisibleText()
    parser.feed(page)
    parser.close()
    headings = [
        Heading(h["number"], h["level"], h["text"].strip(), h["content"]) for h in parser.headings
    ]
    return parser.lines, headings


def _model_fields(model: type[BaseModel]) -> Iterator[str]:
    yield from model.model_fields


@cache
def contract_identifiers() -> frozenset[str]:
    """Return every snake_case name of the data contract: columns and client.yaml fields."""
    names = {c.name for t in contract.TABLES.values() for c in (*t.columns, *t.prefix_columns)}
    for value in vars(contract).values():
        if isinstance(value, type) and issubclass(value, BaseModel) and value is not BaseModel:
            names.update(_model_fields(value))
    return frozenset(n for n in names if "_" in n and not n.startswith("_"))


def _yaml_names(node: object) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield str(key)
            yield from _yaml_names(value)
    elif isinstance(node, list):
        for item in node:
            yield from _yaml_names(item)
    elif isinstance(node, str) and _SNAKE.fullmatch(node):
        yield node


def _content_files(content_dir: Path) -> list[object]:
    return [
        yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(content_dir.glob("*.yaml"))
    ]


@cache
def content_identifiers(content_dir: Path = CONTENT_DIR) -> frozenset[str]:
    """Return every snake_case key and value of the content files (ids, keys, labels)."""
    names = (n for doc in _content_files(content_dir) for n in _yaml_names(doc))
    return frozenset(n for n in names if _SNAKE.fullmatch(n))


def identifiers() -> frozenset[str]:
    """Return the names of the contract and of the content that a client must not see."""
    return contract_identifiers() | content_identifiers()


def _texts(node: object) -> Iterator[tuple[str, str]]:
    if isinstance(node, dict):
        if {"zh", "en"} <= set(node) and all(isinstance(node[k], str) for k in ("zh", "en")):
            yield node["zh"], node["en"]
        for value in node.values():
            yield from _texts(value)
    elif isinstance(node, list):
        for item in node:
            yield from _texts(item)


def _normal(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


@cache
def content_texts(content_dir: Path = CONTENT_DIR) -> dict[str, frozenset[str]]:
    """Return the content's texts by language, without those the same in both languages."""
    pairs = [
        (_normal(zh), _normal(en))
        for doc in _content_files(content_dir)
        for zh, en in _texts(doc)
        if "{" not in zh + en  # templates are filled in: never shown as written
    ]
    shared = {zh for zh, en in pairs if zh == en}
    return {
        "zh": frozenset(zh for zh, _ in pairs if zh not in shared),
        "en": frozenset(en for _, en in pairs if en not in shared),
    }


def check_line(page: str, line: Line, names: frozenset[str] | None = None) -> list[Leak]:
    """Return what :data:`RULES` and the contract and content names find on one line."""
    names = identifiers() if names is None else names
    prefixes = tuple(n for n in names if n.endswith("_"))  # column families: expectation_*
    leaks = [Leak(page, line.number, rule, line.text) for rule, p in RULES if p.search(line.text)]
    leaks += [
        Leak(page, line.number, f"internal name {word}", line.text)
        for word in dict.fromkeys(_IDENTIFIER.findall(line.text))
        if word in names or word.startswith(prefixes)
    ]
    return leaks


def _other_language(page: str, lines: Iterable[Line], lang: str) -> list[Leak]:
    other = content_texts()["en" if lang == "zh" else "zh"]
    leaks = []
    for line in lines:
        for cell in (c.strip() for c in line.text.split(" | ")):
            if cell in other:
                leaks.append(Leak(page, line.number, f"not in {lang}", cell))
    return leaks


def page_language(page: str) -> str:
    """Return "zh" or "en" from the page's ``<html lang>`` (en when it says nothing)."""
    match = re.search(r"<html\b[^>]*\blang=\"([^\"]+)\"", page[:2000])
    return "zh" if match and match.group(1).lower().startswith("zh") else "en"


def check_html(name: str, page: str) -> list[Leak]:
    """Return every leak on an HTML page: rules, names, language and empty sections."""
    lines, headings = visible_lines(page)
    leaks = [leak for line in lines for leak in check_line(name, line)]
    leaks += _other_language(name, lines, page_language(page))
    for i, heading in enumerate(headings):
        if not heading.text:
            leaks.append(Leak(name, heading.number, "empty heading", f"<h{heading.level}>"))
        elif not heading.has_content and not _has_sub_content(headings, i):
            leaks.append(Leak(name, heading.number, "empty section", heading.text))
    return leaks


def _has_sub_content(headings: list[Heading], i: int) -> bool:
    """Whether a heading's subsections (lower-level headings before the next) have content."""
    for h in headings[i + 1 :]:
        if h.level <= headings[i].level:
            return False
        if h.has_content:
            return True
    return False


def check_pdf_text(name: str, pages: Iterable[str]) -> list[Leak]:
    """Return every rule and name leak in a PDF's text, by page ("report.pdf p. 3")."""
    leaks = []
    for number, text in enumerate(pages, start=1):
        for i, raw in enumerate(text.splitlines(), start=1):
            if raw.strip():
                leaks += check_line(f"{name} p. {number}", Line(i, _normal(raw)))
    return leaks


def check_pdf(path: Path) -> list[Leak]:
    """Return every leak in a PDF's text (pypdf's text extraction, page by page)."""
    from pypdf import PdfReader

    return check_pdf_text(path.name, (p.extract_text() or "" for p in PdfReader(path).pages))


def check_report(folder: Path) -> list[Leak]:
    """Return every leak in a rendered report folder: each HTML page, then the PDF if any."""
    leaks = []
    for page in sorted(Path(folder).glob("*.html")):
        leaks += check_html(f"{folder.name}/{page.name}", page.read_text(encoding="utf-8"))
    if (Path(folder) / "report.pdf").exists():
        leaks += check_pdf(Path(folder) / "report.pdf")
    return leaks
