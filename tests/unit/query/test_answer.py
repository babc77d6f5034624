"""Sentence scoring and abstention, with a deterministic fake backend (real subclass of the interface)."""

from __future__ import annotations

import numpy as np
import pytest

from indexing.query.answer import Answerer, coverage, question_terms, question_type
from indexing.types import Chunk


class FakeBackend:
    """Embeds by keyword buckets: deterministic, no model."""

    name = "fake"
    dim = 4
    KEYS = ("españa", "japón", "café", "reunión")

    def warm_up(self) -> None: ...

    def _vec(self, text: str) -> list[float]:
        low = text.lower()
        v = np.array([1.0 if k in low else 0.0 for k in self.KEYS]) + 0.05
        return (v / np.linalg.norm(v)).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self._vec(text)

    def embed_passages(self, texts: list[str], *, query_time: bool = False) -> list[list[float]]:
        return [self._vec(t) for t in texts]


def chunk(text: str, page: int = 1, doc: str = "d1") -> Chunk:
    return Chunk(
        chunk_id=f"{doc}:{page}",
        document_id=doc,
        filename=f"{doc}.txt",
        title="T",
        page=page,
        text=text,
        char_start=10,
        char_end=10 + len(text),
        embedding=FakeBackend()._vec(text),
    )


class TestQuestionAnalysis:
    @pytest.mark.parametrize(
        ("q", "kind"),
        [
            ("¿Cuánto comprometió España en 2020?", "amount"),
            ("¿Cuándo se firmó el convenio con Alemania?", "date"),
            ("¿Qué entidades peruanas participaron?", "entities"),
            ("¿Quiénes asistieron a la reunión?", "entities"),
            ("Resumen de la reunión de Lima", "general"),
        ],
    )
    def test_question_type(self, q: str, kind: str) -> None:
        assert question_type(q) == kind

    def test_question_terms_drop_question_words(self) -> None:
        assert question_terms("¿Cuánto comprometió España en 2020?") == {"compromet", "espan", "2020"}

    def test_coverage(self) -> None:
        terms = question_terms("¿Cuánto comprometió España en 2020?")
        assert coverage(terms, "España comprometió fondos en 2020.") == 1.0
        assert coverage(terms, "Japón comprometió fondos.") == pytest.approx(1 / 3)
        assert coverage(set(), "lo que sea") == 1.0


