from __future__ import annotations

import pytest

from indexing.query.interpretation import Event, interpret


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("¿Cuánto anunció Noruega en la conferencia de Bruselas de 2023?", "amount"),
        ("¿Cuánto comprometió Noruega en 2023 y a través de quién?", "amount"),
        ("¿Cuántas solicitudes de CPP se habían presentado hasta abril de 2022?", "count"),
        ("¿Qué porcentaje de los fondos requeridos recibió el plan regional de 2020?", "count"),
        ("¿Cuándo quedó firmado el convenio con el Banco Interamericano de Desarrollo?", "date"),
        ("¿Dónde se realizó la reunión de coordinación de la APCI del 13 de diciembre de 2022?", "place"),
        ("¿En qué países se usará la ayuda que Japón anunció en Bruselas en 2023?", "place"),
        ("¿Quiénes convocaron la Conferencia Internacional de Donantes de 2020?", "entities"),
        ("¿Por qué Canadá no firmará un convenio bilateral con el Perú?", "explanation"),
        ("¿Hace Noruega asignaciones bilaterales a los gobiernos de los países de acogida?", "yesno"),
    ],
)
def test_kind(question: str, kind: str) -> None:
    assert interpret(question).kind == kind


def test_actor_event_and_meeting() -> None:
    it = interpret("¿Cuánto anunció Noruega en la reunión de coordinación del 13 de diciembre de 2022?")
    assert (it.kind, it.actors, it.recipient) == ("amount", ("Noruega",), None)
    assert it.event == Event((), "reunion de coordinacion", "reunion de coordinacion", 2022, 12, 13)
    assert it.event.describe() == "la reunión de coordinación del 13 de diciembre de 2022"


def test_conference_host_is_not_the_actor() -> None:
    it = interpret("¿Qué aporte anunció Italia en la conferencia organizada por Canadá en 2021?")
    assert it.actors == ("Italia",)
    assert it.event is not None and it.event.slugs == ("canada-2021",)
    assert it.event.describe() == "la Conferencia de Canadá 2021"


def test_alias_adjective_and_recipient() -> None:
    it = interpret("¿Qué ofreció el Gobierno alemán al Perú en la conferencia de Canadá?")
    assert (it.actors, it.recipient) == (("Alemania",), "Perú")
    assert it.event is not None and it.event.slugs == ("canada-2021",)


def test_place_without_year_names_both_conferences() -> None:
    it = interpret("¿Qué monto asignó Canadá al Perú de lo anunciado en Bruselas?")
    assert it.actors == ("Canadá",)
    assert it.event is not None and it.event.slugs == ("bruselas-2019", "bruselas-2023")


def test_unknown_names_and_count_target() -> None:
    it = interpret("¿Qué acuerdos se adoptaron en la reunión de seguimiento celebrada en Quito en agosto de 2022?")
    assert it.names == ("quit",)
    assert it.event is not None and (it.event.year, it.event.month, it.event.day) == (2022, 8, None)
    assert interpret("¿Cuántas delegaciones participaron en la conferencia de Bruselas de 2023?").count_of == "deleg"


def test_to_dict_is_json_ready() -> None:
    d = interpret("¿Cuánto anunció Suiza en la conferencia de Bruselas de 2023?").to_dict()
    assert d == {
        "kind": "amount",
        "actors": ["Suiza"],
        "recipient": None,
        "event": {
            "slugs": ["bruselas-2023"],
            "label": "Conferencia de Bruselas 2023",
            "meeting": None,
            "year": 2023,
            "month": None,
            "day": None,
            "unknown_conference": False,
            "ordinal": None,
            "description": "la Conferencia de Bruselas 2023",
        },
        "disbursement": False,
        "names": [],
        "count_of": None,
        "measure": [],
        "person": False,
        "topic": ["anunc"],
        "phrases": [],
        "given_amounts": [],
        "share": False,
        "need": False,
        "realised": True,
        "channels": [],
        "pledge": True,
    }


def test_a_meeting_at_a_conference_keeps_its_kind() -> None:
    it = interpret("¿Qué se acordó en la reunión bilateral con la delegación de Corea en Bruselas en 2023?")
    assert it.event is not None
    assert (it.event.slugs, it.event.meeting) == (("bruselas-2023",), "reunion bilateral")
    assert it.event.describe() == "la reunión bilateral de la Conferencia de Bruselas 2023"
    assert it.topic == ("acord", "bilateral", "deleg")


