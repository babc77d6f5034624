"""Every quote the service gives, for every evaluation question, is verbatim text of its record's page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from indexing.engine import Engine
from indexing.types import Citation

ROOT = Path(__file__).resolve().parents[2]


def _questions() -> list[str]:
    out = []
    for path in (ROOT / "corpus" / "dev_eval.jsonl", ROOT / "corpus" / "holdout" / "eval.jsonl"):
        out.extend(
            json.loads(line)["question"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
        )
    return out


def _on_its_page(engine: Engine, c: Citation) -> bool:
    chunks = [ch for ch in engine.store.document_chunks(c.document_id) if ch.page == c.page]
    return any(c.quote in ch.text for ch in chunks) and any(
        ch.char_start <= c.char_start
        and c.char_end <= ch.char_end
        and ch.text[c.char_start - ch.char_start :].startswith(c.quote)
        for ch in chunks
    )


@pytest.mark.usefixtures("doc_ids")
def test_every_quote_of_every_eval_question_is_verbatim(engine: Engine) -> None:
    questions = _questions()
    assert len(questions) >= 195
    answered = 0
    for q in questions:
        ans = engine.ask(q)
        answered += ans.found
        for c in [*ans.citations, *ans.related]:
            assert _on_its_page(engine, c), (q, c.filename, c.page, c.quote)
        assert len({(c.document_id, c.page, c.char_start) for c in ans.citations}) == len(ans.citations), q
    assert answered > 0