class TestAnswerer:
    def answerer(self) -> Answerer:
        return Answerer(FakeBackend(), min_dense=0.5, min_coverage=0.5)

    def test_quotes_the_best_sentence_verbatim_with_marker(self) -> None:
        c = chunk("Introducción general. España comprometió EUR 50 millones en 2020. Otra frase sin relación.")
        ans = self.answerer().answer("¿Cuánto comprometió España en 2020?", FakeBackend()._vec("España"), [c])
        assert ans.found is True
        assert ans.citations[0].quote == "España comprometió EUR 50 millones en 2020."
        assert ans.answer.startswith("España comprometió EUR 50 millones en 2020. [1]")
        assert (ans.citations[0].char_start, ans.citations[0].char_end) == (10 + 22, 10 + 22 + 43)

    def test_abstains_without_coverage(self) -> None:
        c = chunk("Japón comprometió US$ 12 millones para salud.")
        ans = self.answerer().answer("¿Cuál es el arancel del café en Noruega?", FakeBackend()._vec("café"), [c])
        assert (ans.found, ans.citations) == (False, [])
        assert ans.answer == (
            "Ningún registro responde a esta pregunta sobre Noruega. Los pasajes más cercanos no lo atribuyen a "
            "Noruega. Vea los pasajes relacionados."
        )
        assert [r.quote for r in ans.related] == ["Japón comprometió US$ 12 millones para salud."]

    def test_related_shows_first_where_the_actor_is_named(self) -> None:
        text = (
            "La Embajada de Noruega anunció un aporte de NOK 20 millones para la regularización migratoria. "
            "Los Países Bajos confirmaron una contribución de EUR 4 millones para la protección de la niñez. "
            "Se invitó también a las Embajadas de Dinamarca y de Austria, que no respondieron a la convocatoria."
        )
        a = Answerer(FakeBackend(), min_dense=0.0, min_coverage=0.0, min_key_coverage=0.0)
        ans = a.answer("¿Cuánto anunció Dinamarca en la reunión?", FakeBackend()._vec("reunión"), [chunk(text)])
        assert ans.found is False
        assert [r.quote for r in ans.related][0] == (
            "Se invitó también a las Embajadas de Dinamarca y de Austria, que no respondieron a la convocatoria."
        )
        assert len(ans.related) == 3

    def test_abstention_says_at_which_conference_the_actor_s_amount_is(self) -> None:
        c = chunk("En la Conferencia de Bruselas 2023, España comprometió EUR 50 millones para la integración.")
        a = Answerer(FakeBackend(), min_dense=0.0, min_coverage=0.0, min_key_coverage=0.0)
        q = "¿Cuánto comprometió España en la conferencia de Bruselas de 2019?"
        ans = a.answer(q, FakeBackend()._vec("España"), [c])
        assert ans.found is False
        assert ans.answer == (
            "Ningún registro indica un aporte de España en la Conferencia de Bruselas 2019. Los pasajes más cercanos "
            "mencionan a España en la Conferencia de Bruselas 2023, no en la Conferencia de Bruselas 2019. Vea los "
            "pasajes relacionados."
        )
        assert [r.quote for r in ans.related] == [c.text]

    def test_abstains_with_no_chunks(self) -> None:
        ans = self.answerer().answer("¿Cuánto comprometió España?", FakeBackend()._vec("España"), [])
        assert ans.found is False

    def test_overlapping_chunks_do_not_repeat_a_sentence(self) -> None:
        text = "España comprometió EUR 50 millones en 2020."
        a = chunk(text, doc="d1")
        b = Chunk(**{**a.__dict__, "chunk_id": "d1:2"})
        ans = self.answerer().answer("¿Cuánto comprometió España en 2020?", FakeBackend()._vec("España"), [a, b])
        assert [c.quote for c in ans.citations] == [text]

    def test_a_sentence_a_record_states_on_two_pages_is_cited_once(self) -> None:
        text = "España comprometió EUR 50 millones en 2020."
        summary = chunk(f"Resumen. {text}", page=1)
        body = chunk(f"{text} España lo confirmó en 2020 por carta.", page=4)
        other = chunk(text, page=1, doc="d2")  # another record stating it is another source
        ans = self.answerer().answer(
            "¿Cuánto comprometió España en 2020?", FakeBackend()._vec("España"), [summary, body, other]
        )
        assert [(c.document_id, c.page, c.quote) for c in ans.citations] == [("d1", 1, text), ("d2", 1, text)]


class TestAnswerLike:
    def test_datelines_and_restatements_are_not_answers(self) -> None:
        a = Answerer(FakeBackend(), min_dense=0.0, min_coverage=0.0, min_key_coverage=0.0)
        text = (
            "Fecha: 17 de julio de 2023\n\n"
            "El Viceministro presidió la reunión del 17 de julio de 2023 con los cooperantes."
        )
        c = chunk(text)
        ans = a.answer("¿Qué pasó el 17 de julio de 2023?", FakeBackend()._vec("reunión"), [c])
        assert [x.quote for x in ans.citations] == [
            "El Viceministro presidió la reunión del 17 de julio de 2023 con los cooperantes."
        ]

    def test_entity_lists_are_quoted_item_by_item(self) -> None:
        a = Answerer(FakeBackend(), min_dense=0.0, min_coverage=0.0, min_key_coverage=0.0)
        text = (
            "Entidades nacionales participantes en la reunión:\n"
            "- Ministerio de Relaciones Exteriores.\n"
            "- Superintendencia Nacional de Migraciones.\n"
            "- Agencia Peruana de Cooperación Internacional (APCI)."
        )
        ans = a.answer("¿Qué entidades participaron en la reunión?", FakeBackend()._vec("reunión"), [chunk(text)])
        assert [x.quote for x in ans.citations] == [
            "- Ministerio de Relaciones Exteriores.",
            "- Superintendencia Nacional de Migraciones.",
            "- Agencia Peruana de Cooperación Internacional (APCI).",
        ]


