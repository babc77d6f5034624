"""Briefings ("ayudas memoria"): extractive selection, Markdown and DOCX rendering, optional abstractive rewrite.

`abstractive` is not imported here: it loads Haystack's OpenAI client only when the abstractive mode is used.
"""

from indexing.briefing.docx_export import to_docx
from indexing.briefing.model import Briefing, BriefingRequest, Citation, Point, Section
from indexing.briefing.render import to_markdown
from indexing.briefing.select import DEFAULT_MIN_RELEVANCE, briefing_id, build_briefing, summarize_document

__all__ = [
    "DEFAULT_MIN_RELEVANCE",
    "Briefing",
    "BriefingRequest",
    "Citation",
    "Point",
    "Section",
    "briefing_id",
    "build_briefing",
    "summarize_document",
    "to_docx",
    "to_markdown",
]
