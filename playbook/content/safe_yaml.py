"""Read YAML safely: one loader for the firm's content files and for every client file.

Client files (``client.yaml``, ``assessment.yaml``, ``commentary.yaml``, …) come from
outside the firm, so the loader refuses whatever YAML can do besides plain data:

- **size**: a file larger than ``max_bytes`` (default ``MAX_YAML_BYTES``, 256 KB) is refused
  before it is parsed;
- **anchors and aliases** (``&name`` / ``*name``, the "billion laughs" bomb) are refused, so
  a value can never expand beyond the bytes in the file;
- **nesting** deeper than ``MAX_YAML_DEPTH`` levels is refused (no ``RecursionError``);
- **tags** other than the plain ones (``!!python/object``, ``!!binary``, ``!custom``) are
  refused: values are text, numbers, true/false, lists and mappings only;
- **a key given twice** in one mapping is refused with both lines (YAML would silently
  keep the second);
- **dates stay text** (``2024-05-01`` is the string ``"2024-05-01"``).

The firm's own content files, shipped inside the package, are parsed with ``trusted=True``:
by libyaml (C, ten times faster; every kernel reads them) when PyYAML has it, with the same
unique keys and dates as text, but without the checks on aliases, tags and nesting, which
only guard against files from outside.

Every refusal is a ``YamlError`` naming the file, the line and, where there is one, the key;
values are quoted with ``excerpt`` (short, escaped).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import yaml

from playbook.content.excerpt import excerpt

#: Largest YAML file read, in bytes (client.yaml and friends; content files pass their own).
MAX_YAML_BYTES = 256 * 1024
#: Deepest nesting of lists and mappings (a client.yaml needs 4, a content file 7).
MAX_YAML_DEPTH = 32

_PLAIN_TAGS = {None, "!"} | {
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "seq", "map")
}


class YamlError(ValueError):
    """A YAML file that is refused: unreadable, too big, or using more than plain data.

    Attributes:
        file: The file's name (never its full path).
        line: The 1-based line of the problem, when known.
        reason: What is wrong, in plain words.
    """

    def __init__(self, file: str, reason: str, line: int | None = None):
        self.file, self.reason, self.line = file, reason, line
        where = f"{file}, line {line}" if line is not None else file
        super().__init__(f"{where}: {reason}")


class _Refused(yaml.YAMLError):
    """Raised inside the loader; turned into a YamlError with the file name."""

    def __init__(self, reason: str, mark: yaml.Mark | None):
        super().__init__(reason)
        self.reason, self.line = reason, (mark.line + 1 if mark is not None else None)


class _UniqueKeys:
    """Loader part: a key given twice in one mapping is refused; dates stay strings."""

    # dates stay strings (as papermill's NoDatesSafeLoader keeps them)
    yaml_implicit_resolvers = {
        first: [r for r in resolvers if r[0] != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen: dict[object, int] = {}
        for key_node, _ in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise _Refused(
                    "a key must be plain text, not a list or mapping", key_node.start_mark
                )
            key = self.construct_object(key_node, deep=deep)
            line = key_node.start_mark.line + 1
            if key in seen:
                raise _Refused(
                    f"key {excerpt(key, 40)} is given twice (first at line {seen[key]}); keep one",
                    key_node.start_mark,
                )
            seen[key] = line
        return super().construct_mapping(node, deep)


#: The firm's content files: parsed in C when PyYAML has libyaml, else as client files.
_TRUSTED_BASE = yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader


class _TrustedLoader(_UniqueKeys, _TRUSTED_BASE):
    """A loader for the package's own content: unique keys, dates as text, parsed in C."""