def test_a_conference_no_record_knows() -> None:
    it = interpret("¿Qué se acordó en la conferencia de donantes de 2022 organizada por México?")
    assert it.event is not None
    assert (it.event.slugs, it.event.unknown_conference, it.event.year) == ((), True, 2022)
    assert it.names == ("mexic",)
    assert it.event.describe() == "una conferencia de 2022"


def test_share_of_a_total_and_the_amounts_the_question_gives() -> None:
    it = interpret("¿Cuánto destinará Estados Unidos al Perú de los US$ 171 millones anunciados en Bruselas en 2023?")
    assert (it.recipient, it.share, it.given_amounts) == ("Perú", True, ("171000000",))
    plain = interpret("¿Cuánto anunció Canadá para el Perú en 2021?")
    assert (plain.recipient, plain.share, plain.given_amounts) == ("Perú", False, ())


def test_measure_person_and_name_phrases() -> None:
    rate = interpret("¿Cuál es la tasa de interés del préstamo del BID a Colombia?")
    assert (rate.kind, rate.count_of, rate.measure, rate.recipient) == ("count", "%", ("tas", "inter"), "Colombia")
    person = interpret("¿Cómo se llama el actual Superintendente Nacional de Migraciones?")
    assert person.person is True
    assert person.phrases == ("superintendente nacional de migraciones",)
    health = interpret("¿Cuánto asignó el Ministerio de Salud a la vacunación de migrantes en 2021?")
    assert health.phrases == ("ministerio de salud",)
    assert health.topic == ("asign", "vacun", "migrant")


def test_meeting_of_a_body_by_its_ordinal() -> None:
    it = interpret("¿Qué aporte comprometió Austria en la segunda reunión de la Mesa de Cooperantes?")
    assert (it.kind, it.actors) == ("amount", ("Austria",))
    assert (it.event.meeting, it.event.ordinal, it.event.year) == ("mesa de cooperantes", "segunda", None)
    assert it.event.describe() == "la segunda reunión de la Mesa de Cooperantes"


def test_specific_meeting_wins_over_reunion() -> None:
    it = interpret("¿Cuánto anunció Noruega en la reunión de la Mesa de Cooperantes de septiembre de 2024?")
    assert (it.event.meeting, it.event.year, it.event.month) == ("mesa de cooperantes", 2024, 9)
    assert it.event.describe() == "la reunión de la Mesa de Cooperantes de septiembre de 2024"


def test_technical_visit_is_an_event() -> None:
    it = interpret("¿Qué conclusiones dejó la visita técnica de los cooperantes a Tumbes de agosto de 2024?")
    assert (it.event.meeting, it.event.year, it.event.month) == ("visita tecnica", 2024, 8)
    assert it.event.describe() == "la visita técnica de agosto de 2024"


def test_singular_entity_questions() -> None:
    assert interpret("¿Qué embajada participó como observadora en la Mesa de Cooperantes?").kind == "entities"
    assert interpret("¿Qué organismo presidió la sesión?").kind == "entities"


def test_need_and_realised() -> None:
    asks = {
        "¿Cuánto requiere Migraciones para la renovación de los CPP en 2026?": (True, True),
        "¿Qué valor tiene la cartera de proyectos de la OIM?": (True, True),
        "¿Cuánto comprometió la OIM en la segunda reunión de la Mesa de Cooperantes?": (False, True),
        "¿Cuánto aportará el Perú como contrapartida nacional del préstamo?": (False, False),
        "¿Cuándo se realizará la próxima sesión del Comité de Cooperantes?": (False, False),
        "¿En cuánto podría ampliar la AECID su aporte?": (False, False),
        "¿Cuánto anunció Noruega en Bruselas en 2023?": (False, True),
    }
    assert {q: (interpret(q).need, interpret(q).realised) for q in asks} == asks


def test_conveners_channels_and_collectives_are_not_the_asked_actors() -> None:
    it = interpret("¿Qué monto ofreció Dinamarca en la conferencia que organizó Canadá?")
    assert (it.kind, it.actors, it.channels) == ("amount", ("Dinamarca",), ())
    assert it.event is not None and it.event.slugs == ("canada-2021",)
    it = interpret("¿Qué cantidad anunció Irlanda en la conferencia convocada por España y la UE en 2020?")
    assert (it.kind, it.actors) == ("amount", ("Irlanda",))
    it = interpret("¿Qué segundo desembolso hizo Dinamarca al programa de la OIM en noviembre de 2024?")
    assert (it.kind, it.actors, it.channels) == ("amount", ("Dinamarca",), ("OIM",))
    it = interpret("¿Los DKK 10 millones del acuerdo de Dinamarca con la OIM forman parte de lo anunciado en Bruselas?")
    assert (it.kind, it.actors, it.channels) == ("yesno", ("Dinamarca",), ("OIM",))
    assert interpret("¿Qué estados de desembolso distingue el informe sobre los donantes?").actors == ()