@pytest.mark.parametrize(
    ("text", "framing"),
    [
        ("# Cuadro de compromisos anunciados en la Conferencia de 2020", True),
        ("**Elaborado por:** Agencia Peruana de Cooperación Internacional (APCI)", True),
        ("MESA DE TRABAJO INTERSECTORIAL PARA LA GESTIÓN MIGRATORIA", True),
        ("Bruselas, 17 de marzo de 2023", True),
        ("La Superintendencia ha preparado una propuesta que prioriza tres componentes:", True),
        ("| Cooperante | Compromiso | Avance a diciembre de 2023 | Estado |", True),
        ("| Noruega | 60 millones | NOK | Donación | Regional, vía ACNUR |", False),
        ("Japón comprometió US$ 12 millones a través de JICA.", False),
        ("«La cooperación llegó a tiempo», afirmó el Viceministro.", False),
    ],
)
def test_headings_and_labels_are_not_answers(text: str, framing: bool) -> None:
    from indexing.text.headings import is_heading_or_label

    assert is_heading_or_label(text) is framing


class TestTableRows:
    """A table passage (rows of one table page, its header possibly on the page before) is answered row by row."""

    ROWS = "| España | Salud | 1,8 | EUR | Firmado |\n| Japón | Educación | 4,2 | EUR | Anunciado |"
    HEADER = ("Donante", "Sector", "Monto (millones)", "Moneda", "Estado")

    def table_chunk(self) -> Chunk:
        start = 40
        second = self.ROWS.index("| Japón")
        return Chunk(
            chunk_id="t:2",
            document_id="t",
            filename="cuadro.pdf",
            title="Cuadro de aportes",
            page=2,
            text=self.ROWS,
            char_start=start,
            char_end=start + len(self.ROWS),
            embedding=FakeBackend()._vec(self.ROWS),
            table_header=self.HEADER,
            table_rows=((start, start + second - 1), (start + second, start + len(self.ROWS))),
        )

    def test_a_row_is_quoted_verbatim_with_its_header_as_context(self) -> None:
        a = Answerer(FakeBackend(), min_dense=0.0, min_coverage=0.0, min_key_coverage=0.0)
        question = "¿En qué sector y con qué estado está el aporte de Japón?"
        ans = a.answer(question, FakeBackend()._vec("Japón"), [self.table_chunk()], max_sentences=1)
        assert ans.found is True
        (cite,) = ans.citations
        assert cite.quote == "| Japón | Educación | 4,2 | EUR | Anunciado |"
        assert (cite.page, cite.char_start, cite.char_end) == (2, 40 + self.ROWS.index("| Japón"), 40 + len(self.ROWS))
        assert cite.table_header == self.HEADER
        assert ans.answer == "| Japón | Educación | 4,2 | EUR | Anunciado | [1]"

    def test_prose_citations_have_no_table_header(self) -> None:
        a = Answerer(FakeBackend(), min_dense=0.0, min_coverage=0.0, min_key_coverage=0.0)
        c = chunk("España comprometió EUR 50 millones en 2020.")
        ans = a.answer("¿Cuánto comprometió España en 2020?", FakeBackend()._vec("España"), [c])
        assert ans.citations[0].table_header == ()


def test_why_question_quotes_the_cause() -> None:
    text = (
        "La APCI comunica que el taller de la reunión de marzo de 2020 queda cancelado para todas las entidades. "
        "La decisión de la reunión se adopta en cumplimiento del Decreto Supremo que declara la emergencia."
    )
    a = Answerer(FakeBackend(), min_dense=0.0, min_coverage=0.0, min_key_coverage=0.0)
    ans = a.answer("¿Por qué se canceló el taller de la reunión?", FakeBackend()._vec("reunión"), [chunk(text)])
    assert ans.citations[0].quote == (
        "La decisión de la reunión se adopta en cumplimiento del Decreto Supremo que declara la emergencia."
    )


