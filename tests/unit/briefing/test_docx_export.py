"""DOCX export opens with python-docx and carries every point and citation."""

from __future__ import annotations

import io

from docx import Document

from indexing.briefing import build_briefing, to_docx

from .factories import NOW, QUERY, actor_finder, corpus


def test_docx_contains_title_points_markers_and_every_quote():
    briefing = build_briefing(
        "compromisos de la Unión Europea y desembolsos pendientes", corpus(), QUERY, now=NOW, actor_finder=actor_finder
    )
    doc = Document(io.BytesIO(to_docx(briefing)))
    assert doc.core_properties.title == briefing.title
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == briefing.title
    assert doc.paragraphs[0].style.name == "Title"
    assert texts[1] == "Generado el 6 de mayo de 2024."
    assert "Notas" in texts
    for section in briefing.sections:
        assert section.heading in texts
    body = "\n".join(texts)
    for citation in briefing.citations:
        assert f"«{citation.quote}»" in body
        assert citation.title in body
    # The near-duplicate point ends with two superscript markers, "n" and ",m".
    point = next(p for s in briefing.sections for p in s.points if len(p.citations) == 2)
    paragraph = next(p for p in doc.paragraphs if p.text.startswith(point.text))
    superscripts = [r.text for r in paragraph.runs if r.font.superscript]
    assert superscripts == [str(point.citations[0]), f",{point.citations[1]}"]
    notes = texts[texts.index("Notas") + 1 :]
    assert notes[0].startswith("1. Declaración conjunta de Bruselas (17 de marzo de 2022), p. 3: «")


def test_docx_of_a_briefing_without_results():
    briefing = build_briefing("sarampión infantil", [], QUERY, now=NOW)
    doc = Document(io.BytesIO(to_docx(briefing)))
    texts = [p.text for p in doc.paragraphs]
    assert "No se encontraron pasajes pertinentes en los registros indexados." in texts
    assert "Notas" not in texts


def test_control_characters_do_not_break_the_export():
    from indexing.briefing.model import Briefing

    b = Briefing(
        id="x",
        title="Ayuda memoria: \x01tema\x0b raro",
        generated_at="2026-01-01T00:00:00+00:00",
        summary_markdown="",
        sections=[],
        citations=[],
        found=False,
    )
    doc = Document(io.BytesIO(to_docx(b)))
    assert doc.paragraphs[0].text == "Ayuda memoria: tema raro"