def test_a_bare_money_noun_does_not_make_an_amount_question() -> None:
    assert interpret("¿Se llegó a desembolsar el aporte danés de la conferencia de 2020, y cuándo?").kind == "date"
    assert interpret("¿Qué estados de desembolso distingue el informe de la APCI?").kind == "explanation"
    assert interpret("¿Qué aporte anunció Italia en 2021?").kind == "amount"
    assert interpret("¿Cuál es el monto del convenio?").kind == "amount"


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("¿Piensa Irlanda anunciar nuevos aportes durante 2024?", "yesno"),
        ("¿Qué préstamo concedió la CAF al Perú en 2022?", "amount"),
        ("¿Cuál fue el ofrecimiento de Luxemburgo en la conferencia de donantes de Canadá?", "amount"),
        ("¿Qué donativo hizo Australia al ACNUR?", "amount"),
    ],
)
def test_money_nouns_and_questions_without_a_question_word(question: str, kind: str) -> None:
    assert interpret(question).kind == kind


def test_a_contribution_at_a_conference_is_a_pledge() -> None:
    it = interpret("¿Cuál fue la contribución de Noruega en la conferencia de Bruselas de 2023?")
    assert (it.kind, it.pledge, it.disbursement) == ("amount", True, False)
    # A need, a disbursement or a meeting is not a pledge.
    assert interpret("¿Qué valor tenía la cartera del Perú para la conferencia de Bruselas de 2023?").pledge is False
    assert interpret("¿Cuánto desembolsó Noruega de lo que anunció en Bruselas en 2023?").pledge is False


def test_a_transfer_asks_a_disbursement_not_the_pledge() -> None:
    it = interpret("Al 30 de septiembre de 2024, ¿cuánto había transferido Irlanda de su aporte anunciado en Bruselas?")
    assert (it.disbursement, it.pledge) == (True, False)


def test_a_host_country_named_without_a_preposition_is_the_recipient() -> None:
    assert interpret("¿Cuánto recibió el Ecuador de la conferencia de Canadá?").recipient == "Ecuador"
    assert interpret("¿Cuánto recibió el Perú de la conferencia de Canadá?").recipient is None


@pytest.mark.parametrize(
    ("question", "slugs"),
    [
        ("¿Cuánto comprometió Italia en la tercera conferencia?", ("canada-2021",)),
        ("¿Cuánto comprometió Noruega en la primera conferencia?", ("bruselas-2019",)),
        ("¿Cuánto comprometió Noruega en la segunda conferencia de Bruselas?", ("bruselas-2023",)),
        ("¿Cuánto anunció Francia en la conferencia de mayo?", ("conferencia-2020",)),
        ("¿De cuánto fue el ofrecimiento de Suecia en la conferencia virtual?", ("conferencia-2020", "canada-2021")),
        ("¿Cuánto anunció Francia en la conferencia de marzo de 2023?", ("bruselas-2023",)),
    ],
)
def test_a_conference_named_without_its_year(question: str, slugs: tuple[str, ...]) -> None:
    event = interpret(question).event
    assert event is not None and event.slugs == slugs


def test_a_host_country_that_gives_is_an_actor_one_that_receives_the_recipient() -> None:
    assert interpret("¿Cuánto anunció México en la conferencia de Bruselas de 2023?").actors == ("México",)
    it = interpret("¿Qué parte de su ofrecimiento de Bruselas 2023 ha desembolsado el Uruguay?")
    assert (it.actors, it.recipient) == (("Uruguay",), None)
    it = interpret("¿Cuánto anunció España para Colombia y el Ecuador?")
    assert (it.actors, it.recipient) == (("España",), "Colombia")
    assert interpret("¿Cuánto recibió el Ecuador de la conferencia de Canadá?").actors == ()
    assert interpret("¿Cuánto destinó el Perú de su presupuesto en 2023?").actors == ()


def test_what_an_actor_did_after_a_conference_is_not_its_pledge() -> None:
    it = interpret("¿Qué monto destinó Austria a medios de vida en el Perú tras la conferencia de Bruselas de 2023?")
    assert (it.kind, it.pledge) == ("amount", False)
