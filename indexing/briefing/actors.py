"""A small gazetteer of the usual actors of the pledging conferences, used when the caller passes no finder.

The commitments register may provide a richer `actor_finder`; this one only needs to be good enough to group a
briefing by actor and to recognise a commitment signal.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping

from indexing.text.tokens import fold

# canonical name → aliases. Aliases written in capitals are matched case-sensitively (acronyms such as "BID").
DEFAULT_ACTORS: dict[str, tuple[str, ...]] = {
    "ACNUR": ("ACNUR", "Alto Comisionado de las Naciones Unidas para los Refugiados"),
    "OIM": ("OIM", "Organización Internacional para las Migraciones"),
    "Plataforma R4V": ("R4V", "Plataforma de Coordinación Interagencial"),
    "Unión Europea": ("Unión Europea", "UE", "Comisión Europea"),
    "Estados Unidos": ("Estados Unidos", "EE. UU.", "EE.UU.", "EEUU"),
    "Canadá": ("Canadá", "Gobierno de Canadá"),
    "España": ("España",),
    "Alemania": ("Alemania",),
    "Francia": ("Francia",),
    "Italia": ("Italia",),
    "Países Bajos": ("Países Bajos",),
    "Reino Unido": ("Reino Unido",),
    "Noruega": ("Noruega",),
    "Suecia": ("Suecia",),
    "Suiza": ("Suiza",),
    "Japón": ("Japón",),
    "Corea": ("República de Corea", "Corea"),
    "Colombia": ("Colombia",),
    "Perú": ("Perú",),
    "Ecuador": ("Ecuador",),
    "Chile": ("Chile",),
    "Brasil": ("Brasil",),
    "Argentina": ("Argentina",),
    "México": ("México",),
    "Panamá": ("Panamá",),
    "Costa Rica": ("Costa Rica",),
    "República Dominicana": ("República Dominicana",),
    "Trinidad y Tobago": ("Trinidad y Tobago",),
    "Banco Mundial": ("Banco Mundial",),
    "Banco Interamericano de Desarrollo": ("Banco Interamericano de Desarrollo", "BID"),
    "CAF": ("CAF", "Banco de Desarrollo de América Latina"),
    "UNICEF": ("UNICEF",),
    "OEA": ("OEA", "Organización de los Estados Americanos"),
}


def make_gazetteer_finder(actors: Mapping[str, Iterable[str]]) -> Callable[[str], list[str]]:
    """Build an actor finder from canonical names and their aliases.

    :param actors: canonical name → aliases.
    :returns: a function text → canonical names in order of first mention, without repeats.
    """
    patterns: list[tuple[re.Pattern[str], bool, str]] = []
    for name, aliases in actors.items():
        for alias in aliases:
            acronym = alias.replace(".", "").replace(" ", "").isupper()
            body = re.escape(alias if acronym else fold(alias)).replace(r"\ ", r"\s+")
            patterns.append((re.compile(rf"(?<!\w){body}(?!\w)"), acronym, name))

    def find(text: str) -> list[str]:
        folded = fold(text)
        hits: dict[str, int] = {}
        for pattern, acronym, name in patterns:
            # fold() keeps length for Spanish letters, so offsets of both texts compare.
            m = pattern.search(text if acronym else folded)
            if m and (name not in hits or m.start() < hits[name]):
                hits[name] = m.start()
        return [name for name, _ in sorted(hits.items(), key=lambda kv: (kv[1], kv[0]))]

    return find


default_actor_finder = make_gazetteer_finder(DEFAULT_ACTORS)
