"""Value types of a briefing ("ayuda memoria"): request, points, sections (citations: `indexing.types.Citation`).

Everything round-trips through `to_dict()` / `from_dict()` as plain JSON values, so a briefing can be stored and
served again byte-for-byte.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from indexing.types import Citation

GROUP_BY_VALUES = ("document", "date", "actor")
MODES = ("extractive", "abstractive")


@dataclass(frozen=True)
class BriefingRequest:
    """What the caller asked for.

    :param topic: free text, e.g. "desembolsos de la Unión Europea".
    :param filters: the search filters as plain JSON (conference, doc_type, date_from, date_to, document_ids).
    :param max_points: maximum number of points of the briefing.
    :param group_by: "document", "date" or "actor".
    :param mode: "extractive" (default) or "abstractive".
    """

    topic: str
    filters: dict[str, Any] = field(default_factory=dict)
    max_points: int = 8
    group_by: str = "document"
    mode: str = "extractive"

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-serializable dict."""
        return {
            "topic": self.topic,
            "filters": dict(self.filters),
            "max_points": self.max_points,
            "group_by": self.group_by,
            "mode": self.mode,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> BriefingRequest:
        """Inverse of `to_dict`; missing keys take their defaults."""
        return cls(
            topic=data["topic"],
            filters=dict(data.get("filters") or {}),
            max_points=int(data.get("max_points", 8)),
            group_by=data.get("group_by", "document"),
            mode=data.get("mode", "extractive"),
        )


@dataclass
class Point:
    """One statement of the briefing: verbatim text of a record (extractive) plus its footnote numbers.

    `id` names the point within its briefing ("p1", "p2"... in reading order, given by `Briefing`), so an edition
    can remove and reorder points by id without ever sending their text.
    """

    text: str
    citations: list[int]
    id: str = ""


@dataclass
class Section:
    """A heading and its points, in chronological order."""

    heading: str
    points: list[Point]


@dataclass
class Briefing:
    """A drafted briefing, ready to render (Markdown, DOCX) and to store.

    :param id: sha256 of (index state + normalized request), 16 hex chars.
    :param generated_at: ISO 8601 timestamp.
    :param found: False when no record passed the relevance threshold; then sections and citations are empty.
    :param warnings: Spanish messages for people (dropped sentences, fallbacks).
    :param index_state: opaque version of the index the briefing was drafted from.
    :param request: the request as a plain dict (`BriefingRequest.to_dict()`).
    """

    id: str
    title: str
    generated_at: str
    summary_markdown: str
    sections: list[Section]
    citations: list[Citation]
    found: bool
    warnings: list[str] = field(default_factory=list)
    index_state: str = ""
    request: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for k, point in enumerate(self.points(), start=1):
            if not point.id:
                point.id = f"p{k}"

    def points(self) -> list[Point]:
        """Every point, in reading order (section by section)."""
        return [p for s in self.sections for p in s.points]

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-serializable dict (the API response shape plus warnings, index_state and request)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Briefing:
        """Inverse of `to_dict`."""
        return cls(
            id=data["id"],
            title=data["title"],
            generated_at=data["generated_at"],
            summary_markdown=data.get("summary_markdown", ""),
            sections=[
                Section(
                    heading=s["heading"],
                    points=[Point(p["text"], list(p["citations"]), p.get("id", "")) for p in s["points"]],
                )
                for s in data.get("sections", [])
            ],
            citations=[Citation.from_dict(c) for c in data.get("citations", [])],
            found=bool(data["found"]),
            warnings=list(data.get("warnings", [])),
            index_state=data.get("index_state", ""),
            request=dict(data.get("request", {})),
        )

    def citation(self, n: int) -> Citation | None:
        """The citation numbered `n`, or None."""
        return next((c for c in self.citations if c.n == n), None)
