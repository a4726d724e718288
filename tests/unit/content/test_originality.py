"""Our words, not the seeds': no content string repeats a run of 12+ characters of a seed.

The seed articles (Traditional Chinese web copies, kept outside the repository) are not
shipped. What is shipped is their fingerprint, ``seed_windows.bin``: a 6-byte BLAKE2b digest
of every 12-character window of each seed after conversion to Simplified Chinese, Unicode
NFKC folding (full-width punctuation and digits become ASCII), lower case and removal of all
whitespace. A content string goes through the same folding; any of its windows whose digest
is in the fingerprint is a run copied from a seed.

Citations are names, not sentences, so three things are left out of the check: the
``source`` of a reference case (e.g. "QuestMobile、光大证券研究所"), the cited ``basis`` of a
benchmark target, and any title quoted in 《…》.

Regenerate the fingerprint when the seeds change (needs ``pip install opencc-purepy``, which
is not a project dependency)::

    python tests/unit/content/test_originality.py /work/shared/seeds
"""

from __future__ import annotations

import hashlib
import re
import sys
import unicodedata
from collections.abc import Iterator
from pathlib import Path

from pydantic import BaseModel

#: Shortest copied run that fails the check.
WINDOW = 12
DIGEST_SIZE = 6
FINGERPRINT = Path(__file__).with_name("seed_windows.bin")
_TITLE = re.compile(r"《[^》]*》")
#: (field, model) pairs that cite a source by name rather than say something in our words.
CITATIONS = {("source", "Case"), ("basis", "ProfileTarget")}
_SPACE = re.compile(r"\s+")


def fold(text: str) -> str:
    """Return ``text`` folded for comparison: NFKC, lower case, no whitespace."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text)).lower()


def digest(window: str) -> bytes:
    """Return the fingerprint digest of one window."""
    return hashlib.blake2b(window.encode("utf-8"), digest_size=DIGEST_SIZE).digest()


def copied_runs(text: str, seen: set[bytes]) -> list[str]:
    """Return the runs of ``text`` (folded) of WINDOW or more characters found in a seed."""
    runs: list[str] = []
    for piece in _TITLE.split(text):
        folded = fold(piece)
        start = end = None
        for i in range(len(folded) - WINDOW + 1):
            if digest(folded[i : i + WINDOW]) in seen:
                if end is not None and i <= end:
                    end = i + WINDOW
                else:
                    if start is not None:
                        runs.append(folded[start:end])
                    start, end = i, i + WINDOW
        if start is not None:
            runs.append(folded[start:end])
    return runs


def load_fingerprint(path: Path = FINGERPRINT) -> set[bytes]:
    """Read the fingerprint file into a set of digests."""
    raw = path.read_bytes()
    return {raw[i : i + DIGEST_SIZE] for i in range(0, len(raw), DIGEST_SIZE)}


def _strings(obj: object, where: str) -> Iterator[tuple[str, str]]:
    """Yield every string inside a content model with where it sits (citations skipped)."""
    if isinstance(obj, str):
        yield where, obj
    elif isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            if (name, type(obj).__name__) in CITATIONS:
                continue
            yield from _strings(getattr(obj, name), f"{where}.{name}")
    elif isinstance(obj, (list, tuple)):
        for i, item in enumerate(obj):
            yield from _strings(item, f"{where}[{i}]")
    elif isinstance(obj, dict):
        for key, item in obj.items():
            yield from _strings(item, f"{where}.{key}")


def _content_strings() -> list[tuple[str, str]]:
    from playbook.content import benchmarks, common, frameworks

    found = list(_strings(common(), "common")) + list(_strings(benchmarks(), "benchmarks"))
    for fw in frameworks():
        found.extend(_strings(fw, fw.id))
    return found


# --- tests ---------------------------------------------------------------------------------


def test_no_content_string_copies_a_run_of_a_seed():
    seen = load_fingerprint()
    strings = _content_strings()
    assert len(strings) > 1000
    copied = [
        f"{where}: {run!r} ({len(run)} characters)"
        for where, text in strings
        for run in copied_runs(text, seen)
    ]
    assert not copied, "copied from a seed:\n" + "\n".join(copied)


def test_the_check_finds_a_copied_run_and_ignores_titles_and_short_overlaps():
    # a fingerprint made from one seed-like sentence, folded as the seeds are
    seed = fold("瑞幸重点布局办公场所，精准聚焦年轻人和白领人群。")
    seen = {digest(seed[i : i + WINDOW]) for i in range(len(seed) - WINDOW + 1)}

    assert copied_runs("据报道：瑞幸重点布局办公场所，精准聚焦年轻人。", seen) == [
        "瑞幸重点布局办公场所,精准聚焦年轻人"
    ]
    # full-width/half-width punctuation and spaces do not hide a copy
    assert copied_runs("瑞幸 重点布局办公场所, 精准聚焦", seen) == ["瑞幸重点布局办公场所,精准聚焦"]
    # eleven characters in common is not a copy; a title in 《…》 is a citation
    assert copied_runs("瑞幸重点布局办公场所，而且……", seen) == []
    assert copied_runs("见《瑞幸重点布局办公场所，精准聚焦年轻人》一文", seen) == []


def test_the_fingerprint_is_whole_digests():
    raw = FINGERPRINT.read_bytes()
    assert raw and len(raw) % DIGEST_SIZE == 0
    assert len(load_fingerprint()) == len(raw) // DIGEST_SIZE  # sorted, no duplicates


def _write_fingerprint(seeds_dir: Path) -> int:
    """Write the fingerprint of every ``*.txt`` seed in ``seeds_dir``; return the digest count."""
    from opencc_purepy import OpenCC  # not a project dependency: only to regenerate

    to_simplified = OpenCC("t2s")
    digests: set[bytes] = set()
    for path in sorted(seeds_dir.glob("*.txt")):
        text = fold(to_simplified.convert(path.read_text(encoding="utf-8")))
        digests.update(digest(text[i : i + WINDOW]) for i in range(len(text) - WINDOW + 1))
    FINGERPRINT.write_bytes(b"".join(sorted(digests)))
    return len(digests)


if __name__ == "__main__":
    print(f"{_write_fingerprint(Path(sys.argv[1]))} windows written to {FINGERPRINT}")
