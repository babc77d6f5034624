"""Actor gazetteer: normalization, spans, acronyms, roll-up."""

from __future__ import annotations

import pytest

from indexing.commitments.actors import find_actors, normalize_actor, rollup_name, same_family


@pytest.mark.parametrize(
    ("name", "canonical"),
    [
        ("la República Federal de Alemania", "Alemania"),
        ("Alemania", "Alemania"),
        ("el Gobierno alemán", "Alemania"),
        ("la cooperación alemana", "Alemania"),
        ("Germany", "Alemania"),
        ("UE", "Unión Europea"),
        ("la Unión Europea", "Unión Europea"),
        ("European Union", "Unión Europea"),
        ("Comisión Europea", "Comisión Europea"),
        ("Team Europe", "Equipo Europa"),
        ("Banco Interamericano de Desarrollo", "BID"),
        ("IDB", "BID"),
        ("Banco Europeo de Inversiones", "BEI"),
        ("World Bank", "Banco Mundial"),
        ("el Alto Comisionado de las Naciones Unidas para los Refugiados", "ACNUR"),
        ("Organización Internacional para las Migraciones", "OIM"),
        ("la cooperación española", "España"),
        ("Agencia Española de Cooperación Internacional para el Desarrollo (AECID)", "AECID"),
        ("EE. UU.", "Estados Unidos"),
        ("Gobierno de Canada", "Canadá"),
        ("los fondos canadienses", "Canadá"),
        ("Agencia Suiza para el Desarrollo y la Cooperación", "COSUDE"),
        ("Corporación Andina de Fomento", "CAF"),
        ("la Plataforma R4V", "R4V"),
    ],
)
def test_normalize_actor(name: str, canonical: str) -> None:
    assert normalize_actor(name) == canonical


def test_unknown_names_and_lowercase_acronyms_are_not_actors() -> None:
    assert normalize_actor("la Superintendencia de Bancos") is None
    assert find_actors("que ue bid ce") == []


def test_find_actors_spans_are_longest_alias() -> None:
    text = "En lo que respecta al Perú, la República Federal de Alemania anunció, con la GIZ, una donación."
    found = [(m.canonical, text[m.start : m.end]) for m in find_actors(text)]
    assert found == [("Perú", "Perú"), ("Alemania", "República Federal de Alemania"), ("GIZ", "GIZ")]


def test_agencies_roll_up_to_their_country_and_bodies_to_their_parent() -> None:
    assert rollup_name("AECID") == "España"
    assert rollup_name("GIZ") == "Alemania"
    assert rollup_name("ECHO") == "Unión Europea"
    assert rollup_name("Comisión Europea") == "Unión Europea"
    assert rollup_name("Alemania") == "Alemania"
    assert same_family("COSUDE", "Suiza")
    assert not same_family("BID", "Banco Mundial")
