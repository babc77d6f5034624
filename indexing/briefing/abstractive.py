"""Optional abstractive mode: rewrite the extractive draft into prose with an OpenAI-compatible server, then check it.

The model sees only the numbered passages of the extractive draft and must cite them as ``[n]``. Its prose is
not trusted: `check_prose` keeps a sentence only when every ``[n]`` exists and every number, amount and date of the
sentence (normalized by `normalize_numbers`) appears in a passage it cites, or in the date of a record it cites
(the footnote shows that date). Anything else is dropped and reported in `warnings`. When the server cannot be
reached the extractive draft is returned with a warning, so the feature never blocks a briefing.

Haystack is imported lazily: the extractive path does not pay for it.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from indexing.briefing.model import Briefing, Citation, Point, Section
from indexing.briefing.render import citation_source_es, one_line, to_markdown
from indexing.text.facts import extract_facts, normalize_numbers

logger = logging.getLogger(__name__)

UNREACHABLE_WARNING = "No se pudo contactar el servidor del modelo de lenguaje; se entrega el borrador extractivo."
SERVER_ERROR_WARNING = "El servidor del modelo de lenguaje devolvió un error; se entrega el borrador extractivo."
EMPTY_REPLY_WARNING = "El modelo de lenguaje no devolvió texto; se entrega el borrador extractivo."
NOTHING_KEPT_WARNING = (
    "Ninguna oración del texto generado superó la verificación de citas; se entrega el borrador extractivo."
)
ABSTRACTIVE_HEADING = "Resumen"

SYSTEM_PROMPT = (
    "Eres un asistente que redacta ayudas memoria para personal de un ministerio. Reescribes en prosa clara, en "
    "español, los pasajes numerados que se te entregan. Reglas estrictas:\n"
    "1. Usa solo la información de los pasajes; no agregues hechos, cifras, fechas ni nombres nuevos.\n"
    "2. Cada oración termina con las referencias de los pasajes que la sustentan, entre corchetes, por ejemplo "
    "[1] o [2][3].\n"
    "3. Copia las cifras y las fechas tal como aparecen en los pasajes; no las conviertas ni las sumes.\n"
    "4. No uses títulos, listas ni viñetas: solo párrafos de prosa.\n"
    "5. Si los pasajes no dicen algo, no lo menciones."
)

_MARKER_RE = re.compile(r"\[\^?(\d+(?:\s*[,;]\s*\^?\d+)*)\]")
_MARKER_RUN_RE = re.compile(r"(?:\s*\[\^?\d+(?:\s*[,;]\s*\^?\d+)*\])+")
# Sentence end: terminal punctuation, optionally followed by citation markers, then space and a capital (or end).
_PROSE_END_RE = re.compile(
    r"[.!?…]+[\"'»”)]*(?:\s*\[\^?\d+(?:\s*[,;]\s*\^?\d+)*\])*(?=\s+[\"'«“(¿¡]?[A-ZÁÉÍÓÚÑÜ]|\s*$)"
)
_ABBREVIATIONS = frozenset({"ee", "uu", "sr", "sra", "dr", "dra", "p", "pp", "núm", "art", "lic", "aprox", "ud", "uds"})


def split_prose(prose: str) -> list[str]:
    """Sentences of generated prose; citation markers after the final period stay with their sentence.

    :param prose: model output.
    :returns: trimmed sentences in order.
    """
    text = prose.strip()
    out: list[str] = []
    start = 0
    for m in _PROSE_END_RE.finditer(text):
        before = re.search(r"(\w+)\s*[.]+$", text[start : m.start() + 1])
        if before and before.group(1).lower() in _ABBREVIATIONS and not _MARKER_RE.search(m.group()):
            continue
        sentence = text[start : m.end()].strip()
        if sentence:
            out.append(sentence)
        start = m.end()
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return [" ".join(s.split()) for s in out]


def markers(sentence: str) -> list[int]:
    """Citation numbers of a sentence, in order, without repeats ("… [2][1, 3]" → [2, 1, 3])."""
    out: list[int] = []
    for m in _MARKER_RE.finditer(sentence):
        for part in re.split(r"\s*[,;]\s*", m.group(1)):
            n = int(part.lstrip("^"))
            if n not in out:
                out.append(n)
    return out


def strip_markers(sentence: str) -> str:
    """The sentence without its ``[n]`` markers ("… 2023 [1]." → "… 2023.")."""
    text = _MARKER_RUN_RE.sub("", sentence)
    return re.sub(r"\s+([.,;:!?…])", r"\1", text).strip()


def check_prose(prose: str, citations: Sequence[Citation]) -> tuple[list[str], list[str]]:
    """Keep the generated sentences that are supported by the passages they cite.

    A sentence is dropped when it cites nothing, cites a number that is not a citation, or contains a number,
    amount, percentage or date (after `normalize_numbers`) found in none of its cited passages nor in the dates of
    their records.

    :param prose: model output with ``[n]`` markers.
    :param citations: the extractive draft's citations.
    :returns: (kept sentences with their markers, Spanish warnings naming each dropped sentence and why).
    """
    by_n = {c.n: c for c in citations}
    kept: list[str] = []
    warnings: list[str] = []
    for sentence in split_prose(prose):
        cited = markers(sentence)
        body = strip_markers(sentence)
        if not body:
            continue
        if not cited:
            warnings.append(f"Se descartó la oración «{body}»: no cita ningún pasaje.")
            continue
        unknown = [n for n in cited if n not in by_n]
        if unknown:
            refs = ", ".join(f"[{n}]" for n in unknown)
            warnings.append(f"Se descartó la oración «{body}»: cita {refs}, que no existe.")
            continue
        allowed: set[str] = set()
        for n in cited:
            allowed |= normalize_numbers(by_n[n].quote)
            if by_n[n].date:
                allowed |= normalize_numbers(by_n[n].date or "")
        unsupported = []
        for fact in extract_facts(body):
            if fact.value not in allowed and fact.surface not in unsupported:
                unsupported.append(fact.surface)
        if unsupported:
            refs = "".join(f"[{n}]" for n in cited)
            facts = ", ".join(f"«{s}»" for s in unsupported)
            warnings.append(
                f"Se descartó la oración «{body}»: el dato {facts} no aparece en los pasajes citados {refs}."
            )
            continue
        kept.append(sentence)
    return kept, warnings


def build_prompt(briefing: Briefing) -> str:
    """The user message: the topic and the numbered passages of the extractive draft, in draft order."""
    lines = [f"Tema de la ayuda memoria: {briefing.title}", "", "Pasajes numerados:"]
    for citation in briefing.citations:
        title, where = citation_source_es(citation)
        lines.append(f"[{citation.n}] ({title}{where}) «{one_line(citation.quote)}»")
    lines += [
        "",
        "Redacta de uno a tres párrafos que resuman estos pasajes, citando cada oración con [n].",
    ]
    return "\n".join(lines)


def _fallback(briefing: Briefing, warning: str) -> Briefing:
    result = replace(briefing, warnings=[*briefing.warnings, warning])
    result.summary_markdown = to_markdown(result)
    return result


def rewrite_abstractive(
    briefing: Briefing,
    *,
    base_url: str,
    model: str,
    api_key: str | None = None,
    timeout: float = 30.0,
    max_retries: int = 1,
    generator_factory: Callable[..., Any] | None = None,
) -> Briefing:
    """Rewrite an extractive briefing into checked prose through an OpenAI-compatible chat server.

    :param briefing: the extractive draft (its citations are kept as they are).
    :param base_url: the server's OpenAI-compatible base URL, e.g. "http://127.0.0.1:8080/v1" (`LLM_BASE_URL`).
    :param model: the model name (`LLM_MODEL`).
    :param api_key: the key, when the server wants one.
    :param timeout: seconds per request.
    :param max_retries: retries of the OpenAI client after a connection error or a 5xx.
    :param generator_factory: builds the chat generator from the keyword arguments of Haystack's
        `OpenAIChatGenerator` (tests and other backends); defaults to `OpenAIChatGenerator`.
    :returns: a briefing with one "Resumen" section of the kept sentences (points cite their markers), the same
        citations and the warnings of the check; or the extractive draft plus a warning when the server cannot be
        reached, fails, or nothing survives the check. A briefing with `found=False` is returned unchanged.
    """
    if not briefing.found or not briefing.citations:
        return briefing

    import openai
    from haystack.dataclasses import ChatMessage
    from haystack.utils import Secret

    if generator_factory is None:
        from haystack.components.generators.chat import OpenAIChatGenerator

        generator_factory = OpenAIChatGenerator
    generator = generator_factory(
        api_key=Secret.from_token(api_key or "sk-no-key"),
        model=model,
        api_base_url=base_url,
        timeout=timeout,
        max_retries=max_retries,
        generation_kwargs={"temperature": 0},
    )
    messages = [ChatMessage.from_system(SYSTEM_PROMPT), ChatMessage.from_user(build_prompt(briefing))]
    try:
        replies = generator.run(messages=messages)["replies"]
    except openai.APIConnectionError as exc:  # includes APITimeoutError
        logger.warning("LLM server unreachable at %s: %s", base_url, type(exc).__name__)
        return _fallback(briefing, UNREACHABLE_WARNING)
    except (openai.OpenAIError, OSError, ValueError, KeyError) as exc:
        logger.warning("LLM server error at %s: %s", base_url, type(exc).__name__)
        return _fallback(briefing, SERVER_ERROR_WARNING)
    prose = (replies[0].text or "") if replies else ""
    if not prose.strip():
        return _fallback(briefing, EMPTY_REPLY_WARNING)

    kept, warnings = check_prose(prose, briefing.citations)
    if not kept:
        result = replace(briefing, warnings=[*briefing.warnings, *warnings, NOTHING_KEPT_WARNING])
        result.summary_markdown = to_markdown(result)
        return result
    points = [Point(text=strip_markers(s), citations=markers(s)) for s in kept]
    result = replace(
        briefing,
        sections=[Section(heading=ABSTRACTIVE_HEADING, points=points)],
        warnings=[*briefing.warnings, *warnings],
    )
    result.summary_markdown = to_markdown(result)
    return result
