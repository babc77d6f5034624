"""Honest abstention: a Spanish message that says which part of the question no record supports."""

from __future__ import annotations

import re

from indexing.query.evidence import INSTITUTION_HEADS
from indexing.query.interpretation import Interpretation
from indexing.text.tokens import fold_same_length

__all__ = ["not_found_message"]

_WHAT = {"amount": "un monto", "count": "esa cifra", "date": "esa fecha"}
_WHAT_ACTOR = {"amount": "un aporte", "date": "esa fecha", "count": "esa cifra"}
_VALUE_MISSING = {
    "amount": "ninguno indica un monto",
    "count": "ninguno indica esa cifra",
    "date": "ninguno indica una fecha",
}


def _actors(it: Interpretation) -> str:
    names = [_with_article(it.question, n) for n in it.actors]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + f" y {names[-1]}"


def _with_article(question: str, name: str) -> str:
    """The actor with the article the question gives it ("el Reino Unido", "los Países Bajos"), else bare."""
    folded, target = fold_same_length(question).lower(), fold_same_length(name).lower()
    i = folded.find(target)
    article = re.search(r"\b(el|la|los|las)\s+$", folded[max(0, i - 5) : i]) if i > 0 else None
    return f"{article.group(1)} {name}" if article else name


def _contract(text: str) -> str:
    """Spanish contractions: "de el" → "del", "a el" → "al"."""
    return text.replace(" de el ", " del ").replace(" a el ", " al ")


def _institution(it: Interpretation) -> str | None:
    """The institution the question asks about, as written with its article ("el Ministerio de Salud"), if any."""
    folded = fold_same_length(it.question).lower()
    for phrase in it.phrases:
        if phrase.split()[0] not in INSTITUTION_HEADS:
            continue
        i = folded.find(phrase)
        if i < 0:
            continue
        article = re.search(r"\b(el|la|los|las)\s+$", folded[max(0, i - 5) : i])
        name = it.question[i : i + len(phrase)]
        return f"{article.group(1)} {name}" if article else name
    return None


def _events_list(names: tuple[str, ...]) -> str:
    """ "la Conferencia de Bruselas 2019 y la Conferencia de Bruselas 2023"."""
    items = [f"la {n}" if n.startswith("Conferencia") else n for n in names]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" y {items[-1]}"


def not_found_message(it: Interpretation, missing: tuple[str, ...] | None, elsewhere: tuple[str, ...] = ()) -> str:
    """The abstention message.

    :param it: the question's interpretation.
    :param missing: what the closest candidate sentence missed (None: no passage came close at all).
    :param elsewhere: the conferences where passages satisfying everything but the event state it ("Conferencia
        de Bruselas 2019"): what does exist, said when the event is what is missing.
    :returns: e.g. "Ningún registro indica un aporte de Noruega en la reunión de coordinación del 13 de diciembre
        de 2022. Los pasajes más cercanos mencionan a Noruega, pero no en la reunión de coordinación del 13 de
        diciembre de 2022."
    """
    institution = None if it.actors else _institution(it)
    if it.actors and it.kind in _WHAT_ACTOR:
        head = f"Ningún registro indica {_WHAT_ACTOR[it.kind]} de {_actors(it)}"
    elif it.actors:
        head = f"Ningún registro responde a esta pregunta sobre {_actors(it)}"
    elif institution:
        head = f"Ningún registro responde a esta pregunta sobre {institution}"
    else:
        head = f"Ningún registro indica {_WHAT[it.kind]}" if it.kind in _VALUE_MISSING else "Ningún registro lo indica"
    event = it.event.describe() if it.event else ""
    bare_day = it.event is not None and bool(it.event.day) and not (it.event.meeting or it.event.label)
    if event:
        # A bare day ("31 de mayo de 2022") is a date: "el 31 de mayo de 2022".
        head += f" el {event}" if bare_day else f" en {event}"
    head += "."
    if not missing:
        return _contract(head + " Pruebe con otras palabras, quite filtros o suba el registro que lo indique.")
    if "actor" in missing and it.actors:
        tail = f"Los pasajes más cercanos no lo atribuyen a {_actors(it)}."
    elif "recipient" in missing and it.recipient:
        what = f"la parte destinada a {it.recipient}" if it.share else f"que se refieran a {it.recipient}"
        tail = f"Los pasajes más cercanos no indican {what}." if it.share else f"No hay pasajes {what}."
    elif "event" in missing and event:
        about = f"mencionan a {_actors(it)}" if it.actors else "tratan del tema"
        if elsewhere:
            where = _events_list(elsewhere)
            tail = f"Los pasajes más cercanos {about} en {where}, no {'el' if bare_day else 'en'} {event}."
        else:
            tail = f"Los pasajes más cercanos {about}, pero no {'el' if bare_day else 'en'} {event}."
    elif "value" in missing and it.kind in _VALUE_MISSING:
        tail = f"Hay pasajes sobre el tema, pero {_VALUE_MISSING[it.kind]}."
    elif "passage" in missing:
        tail = "Los pasajes que lo mencionan no tratan lo suficiente de la pregunta."
    elif "names" in missing and institution:
        tail = f"Los pasajes más cercanos no atribuyen esa información a {institution}."
    elif "names" in missing and it.names:
        tail = "Ningún pasaje cercano nombra todo lo que la pregunta menciona."
    else:
        tail = "Los pasajes más cercanos no bastan para responder."
    return _contract(f"{head} {tail} Vea los pasajes relacionados.")