@pytest.fixture
def checked(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The sentences the evidence check is asked about, in order (the real check still decides)."""
    import indexing.query.answer as answer_module

    sentences: list[str] = []
    real = answer_module.check_sentence

    def spy(it, sentence, ctx):  # type: ignore[no-untyped-def]
        sentences.append(sentence)
        return real(it, sentence, ctx)

    monkeypatch.setattr(answer_module, "check_sentence", spy)
    return sentences


class TestSentenceChoice:
    """What makes a sentence the one that states the fact: the kind of value asked for (a table row read cell by
    cell), the question's topic beyond what its record's title already says, and the evidence check."""

    def test_a_table_row_carries_an_amount_across_its_cells(self) -> None:
        from indexing.query.answer import _type_boost

        row = "| UNICEF | 4,2 | USD | desembolsado |"
        header = ("Cooperante", "Monto (millones)", "Moneda", "Estado")
        assert _type_boost("amount", row) == 0.0  # as printed, "4,2 |" and "USD" are apart
        assert _type_boost("amount", row, header) == 0.12
        assert _type_boost("amount", row, ()) == 0.12
        # The unit is in the column's name.
        by_column = "| Francia (AFD) | Canadá 2021 | Donación | En ejecución | 5 |"
        columns = ("Donante", "Conferencia", "Instrumento", "Estado", "Monto (millones de EUR)")
        assert _type_boost("amount", by_column, columns) == 0.12
        assert _type_boost("amount", by_column, ("Donante", "Conferencia", "Instrumento", "Estado", "Monto")) == 0.0
        assert _type_boost("amount", "| Reino Unido | 10 | 21 | — |", ("Donante", "2019", "2020", "2021")) == 0.0
        assert _type_boost("amount", "España comprometió EUR 50 millones.") == 0.12

    def test_a_date_question_is_answered_by_a_date_it_does_not_name_the_more_precise_the_better(self) -> None:
        from indexing.query.answer import DATE_BOOST, _type_boost, question_dates

        asked = question_dates("¿Cuándo se iba a realizar la reunión técnica siguiente a la de junio de 2021?")
        assert [(d.year, d.month, d.day) for d in asked] == [(2021, 6, None)]
        # The question's own month restated is its constraint, not its answer.
        assert _type_boost("date", "Reunión técnica de la mesa de cooperantes, 9 de junio de 2021.", None, asked) == 0.0
        assert _type_boost("date", "La próxima reunión se realizará el 8 de septiembre de 2021.", None, asked) == 0.12
        assert DATE_BOOST == 0.12
        # A month answers less precisely than a day; a year alone is no date.
        assert _type_boost("date", "El convenio se firmó en octubre de 2021.") == 0.06
        assert _type_boost("date", "El convenio se firmó el 29 de octubre de 2021.") == 0.12
        assert _type_boost("date", "El convenio se firmó el 29 de octubre.") == 0.12
        assert _type_boost("date", "El convenio se firmó en 2021 con el BID.") == 0.0
        # A day within the asked day is the same date; another day of the asked month is not within it.
        day = question_dates("¿Qué se acordó en la reunión del 5 de diciembre de 2023?")
        assert _type_boost("date", "La reunión del 5 de diciembre de 2023 se realizó en Lima.", None, day) == 0.0
        assert _type_boost("date", "Se reunirán de nuevo el 12 de diciembre de 2023.", None, day) == 0.12
        # A cut-off ("al …") or a deadline ("hasta el …") is not when the asked event took place, unless the question
        # asks "¿hasta cuándo…?".
        cutoff = "Al 30 de septiembre de 2024 se habían desembolsado DKK 18 millones."
        assert _type_boost("date", cutoff) == 0.0
        assert _type_boost("date", "El aporte fue desembolsado en su totalidad en febrero de 2021.") == 0.06
        deadline = "Se ruega confirmar la asistencia hasta el 13 de febrero de 2025."
        assert _type_boost("date", deadline) == 0.0
        assert _type_boost("date", deadline, None, (), until=True) == 0.12

    def test_the_field_of_a_notice_that_holds_the_asked_kind_of_answer_can_answer(self) -> None:
        from indexing.query.answer import _answer_like, _type_boost, asked_field

        assert asked_field("Fecha: jueves 20 de febrero de 2025", "date")
        assert asked_field("Hora: 9:00 a 13:00", "date")
        assert not asked_field("Fecha: por confirmar", "date")  # a date field without a date
        assert asked_field("Lugar: Auditorio de la OPS/OMS, Los Pinos 251, La Molina", "place")
        assert not asked_field("Lugar: Auditorio de la OPS/OMS", "date")
        assert not asked_field("Organizan: Ministerio de Salud", "place")
        # A label is no answer, except the field a question asks for.
        field = "Lugar: Auditorio de la OPS/OMS, Los Pinos 251, La Molina"
        assert not _answer_like(field, {"auditori", "ops"}, set(), "general", False)
        assert _answer_like(field, {"auditori", "ops"}, set(), "place", False, "place")
        assert _type_boost("place", field) == 0.12
        assert _type_boost("place", "La reunión se realizará en Lima.") == 0.0

    def test_topic_coverage_reads_the_sentence_in_its_record(self) -> None:
        from indexing.query.answer import _read_passages
        from indexing.query.interpretation import interpret

        text = (
            "El taller de seguimiento con los gobiernos locales de la región se realizará en la sede de la "
            "Cancillería.\n\n"
            "La acreditación de los participantes se realizará de 8:15 a 9:00 horas en el vestíbulo."
        )
        c = Chunk(**{**chunk(text).__dict__, "title": "Aviso del taller de seguimiento con los gobiernos locales"})
        a = Answerer(FakeBackend(), min_dense=0.0, min_coverage=0.0, min_key_coverage=0.0)
        question = "¿A qué hora es la acreditación del taller de seguimiento con los gobiernos locales?"
        it = interpret(question)
        assert it.topic == ("hor", "acredit", "tall", "seguimient", "gobi", "local")
        (passage,) = _read_passages(FakeBackend()._vec("reunión"), [c])
        cands = a._candidates(question, [(0, passage, True)], it)
        # The title says the workshop; only the second sentence adds the hour of the accreditation.
        assert [(x.text[:14], x.features["topic_coverage"]) for x in cands] == [
            ("El taller de s", pytest.approx(4 / 6)),
            ("La acreditació", 1.0),
        ]

    def test_an_answer_checks_only_its_best_candidates(self, checked: list[str]) -> None:
        sentences = [f"España comprometió EUR {n} millones en 2020 para el programa número {n}." for n in range(8)]
        a = Answerer(FakeBackend(), min_dense=0.0, min_coverage=0.0, min_key_coverage=0.0, rerank=3)
        passage = chunk(" ".join(sentences))
        ans = a.answer("¿Cuánto comprometió España en 2020?", FakeBackend()._vec("España"), [passage])
        assert ans.found is True
        assert len(checked) == 3
        assert len(ans.citations) == 3

    def test_an_abstention_checks_every_candidate(self, checked: list[str]) -> None:
        text = "Japón comprometió US$ 12 millones para salud. Japón comprometió US$ 3 millones para educación."
        a = Answerer(FakeBackend(), min_dense=0.0, min_coverage=0.0, min_key_coverage=0.0)
        ans = a.answer("¿Cuánto comprometió Noruega en 2020?", FakeBackend()._vec("Japón"), [chunk(text)])
        assert ans.found is False
        assert sorted(checked) == [
            "Japón comprometió US$ 12 millones para salud.",
            "Japón comprometió US$ 3 millones para educación.",
        ]