class _PlainDataLoader(_UniqueKeys, yaml.SafeLoader):
    """A safe loader for plain data: no aliases, no exotic tags, bounded depth, unique keys."""

    max_depth = MAX_YAML_DEPTH

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise _Refused(
                f"uses an alias (*{excerpt(event.anchor, 30)[1:-1]}); aliases and anchors are "
                "not allowed: write each value out in full",
                event.start_mark,
            )
        if getattr(event, "anchor", None) is not None:
            raise _Refused(
                f"uses an anchor (&{excerpt(event.anchor, 30)[1:-1]}); aliases and anchors are "
                "not allowed: write each value out in full",
                event.start_mark,
            )
        tag = getattr(event, "tag", None)
        if tag not in _PLAIN_TAGS:
            shown = tag.replace("tag:yaml.org,2002:", "!!") if isinstance(tag, str) else tag
            raise _Refused(
                f"the tag {excerpt(shown, 40)[1:-1]} is not allowed: write plain text, numbers, "
                "true/false, lists and mappings only",
                event.start_mark,
            )
        self._depth += 1
        try:
            if self._depth > self.max_depth:
                raise _Refused(
                    f"is nested more than {self.max_depth} levels deep (lists or mappings "
                    "inside each other); flatten it",
                    event.start_mark,
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def parse_yaml(
    text: str, file: str = "<yaml>", *, max_depth: int = MAX_YAML_DEPTH, trusted: bool = False
) -> object:
    """Parse YAML text holding plain data only (see the module docstring for what is refused).

    Args:
        text: The decoded text of the file.
        file: The file name used in messages.
        max_depth: The deepest nesting of lists and mappings allowed.
        trusted: The package's own content (parsed in C; aliases, tags, nesting unchecked).

    Returns:
        The data: dicts, lists, strings, numbers, booleans and None. Dates stay strings.

    Raises:
        YamlError: Not valid YAML, or anything beyond plain data (aliases, tags, duplicate
            keys, deep nesting), naming the file and line.
    """
    loader = None
    try:
        if trusted:
            loader = _TrustedLoader(text)
        else:
            loader = _PlainDataLoader(text)
            loader.max_depth = max_depth
        return loader.get_single_data()
    except _Refused as exc:
        raise YamlError(file, exc.reason, exc.line) from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1 if isinstance(exc.position, int) else None
        raise YamlError(
            file,
            f"holds a character that YAML does not allow (U+{exc.character:04X}); "
            "remove it or save the file as plain UTF-8 text",
            line,
        ) from None
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark
        raise YamlError(
            file, f"is not plain data: {exc.problem}", mark.line + 1 if mark else None
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        raise YamlError(
            file,
            f"is not valid YAML: {exc.problem}" + (f" ({exc.context})" if exc.context else ""),
            mark.line + 1 if mark else None,
        ) from None
    except yaml.YAMLError as exc:
        raise YamlError(file, f"is not valid YAML: {excerpt(str(exc), 120)}") from None
    except RecursionError:  # a stack deeper than max_depth can reach: refuse, never crash
        raise YamlError(file, f"is nested too deeply (more than {max_depth} levels)") from None
    finally:
        if loader is not None:
            loader.dispose()


def load_yaml(
    path: str | Path,
    *,
    max_bytes: int = MAX_YAML_BYTES,
    max_depth: int = MAX_YAML_DEPTH,
    decode: Callable[[bytes], str] | None = None,
    trusted: bool = False,
) -> object:
    """Read a YAML file of plain data, refusing oversized files before parsing them.

    Args:
        path: The file.
        max_bytes: The largest file accepted (default 256 KB).
        max_depth: The deepest nesting of lists and mappings allowed.
        decode: Turns the file's bytes into text, raising ``ValueError`` with a message when
            it cannot; default UTF-8 (with or without BOM), strictly.
        trusted: The package's own content (see ``parse_yaml``).

    Returns:
        The data (see ``parse_yaml``).

    Raises:
        FileNotFoundError: When the file does not exist.
        YamlError: Too large, not decodable, not valid YAML or not plain data.
    """
    path = Path(path)
    with path.open("rb") as fh:
        raw = fh.read(max_bytes + 1)  # bounded even when the size on disk lies (/proc, pipes)
    if len(raw) > max_bytes:
        raise YamlError(
            path.name,
            f"is larger than {max_bytes // 1024:,} KB, the most a YAML file may hold; "
            "is this the right file?",
        )
    try:
        text = decode(raw) if decode is not None else _utf8(raw)
    except ValueError as exc:
        raise YamlError(path.name, str(exc)) from None
    return parse_yaml(text, path.name, max_depth=max_depth, trusted=trusted)


def _utf8(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise ValueError(
            f"line {line} is not UTF-8 text (byte 0x{raw[exc.start]:02x}); save the file as UTF-8"
        ) from None
