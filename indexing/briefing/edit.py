"""Edition of a stored briefing by staff: a new title, and a subset of its points in a new order.

An edition never carries text for a point, only its id: the quotes stay the records' own words. Footnotes are
renumbered in the order the kept points cite them; citations no kept point cites are dropped.
"""

from __future__ import annotations

from dataclasses import replace

from indexing.briefing.model import Briefing, Citation, Point, Section
from indexing.briefing.render import one_line, to_markdown
from indexing.errors import DuplicateBriefingPoint, UnknownBriefingPoint


def edit_briefing(briefing: Briefing, title: str, point_ids: list[str]) -> Briefing:
    """The briefing with `title` and only the points `point_ids`, in that order.

    Consecutive kept points of the same original section stay under its heading; a point moved away from its
    section starts a new run under that section's heading, so every point keeps the heading it was drafted under.

    :param briefing: the stored briefing.
    :param title: the new title (one line; surrounding whitespace is removed).
    :param point_ids: ids of the points to keep (`Point.id`), in the new order.
    :returns: a new briefing (same id, date and warnings) with renumbered footnotes and its Markdown summary.
    :raises UnknownBriefingPoint: an id is not one of the briefing's points.
    :raises DuplicateBriefingPoint: an id appears twice.
    """
    located: dict[str, tuple[int, Point]] = {}
    for index, section in enumerate(briefing.sections):
        for point in section.points:
            located[point.id] = (index, point)
    seen: set[str] = set()
    for pid in point_ids:
        if pid not in located:
            raise UnknownBriefingPoint(f"La ayuda memoria «{briefing.id}» no tiene ningún punto «{pid[:50]}».")
        if pid in seen:
            raise DuplicateBriefingPoint(f"El punto «{pid[:50]}» aparece más de una vez en la edición.")
        seen.add(pid)

    renumber: dict[int, int] = {}
    citations: list[Citation] = []
    sections: list[Section] = []
    last_section = -1
    for pid in point_ids:
        index, point = located[pid]
        numbers: list[int] = []
        for n in point.citations:
            if n not in renumber:
                source = briefing.citation(n)
                if source is None:
                    continue
                renumber[n] = len(citations) + 1
                citations.append(replace(source, n=renumber[n]))
            numbers.append(renumber[n])
        if index != last_section:
            sections.append(Section(heading=briefing.sections[index].heading, points=[]))
            last_section = index
        sections[-1].points.append(Point(text=point.text, citations=numbers, id=point.id))

    edited = Briefing(
        id=briefing.id,
        title=one_line(title),
        generated_at=briefing.generated_at,
        summary_markdown="",
        sections=sections,
        citations=citations,
        found=bool(sections),
        warnings=list(briefing.warnings),
        index_state=briefing.index_state,
        request=dict(briefing.request),
    )
    edited.summary_markdown = to_markdown(edited)
    return edited
