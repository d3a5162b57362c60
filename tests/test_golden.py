"""The seed questions answer exactly as recorded in tests/data/golden (see tests/golden.py):
a refactor that is not meant to change answers must not change one."""

from __future__ import annotations

import pytest

from tests.golden import read_golden, snapshot


@pytest.mark.slow
def test_seed_answers_and_passages_are_unchanged(seed_index):
    expected = {row["id"]: row for row in read_golden()}
    actual = {row["id"]: row for row in snapshot(seed_index)}
    assert actual.keys() == expected.keys()
    changed = [qid for qid in expected if actual[qid] != expected[qid]]
    assert not changed, (
        f"{len(changed)} seed answers changed ({', '.join(changed[:10])}); if that is "
        "intended, rewrite the record with `python -m tests.golden --write`")
