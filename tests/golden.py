"""What qa answers on the seed questions, kept as a file so a refactor can prove it changed
nothing: every question's answer span and passages (sources and offsets, no timings or
scores), in hybrid mode with the default settings.

    python -m tests.golden --write     # after a change that is meant to change answers

`tests/test_golden.py` compares a fresh run with the file.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "data" / "golden" / "seed_answers.jsonl"


def snapshot(index) -> list[dict[str, Any]]:
    from qa.answer import ask
    from qa.eval.question_sets import load_questions
    from qa.search.base import SearchSettings

    rows = []
    for q in load_questions(ROOT / "seeds" / "questions.jsonl"):
        result = ask(index, q.question, SearchSettings()).to_json()
        answer = result["answer"]
        rows.append({
            "id": q.id,
            "answer": None if answer is None else
            [answer["source"], answer["start"], answer["end"], answer["text"]],
            "alternatives": [[a["source"], a["start"], a["end"]]
                             for a in result["alternatives"]],
            "passages": [[p["source"], p["start"], p["end"]] for p in result["passages"]],
        })
    return rows


def read_golden(path: Path = GOLDEN) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line]


def main(argv: list[str]) -> int:
    from qa.store.build import build_index
    from qa.store.index import load_index

    if argv != ["--write"]:
        print("usage: python -m tests.golden --write", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        index_dir = Path(tmp) / "index"
        build_index([ROOT / "seeds"], index_dir, root=ROOT, progress=False)
        rows = snapshot(load_index(index_dir))
    GOLDEN.parent.mkdir(parents=True, exist_ok=True)
    GOLDEN.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    print(f"wrote {len(rows)} answers to {GOLDEN.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
