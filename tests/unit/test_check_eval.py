"""The sample corpus is consistent (`python -m corpus.check_eval`): every gold quote is verbatim on its page as
ingestion reads it, every register amount is written on its page, manifests name existing records."""

from __future__ import annotations

import pytest

from corpus import check_eval


def test_the_corpus_validates(capsys: pytest.CaptureFixture[str]) -> None:
    assert check_eval.main() == 0
    assert capsys.readouterr().out.splitlines()[-1] == "OK"


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (4_000_000.0, "aprobó una donación de cuatro millones de euros"),
        (4_200_000.0, "| Fondo | 4 200 000 | 2023 |"),
        (850_000.0, "| Bélgica | Bruselas 2019 | 850 | Ejecutado |"),
        (12_300_000.0, "USD 12.300.000"),
        (12_300_000.0, "USD 12,3 millones"),
    ],
)
def test_amount_spellings_a_record_may_use(amount: float, text: str) -> None:
    assert check_eval.written(amount, text) is True


def test_an_amount_inside_a_longer_number_is_not_written() -> None:
    assert check_eval.written(850_000.0, "| Bélgica | 1.850 |") is False
