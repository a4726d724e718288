"""Quote a value from a user's file in a message: short, single-line, with no raw bytes.

Messages name what was wrong (``got '2024-13-01'``); the value comes from a file that may
hold anything — a 5 MB cell, a control character, markup, a secret read through a link.
``excerpt`` keeps at most ``limit`` characters of it, escapes anything that is not
printable (Python's ``repr`` rules: ``\\x00``, ``\\n``, ``\\u202e``) and never expands a
nested value beyond a few items, so building a message costs the same for any input.
"""

from __future__ import annotations

import reprlib

#: Characters of a value quoted in a message before it is cut with "…".
EXCERPT_CHARS = 60

_REPR = reprlib.Repr()
_REPR.maxlevel = 2
_REPR.maxstring = EXCERPT_CHARS
_REPR.maxother = EXCERPT_CHARS
_REPR.maxlist = _REPR.maxtuple = _REPR.maxdict = _REPR.maxset = 4
_REPR.maxlong = 40


def excerpt(value: object, limit: int = EXCERPT_CHARS) -> str:
    """Return a short, printable quotation of a value for a message.

    Text is quoted like ``repr`` (``'Café'``) with non-printable characters escaped and
    cut after ``limit`` characters (``'aaaa…' (5,000,000 characters)``); lists and
    mappings show their first items only.

    Args:
        value: Any value read from a user's file.
        limit: The most characters of text to show.

    Returns:
        The quotation, at most about ``limit + 40`` characters long.
    """
    if isinstance(value, bytes):
        value = value[: limit * 4].decode("utf-8", "replace")
    if isinstance(value, str):
        if len(value) <= limit:
            return repr(value)
        quoted = repr(value[:limit])
        return f"{quoted[:-1]}…{quoted[-1]} ({len(value):,} characters)"
    try:
        text = _REPR.repr(value)
    except Exception:  # a hostile __repr__ never breaks a message
        text = f"<{type(value).__name__}>"
    return text if len(text) <= limit + 20 else text[: limit + 20] + "…"
