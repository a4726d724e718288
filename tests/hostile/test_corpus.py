"""The hostile corpus: every case validated in a capped subprocess, with its stated outcome.

``make_corpus.py`` writes the cases (each a client folder of a few KB); ``runner.py``
validates each in its own forked child under a memory cap (``setrlimit(RLIMIT_AS)``) and a
time limit. A case fails on any traceback, timeout or crash, and unless the outcome is
the one the case states: accepted with the right values, or refused with a problem naming
the file, row, column (or YAML line) and the words expected. Every message, accepted or
refused, must be short and free of the corpus's secrets.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.hostile import make_corpus as corpus

HERE = Path(__file__).parent


CASES, SECRET, Accepted, Case, Refused = (
    corpus.CASES,
    corpus.SECRET,
    corpus.Accepted,
    corpus.Case,
    corpus.Refused,
)
write_corpus = corpus.write_corpus
#: Memory above the runner's own size each case may take, and seconds per case.
MEMORY_MB = 512
SECONDS = 30
#: An environment variable holding a secret, for the link to /proc/self/environ.
ENV_SECRET = "sk_env_CANARY_SECRET_d41d"


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> dict[str, dict]:
    """Write the corpus and run every case once; return the results by case name."""
    root = tmp_path_factory.mktemp("hostile")
    write_corpus(root)
    env = {**os.environ, "HOSTILE_CANARY_TOKEN": ENV_SECRET}
    done = subprocess.run(
        [
            sys.executable,
            str(HERE / "runner.py"),
            str(root),
            "--memory-mb",
            str(MEMORY_MB),
            "--seconds",
            str(SECONDS),
        ],
        capture_output=True,
        text=True,
        timeout=SECONDS * len(CASES),
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    lines = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    return {r["case"]: r for r in lines}


def test_the_corpus_has_at_least_sixty_small_cases(tmp_path):
    assert len(CASES) >= 60
    assert len({c.name for c in CASES}) == len(CASES)
    clients = write_corpus(tmp_path)
    sizes = {
        case.name: sum(
            p.lstat().st_size for p in (clients / case.name).iterdir() if not p.is_symlink()
        )
        for case in CASES
    }
    assert sorted(sizes.values())[len(sizes) // 2] < 5_000  # most cases: a few KB
    big = {name: size for name, size in sizes.items() if size > 100_000}
    assert big == {"yaml_too_large": big.get("yaml_too_large")}  # over 256 KB on purpose


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case(case: Case, results: dict[str, dict]):
    result = results[case.name]
    assert result["status"] == "ok", result.get("traceback", result)
    text = json.dumps(result, ensure_ascii=False)
    assert ENV_SECRET not in text, "the environment reached a message"
    if isinstance(case.expect, Refused):
        assert SECRET not in text, "a secret reached a message"
    expect = case.expect
    if isinstance(expect, Accepted):
        assert result["outcome"] == "accepted", result.get("error_text", result)
        for key, values in expect.values.items():
            table, column = key.split(".", 1)
            assert result["tables"][table]["columns"][column]["values"] == values, key
        return
    assert isinstance(expect, Refused)
    assert result["outcome"] == "refused", result
    problems = result["problems"]
    for p in problems:
        assert len(p["text"]) < 400, p["text"]
        assert "\x00" not in p["text"] and "\u202e" not in p["text"]
    matching = [
        p
        for p in problems
        if p["file"] == expect.file
        and p["row"] == expect.row
        and p["column"] == expect.column
        and (expect.line is None or p["line"] == expect.line)
        and expect.words in p["message"]
    ]
    assert matching, "\n".join(p["text"] for p in problems)
