from __future__ import annotations

from dataclasses import replace

from indexing.query.abstention import not_found_message
from indexing.query.evidence import SentenceContext, check_sentence
from indexing.query.interpretation import interpret

NORWAY_MEETING = interpret("¿Cuánto anunció Noruega en la reunión de coordinación del 13 de diciembre de 2022?")
NORWAY_2021 = interpret("¿Cuánto anunció Noruega en la conferencia de donantes organizada por Canadá en 2021?")


def ctx(chunk: str = "", *, before: str = "", title: str = "", date: str | None = None, conference: str | None = None):
    return SentenceContext(chunk, before, title, date, conference)


def test_amount_of_the_actor_at_the_event_answers() -> None:
    s = "el Gobierno de Noruega anunció una contribución de NOK 40 millones para la respuesta regional."
    assert check_sentence(NORWAY_2021, s, ctx(s, conference="canada-2021")).missing == ()


def test_another_conference_named_in_the_sentence_fails_the_event() -> None:
    s = "Noruega anunció NOK 60 millones en la Conferencia de Bruselas 2023."
    assert check_sentence(NORWAY_2021, s, ctx(s, conference="canada-2021")).missing == ("event",)


def test_observer_without_amount_is_not_an_answer() -> None:
    s = "Asistió por primera vez la Embajada de Noruega, en calidad de observadora."
    check = check_sentence(NORWAY_MEETING, s, ctx(s, date="2022-12-13"))
    assert check.missing == ("actor", "value")


def test_meeting_date_from_the_record_date() -> None:
    s = "Noruega anunció NOK 5 millones para el GTRM."
    assert check_sentence(NORWAY_MEETING, s, ctx(s, date="2022-12-13")).ok
    assert check_sentence(NORWAY_MEETING, s, ctx(s, date="2023-12-05")).missing == ("event",)


def test_another_donor_in_the_sentence_fails_the_actor() -> None:
    s = "España anunció EUR 50 millones."
    before = "Noruega participó como observadora."
    # España's amount is not Norway's: no value of the asked actor either.
    assert check_sentence(NORWAY_2021, s, ctx(s, before=before, conference="canada-2021")).missing == ("actor", "value")


def test_actor_unambiguous_in_the_title() -> None:
    s = "La contribución asciende a NOK 40 millones."
    c = ctx(s, title="Nota de la Embajada de Noruega", conference="canada-2021")
    assert check_sentence(NORWAY_2021, s, c).ok


def test_count_needs_a_number_of_the_thing_counted() -> None:
    it = interpret("¿Cuántas solicitudes de CPP se habían presentado hasta abril de 2022?")
    good = "hasta abril de 2022 se habían recibido más de 380.000 solicitudes de CPP"
    money = "Migraciones destinará S/ 18,6 millones al CPP en abril de 2022"
    assert check_sentence(it, good, ctx(good)).ok
    assert check_sentence(it, money, ctx(money)).missing == ("value", "topic")


def test_date_question_needs_a_date() -> None:
    it = interpret("¿Cuándo se firmó el convenio de la donación alemana?")
    s1 = "Convenio de EUR 12 millones firmado el 22 de marzo de 2022, ejecutado por la GIZ."
    s2 = "El convenio con Alemania se firmó tras varias reuniones."
    assert check_sentence(it, s1, ctx(s1)).ok
    assert check_sentence(it, s2, ctx(s2)).missing == ("value",)


def test_names_must_be_in_the_passage() -> None:
    it = interpret("¿Qué acuerdos se adoptaron en la reunión de seguimiento celebrada en Quito en agosto de 2022?")
    s = "En la reunión de seguimiento de agosto de 2022 se acordó publicar la matriz."
    assert check_sentence(it, s, ctx(s, date="2022-08-10")).missing == ("names",)


def test_message_says_what_is_missing() -> None:
    assert not_found_message(NORWAY_MEETING, ("event",)) == (
        "Ningún registro indica un aporte de Noruega en la reunión de coordinación del 13 de diciembre de 2022. "
        "Los pasajes más cercanos mencionan a Noruega, pero no en la reunión de coordinación del 13 de diciembre de "
        "2022. Vea los pasajes relacionados."
    )
    assert not_found_message(NORWAY_2021, ("actor", "value")) == (
        "Ningún registro indica un aporte de Noruega en la Conferencia de Canadá 2021. Los pasajes más cercanos no "
        "lo atribuyen a Noruega. Vea los pasajes relacionados."
    )


US_SHARE = interpret("¿Cuánto destinará Estados Unidos al Perú de los US$ 171 millones anunciados en Bruselas en 2023?")
UK_SHARE = interpret("¿Cuánto destinó el Reino Unido al Perú de lo que anunció en Bruselas?")


def test_share_needs_the_recipient_alone_and_a_new_amount() -> None:
    premise = (
        "En dicha conferencia, el Gobierno de los Estados Unidos anunció 171 millones de dólares (unos 160 millones "
        "de euros) en asistencia humanitaria para el Perú."
    )
    assert check_sentence(US_SHARE, premise, ctx(premise, conference="bruselas-2023")).missing == ("value",)
    part = "Estados Unidos destinará US$ 40 millones de ese anuncio al Perú."
    assert check_sentence(US_SHARE, part, ctx(part, conference="bruselas-2023")).ok
    regional = "Estados Unidos confirmó US$ 40 millones para la respuesta regional."
    assert check_sentence(US_SHARE, regional, ctx(regional, conference="bruselas-2023")).missing == ("recipient",)
    joint = "| Reino Unido | 8 millones | GBP | Donación | Colombia y Perú |"
    assert check_sentence(UK_SHARE, joint, ctx(joint, conference="bruselas-2023")).missing == ("recipient",)


def test_a_value_stated_as_unknown_is_not_an_answer() -> None:
    s = "- Bruselas, marzo de 2023: GBP 8 millones para el Perú; la parte destinada al Perú aún no ha sido precisada."
    assert check_sentence(UK_SHARE, s, ctx(s, before="Reino Unido")).missing == ("value",)


def test_recipient_other_than_the_archive_country_and_by_adjective() -> None:
    it = interpret("¿Cuántos venezolanos residían en Chile en 2021?")
    s = "El Perú acoge a más de un millón de personas venezolanas en 2021."
    assert "recipient" in check_sentence(it, s, ctx(s)).missing
    canada = interpret("¿Qué parte de los fondos que Canadá anunció en 2021 se asignó al Perú?")
    s = "se ha acordado destinar CAD 10 millones a actividades en territorio peruano durante el período 2021-2022."
    assert check_sentence(canada, s, ctx(s, title="Nota de la Embajada de Canadá", date="2021-08-16")).ok


def test_amounts_belong_to_their_nearest_donor() -> None:
    it = interpret("¿Qué parte de los CHF 8 millones anunciados por Suiza en Bruselas se destinó al Perú?")
    s = (
        "La matriz no incluye los anuncios regionales sin asignación nacional (por ejemplo, los NOK 60 millones de "
        "Noruega o los CHF 8 millones de Suiza en 2023), que el Perú no ha utilizado."
    )
    assert check_sentence(it, s, ctx(s, conference="bruselas-2023")).missing == ("value",)


def test_a_conference_host_is_not_the_actor() -> None:
    it = interpret("¿Cuánto anunció Canadá en 2021?")
    s = "- Conferencia de Canadá, junio de 2021: CHF 4,5 millones para el Perú."
    assert check_sentence(it, s, ctx(s, before="## Suiza")).missing == ("actor",)
    assert check_sentence(it, s, ctx(s, before="## Canadá")).ok


def test_unknown_conference_is_not_a_known_one() -> None:
    it = interpret("¿Qué se acordó en la conferencia de donantes de 2022 organizada por México?")
    s = "El informe consolida los compromisos de la Conferencia de Donantes de 2020 convocada por España y México."
    assert "event" in check_sentence(it, s, ctx(s, date="2022-12-31")).missing


def test_announced_and_cancelled_meetings() -> None:
    june = interpret("¿Qué acuerdos se adoptaron en la reunión de coordinación de la APCI de junio de 2023?")
    chunk = (
        "Acuerdos de la reunión de coordinación.\n"
        "- La Cancillería preparará una cartera de proyectos para la conferencia de 2023.\n"
        "- La próxima reunión de coordinación se realizará en junio de 2023."
    )
    s = "- La Cancillería preparará una cartera de proyectos para la conferencia de 2023."
    assert "event" in check_sentence(june, s, ctx(chunk, date="2022-12-13")).missing
    korea = interpret("¿Qué se acordó en la reunión bilateral con la delegación de Corea en Bruselas en 2023?")
    s = "5.4 La reunión bilateral prevista con la delegación de la República de Corea no se realizó."
    assert "event" in check_sentence(korea, s, ctx(s, conference="bruselas-2023")).missing


def test_meeting_kind_must_be_named_unless_the_record_is_of_that_day() -> None:
    it = interpret("¿Qué acuerdos se adoptaron en la reunión de coordinación de la APCI de junio de 2023?")
    s = "- Migraciones remitirá su nota de necesidades a la Cancillería antes del 30 de junio de 2023."
    title = "Acta de la sesión de la Mesa Intersectorial"
    assert "event" in check_sentence(it, s, ctx(s, title=title, date="2023-05-25")).missing
    same = ctx(s, title="Acta de la reunión de coordinación", date="2023-06-20")
    assert "event" not in check_sentence(it, s, same).missing


def test_rate_person_and_topic() -> None:
    rate = interpret("¿Cuál era el tipo de cambio oficial del sol frente al euro en 2023?")
    s = "5.4 La reunión prevista no se realizó por cambios en la agenda en 2023."
    assert "value" in check_sentence(rate, s, ctx(s)).missing
    person = interpret("¿Cómo se llama el actual Superintendente Nacional de Migraciones?")
    office = (
        "La delegación estuvo presidida por la Ministra de Relaciones Exteriores y el Superintendente Nacional de "
        "Migraciones."
    )
    assert check_sentence(person, office, ctx(office)).missing == ("value",)
    named = "El Superintendente Nacional de Migraciones, Armando García Torres, inauguró la sesión."
    assert check_sentence(person, named, ctx(named)).ok
    sanctions = interpret("¿Qué sanciones impuso la Unión Europea a Venezuela en 2020?")
    s = "La Comisión Europea aportará EUR 144,2 millones en donaciones para Venezuela en 2020."
    assert check_sentence(sanctions, s, ctx(s)).missing == ("topic",)
    health = interpret("¿Cuánto asignó el Ministerio de Salud a la vacunación de migrantes en 2021?")
    s = "Como es de conocimiento del Ministerio, en 2021 Canadá asignó CAD 115 millones a la salud."
    assert check_sentence(health, s, ctx(s)).missing == ("names",)


# Minutes of a cooperants' meeting of 12 September 2024 (the shape of corpus/records/acta_mesa_cooperantes_*).
MINUTES_TITLE = "Acta de la segunda reunión de la Mesa de Cooperantes para la Respuesta Migratoria"


def test_ordinal_meeting_only_announced_is_not_held() -> None:
    it = interpret("¿Qué acuerdos se adoptaron en la tercera reunión de la Mesa de Cooperantes en Arequipa?")
    announced = "La tercera reunión de la Mesa de Cooperantes se realizará en Arequipa en marzo de 2025."
    c = ctx(announced, title=MINUTES_TITLE, date="2024-09-12")
    assert (it.event.meeting, it.event.ordinal) == ("mesa de cooperantes", "tercera")
    assert check_sentence(it, announced, c).missing == ("event",)


def test_ordinal_meeting_stated_in_the_title() -> None:
    it = interpret("¿Cuánto anunció Noruega en la segunda reunión de la Mesa de Cooperantes?")
    s = "La Embajada de Noruega anunció un aporte de NOK 20 millones para la regularización migratoria en 2025."
    assert check_sentence(it, s, ctx(s, title=MINUTES_TITLE, date="2024-09-12")).ok
    other = "Acta de la primera reunión de la Mesa de Cooperantes"
    assert check_sentence(it, s, ctx(s, title=other, date="2024-03-01")).missing == ("event",)


def test_ordinal_is_never_read_in_segun() -> None:
    it = interpret("¿Cuánto anunció Noruega en la segunda reunión de la Mesa de Cooperantes?")
    s = "Según la Mesa de Cooperantes, Noruega anunció NOK 20 millones."
    assert check_sentence(it, s, ctx(s, title="Acta de la Mesa de Cooperantes")).missing == ("event",)


def test_years_in_the_record_of_that_meeting_are_periods() -> None:
    it = interpret("¿Cuánto anunció Noruega en la reunión de la Mesa de Cooperantes de septiembre de 2024?")
    s = "La Embajada de Noruega anunció un aporte de NOK 20 millones para la regularización migratoria en 2025."
    assert check_sentence(it, s, ctx(s, title=MINUTES_TITLE, date="2024-09-12")).ok
    assert check_sentence(it, s, ctx(s, title=MINUTES_TITLE, date="2025-03-20")).missing == ("event",)


def test_cancelled_visit_is_not_held_but_does_not_cancel_the_meeting() -> None:
    suspended = (
        "La APCI informó que la visita técnica de los cooperantes a Tumbes, programada para agosto de 2024, fue "
        "suspendida por razones de seguridad en la zona de frontera y no ha sido reprogramada."
    )
    pledge = "La Embajada de Noruega anunció un aporte de NOK 20 millones para la regularización migratoria."
    chunk = f"{pledge} {suspended}"
    visit = interpret("¿Qué conclusiones dejó la visita técnica de los cooperantes a Tumbes de agosto de 2024?")
    assert visit.event.meeting == "visita tecnica"
    assert check_sentence(visit, suspended, ctx(chunk, date="2024-09-12")).missing == ("event",)
    why = interpret("¿Por qué se suspendió la visita técnica de los cooperantes a Tumbes de agosto de 2024?")
    assert check_sentence(why, suspended, ctx(chunk, date="2024-09-12")).ok
    meeting = interpret("¿Cuánto anunció Noruega en la reunión de la Mesa de Cooperantes de septiembre de 2024?")
    assert check_sentence(meeting, pledge, ctx(chunk, title=MINUTES_TITLE, date="2024-09-12")).ok


def test_passage_about_two_conferences_needs_the_sentence_before() -> None:
    it = interpret("¿Cuánto anunció Noruega en la conferencia virtual de donantes de mayo de 2020?")
    before = "La Embajada se refiere a la conferencia de donantes organizada por Canadá el 17 de junio de 2021."
    s = "En dicha ocasión, el Gobierno de Noruega anunció una contribución de NOK 40 millones."
    after = "En la conferencia virtual de mayo de 2020, Noruega participó sin anunciar montos."
    chunk = f"{before} {s} {after}"
    assert check_sentence(it, s, ctx(chunk, before=before, conference="canada-2021")).missing == ("event",)
    alone = f"{s} {after}"
    single = interpret("¿Cuánto anunció Noruega en la conferencia virtual de donantes de 2020?")
    assert check_sentence(single, s, ctx(alone, before="")).ok


def test_institution_asked_about_must_be_the_sentence_s_subject() -> None:
    it = interpret("¿Qué informó el Ministerio de Salud en la sesión de mayo de 2023 de la Mesa Intersectorial?")
    absent = "El Ministerio de Salud, convocado, no respondió a la invitación."
    other = "La Dirección de Migración y Desarrollo informó que en la conferencia se registraron cuatro anuncios."
    chunk = f"{absent} {other}"
    c = ctx(chunk, before=absent, title="Acta de la sesión de la Mesa Intersectorial", date="2023-05-16")
    assert check_sentence(it, other, c).missing == ("names",)
    assert check_sentence(it, absent, ctx(chunk, title=c.title, date=c.date)).missing == ("names", "topic")
    said = "El Ministerio de Salud informó que vacunó a 12.000 migrantes."
    assert check_sentence(it, said, ctx(said, title=c.title, date=c.date)).ok


def test_conferences_named_lists_every_conference() -> None:
    from indexing.query.evidence import conferences_named

    text = "En la conferencia de Canadá de 2021 anunció NOK 40 millones; en la conferencia virtual de 2020, nada."
    assert conferences_named(text) == {"Conferencia de Canadá 2021", "Conferencia de Donantes 2020"}
    assert conferences_named("Sin conferencia alguna, en 2021.") == {"Conferencia de Canadá 2021"}
    assert conferences_named("En 2021 no hubo anuncios.") == set()


def test_entities_answer_names_an_actor_or_institution() -> None:
    it = interpret("¿Qué embajadas estuvieron presentes en la reunión de seguimiento de julio de 2023?")
    c = ctx("", title="Reunión de seguimiento", date="2023-07-17")
    listed = "Misiones diplomáticas: Embajadas de Alemania, Canadá y España."
    opening = "El Viceministro agradeció a las embajadas presentes su interés en la reunión."
    assert check_sentence(it, listed, c).ok
    assert check_sentence(it, opening, c).missing == ("value",)


def test_event_that_did_not_take_place_answers_only_why() -> None:
    suspended = "La visita técnica a Tumbes, programada para agosto de 2024, fue suspendida por razones de seguridad."
    c = ctx(suspended, date="2024-09-12")
    what = interpret("¿Qué proyectos visitaron los cooperantes en Tumbes en agosto de 2024?")
    assert check_sentence(what, suspended, c).missing == ("event",)
    assert check_sentence(interpret("¿Por qué se suspendió la visita a Tumbes de agosto de 2024?"), suspended, c).ok


def test_a_word_of_the_question_is_not_an_announcement() -> None:
    it = interpret("¿Qué embajadas no respondieron a la convocatoria de la Mesa de Cooperantes de septiembre de 2024?")
    s = "Se invitó también a las Embajadas de Dinamarca y de Austria, que no respondieron a la convocatoria."
    assert check_sentence(it, s, ctx(s, title="Acta de la Mesa de Cooperantes", date="2024-09-12")).ok


def test_message_names_the_institution_asked_about() -> None:
    it = interpret("¿Qué informó el Ministerio de Salud en la sesión de mayo de 2023 de la Mesa Intersectorial?")
    assert not_found_message(it, ("names", "topic")) == (
        "Ningún registro responde a esta pregunta sobre el Ministerio de Salud en la sesión de mayo de 2023. "
        "Los pasajes más cercanos no atribuyen esa información al Ministerio de Salud. Vea los pasajes relacionados."
    )


def test_message_for_an_announced_meeting() -> None:
    it = interpret("¿Qué acuerdos se adoptaron en la tercera reunión de la Mesa de Cooperantes en Arequipa?")
    assert not_found_message(it, ("event",)) == (
        "Ningún registro lo indica en la tercera reunión de la Mesa de Cooperantes. Los pasajes más cercanos tratan "
        "del tema, pero no en la tercera reunión de la Mesa de Cooperantes. Vea los pasajes relacionados."
    )


def test_a_sentence_dated_in_another_month_of_the_year_is_about_another_time() -> None:
    it = interpret("¿Qué proyectos visitaron los cooperantes en Tumbes en agosto de 2024?")
    later = "Los cooperantes remitirán a la APCI la información de sus proyectos antes del 15 de noviembre de 2024."
    assert check_sentence(it, later, ctx(f"{later} Tumbes.", date="2024-09-12")).missing == ("event",)
    same = "En agosto de 2024 los cooperantes visitaron en Tumbes los proyectos de salud."
    assert check_sentence(it, same, ctx(same, date="2024-09-12")).ok


def test_message_keeps_the_actor_s_article() -> None:
    it = interpret("¿Cuánto anunció el Reino Unido en la conferencia organizada por Canadá en 2021?")
    assert not_found_message(it, ("actor", "value")) == (
        "Ningún registro indica un aporte del Reino Unido en la Conferencia de Canadá 2021. Los pasajes más "
        "cercanos no lo atribuyen al Reino Unido. Vea los pasajes relacionados."
    )


def test_why_questions_and_causes() -> None:
    from indexing.query.evidence import asks_cause, states_cause

    assert asks_cause(interpret("¿Por qué se canceló el taller nacional de cooperación de marzo de 2020?"))
    assert not asks_cause(interpret("¿Por qué canal se ejecuta el aporte de Portugal?"))
    assert not asks_cause(interpret("¿Cómo se garantizará la transparencia?"))
    assert states_cause("La decisión se adopta en cumplimiento del Decreto Supremo N.º 044-2020-PCM.")
    assert states_cause("Dado que los fondos serán ejecutados por los organismos, Canadá no firmará un convenio.")
    assert not states_cause("El taller queda cancelado.")


def test_future_and_planned_meetings_are_announced() -> None:
    it = interpret("¿Qué acordó la Mesa de Cooperantes en su reunión de marzo de 2025?")
    c = ctx("", title="Acta", date="2024-09-12")
    for s in (
        "La Mesa de Cooperantes se reunirá en Arequipa en marzo de 2025 para acordar los proyectos.",
        "La reunión de la Mesa de Cooperantes, programada para marzo de 2025, acordará los proyectos.",
    ):
        assert check_sentence(it, s, ctx(s, title=c.title, date=c.date)).missing == ("event",)
    why = interpret("¿Por qué se suspendió la visita técnica de agosto de 2024?")
    s = "La visita técnica, programada para agosto de 2024, fue suspendida por razones de seguridad."
    assert check_sentence(why, s, ctx(s, date="2024-09-12")).ok


def test_where_an_announced_meeting_will_be_held() -> None:
    it = interpret("¿Dónde se realizará la tercera reunión de la Mesa de Cooperantes?")
    s = "La tercera reunión de la Mesa de Cooperantes se realizará en Arequipa en marzo de 2025."
    assert check_sentence(it, s, ctx(s, title=MINUTES_TITLE, date="2024-09-12")).ok


def test_message_for_a_bare_day() -> None:
    it = interpret("¿Cuánto se había desembolsado del convenio con la AECID al 31 de mayo de 2022?")
    assert not_found_message(it, ("event",)) == (
        "Ningún registro indica un aporte de la AECID el 31 de mayo de 2022. Los pasajes más cercanos mencionan a "
        "la AECID, pero no el 31 de mayo de 2022. Vea los pasajes relacionados."
    )


_BY_CONFERENCE = (
    "| Donante | Bruselas 2019 | Conferencia 2020 | Canadá 2021 | Bruselas 2023 |\n"
    "|---|---|---|---|---|\n"
    "| Reino Unido | 10 | 21 | — | 15,5 |\n"
    "| Australia | Sin anuncio | 3 | 1 | 4 |"
)


def test_a_table_row_empty_in_the_asked_conference_column_has_no_value() -> None:
    uk, australia = _BY_CONFERENCE.splitlines()[2:]
    uk_2021 = interpret("¿Cuánto anunció el Reino Unido en la conferencia organizada por Canadá en 2021?")
    uk_2023 = interpret("¿Cuánto anunció el Reino Unido en la conferencia de Bruselas de 2023?")
    au_2019 = interpret("¿Cuánto comprometió Australia en la conferencia de Bruselas de 2019?")
    tables = ctx(_BY_CONFERENCE, conference="canada-2021")
    assert "value" in check_sentence(uk_2021, uk, tables).missing  # "—" under "Canadá 2021"
    assert "value" not in check_sentence(uk_2023, uk, ctx(_BY_CONFERENCE, conference="bruselas-2023")).missing
    assert "value" in check_sentence(au_2019, australia, ctx(_BY_CONFERENCE, conference="bruselas-2019")).missing


def test_a_table_without_a_column_for_the_conference_is_not_constrained_by_it() -> None:
    table = "| Donante | Monto (millones de USD) | Estado |\n|---|---|---|\n| Reino Unido | 15,5 | Anunciado |"
    row = table.splitlines()[2]
    uk_2021 = interpret("¿Cuánto anunció el Reino Unido en la conferencia organizada por Canadá en 2021?")
    assert "value" not in check_sentence(uk_2021, row, ctx(table, conference="canada-2021")).missing


# The value must be attributable to the asked actor, stated as given (not as a need) and as done (not as planned).

MESA_2024 = "2024-09-12"
MESA_TITLE = "Acta de la segunda reunión de la Mesa de Cooperantes para la Respuesta Migratoria"
OIM_PORTFOLIO = (
    "2.4 La OIM presentó su cartera de proyectos de integración socioeconómica, valorada en US$ 18 millones, que aún "
    "busca financiamiento."
)
NORWAY_VIA_UNHCR = (
    "2.1 La Embajada de Noruega anunció un aporte de NOK 20 millones para la regularización migratoria en 2025, que "
    "será canalizado por el ACNUR."
)


def test_amount_owners_nearest_actor_before_possessive_after_and_not_the_channel() -> None:
    from indexing.query.evidence import amount_owners

    assert amount_owners(OIM_PORTFOLIO) == {87: "OIM"}
    assert amount_owners(NORWAY_VIA_UNHCR) == {48: "Noruega"}
    assert amount_owners("los NOK 60 millones de Noruega o los CHF 8 millones de Suiza") == {4: "Noruega", 37: "Suiza"}
    # A list item under its donor's header: the channel after the amount is not its owner.
    item = "- SEK 60 millones (unos EUR 5,3 millones) de ayuda humanitaria para la región, canalizados por el ACNUR."
    assert amount_owners(item) == {}
    # The recipient ("a UNICEF") is not the giver; the host country is never an owner.
    assert amount_owners("Los Países Bajos desembolsaron a UNICEF en agosto de 2023 EUR 2,6 millones.") == {
        58: "Países Bajos"
    }
    assert amount_owners("El Perú recibió US$ 5 millones.") == {}


def test_amount_of_another_actor_after_the_asked_actors_sentence_is_not_its_answer() -> None:
    it = interpret("¿Qué monto comprometió Suecia en la reunión de la Mesa de Cooperantes de septiembre de 2024?")
    before = "2.3 La Embajada de Suecia informó que su programa atendió a 2.300 personas, sin anunciar nuevos fondos."
    check = check_sentence(it, OIM_PORTFOLIO, ctx(OIM_PORTFOLIO, before=before, title=MESA_TITLE, date=MESA_2024))
    assert check.missing == ("actor", "value")


def test_the_channel_of_an_amount_is_not_its_giver() -> None:
    it = interpret("¿Qué aporte anunció el ACNUR en la reunión de la Mesa de Cooperantes de septiembre de 2024?")
    c = ctx(NORWAY_VIA_UNHCR, title=MESA_TITLE, date=MESA_2024)
    assert check_sentence(it, NORWAY_VIA_UNHCR, c).missing == ("actor", "value")
    norway = interpret("¿Cuánto anunció Noruega en la segunda reunión de la Mesa de Cooperantes?")
    assert check_sentence(norway, NORWAY_VIA_UNHCR, c).ok


def test_a_value_still_seeking_funding_answers_what_it_is_worth_not_what_was_pledged() -> None:
    pledged = interpret("¿Cuánto comprometió la OIM en la segunda reunión de la Mesa de Cooperantes?")
    worth = interpret("¿Qué valor tiene la cartera de proyectos de integración socioeconómica de la OIM?")
    assert (pledged.need, worth.need) == (False, True)
    c = ctx(OIM_PORTFOLIO, title=MESA_TITLE, date=MESA_2024)
    assert check_sentence(pledged, OIM_PORTFOLIO, c).missing == ("value",)
    assert check_sentence(worth, OIM_PORTFOLIO, c).ok


def test_a_requirement_answers_a_question_about_needs_only() -> None:
    s = "La Superintendencia Nacional de Migraciones informó que en 2025 requiere S/ 30 millones para renovar los CPP."
    need = interpret("¿Cuánto requiere Migraciones para renovar los CPP en 2025?")
    given = interpret("¿Cuánto aportó el Estado para renovar los CPP en 2025?")
    assert check_sentence(need, s, ctx(s)).ok
    assert check_sentence(given, s, ctx(s)).missing == ("value",)


def test_a_planned_or_conditional_amount_does_not_answer_what_took_place() -> None:
    done = interpret("¿En cuánto amplió la AECID su aporte con la programación de 2024?")
    planned = interpret("¿En cuánto podría ampliar la AECID su aporte en 2024?")
    assert (done.realised, planned.realised) == (True, False)
    s = "La AECID podría ampliar el aporte en EUR 1 millón si se aprueba la programación de 2024."
    assert check_sentence(done, s, ctx(s)).missing == ("value",)
    assert check_sentence(planned, s, ctx(s)).ok
    later = "El directorio estudia una segunda operación, que se realizaría por alrededor de USD 100 millones."
    bank = interpret("¿Cuánto aportó el Banco Mundial en su segunda operación?")
    assert check_sentence(bank, later, ctx(later, before="2.4 Banco Mundial.")).missing == ("value",)


def test_what_will_be_done_with_a_given_amount_does_not_make_it_planned() -> None:
    from indexing.query.evidence import value_windows

    start = NORWAY_VIA_UNHCR.index("NOK")
    end = start + len("NOK 20 millones")
    assert value_windows(NORWAY_VIA_UNHCR, start, end) == (
        "2.1 la embajada de noruega anuncio un aporte de ",
        " para la regularizacion migratoria en 2025, que sera canalizado por el acnur",
    )
    tranche = "El primer tramo, de CAD 1,8 millones, fue desembolsado en noviembre de 2023; el segundo tramo, de CAD 4 "
    tranche += "millones, se efectuará en el primer semestre de 2024."
    start = tranche.index("CAD 4")
    assert value_windows(tranche, start, start + len("CAD 4 millones")) == (
        " el segundo tramo, de ",
        ", se efectuara en el primer semestre de 2024",
    )
    it = interpret("¿Cuánto desembolsó Canadá en el segundo tramo de su contribución?")
    assert check_sentence(it, tranche, ctx(tranche, before="2.1 Canadá.")).ok  # the first tranche was disbursed
    only_second = "El segundo tramo, de CAD 4 millones, se efectuará en el primer semestre de 2024."
    assert check_sentence(it, only_second, ctx(only_second, before="2.1 Canadá.")).missing == ("value",)


def test_a_month_asked_must_be_stated_unambiguously() -> None:
    it = interpret("¿Qué proyectos visitaron los cooperantes en Tumbes en agosto de 2024?")
    item = "- Los cooperantes remitirán la información de ejecución de sus proyectos de Tumbes."
    chunk = (
        "La visita técnica de los cooperantes a Tumbes, programada para agosto de 2024, fue suspendida. "
        "Los cooperantes remitirán la información antes del 15 de noviembre de 2024. " + item
    )
    assert check_sentence(it, item, ctx(chunk, date="2024-09-12")).missing == ("event",)
    # The record of that month, or a passage whose only dates of that year are in that month, states it.
    assert check_sentence(it, item, ctx(item, date="2024-08-20")).ok
    only_august = "En agosto de 2024 los cooperantes recorrieron Tumbes. " + item
    assert check_sentence(it, item, ctx(only_august, date="2024-09-12")).ok
    assert check_sentence(it, item, ctx(item, before="Visita de agosto de 2024.", date="2024-09-12")).ok
    # The month in a sentence calling the visit off is not when it took place.
    suspended = "La visita técnica a Tumbes, programada para agosto de 2024, fue suspendida."
    assert check_sentence(it, item, ctx(item, before=suspended, date="2024-09-12")).missing == ("event",)


def test_a_place_answer_names_a_place_the_question_does_not() -> None:
    it = interpret("¿En qué países se usará la ayuda que Japón anunció en Bruselas en 2023?")
    restates = (
        "El Gobierno del Japón anunció, en la Conferencia Internacional en Solidaridad, celebrada en Bruselas en 2023, "
        "US$ 4,8 millones."
    )
    answers = "La ayuda se destinará a la asistencia alimentaria en Colombia, Ecuador y el Perú."
    c = ctx(restates + " " + answers, conference="bruselas-2023")
    assert check_sentence(it, restates, c).missing == ("value",)
    assert check_sentence(it, answers, replace(c, before=restates)).ok
    room = interpret("¿En qué sala se realizó el taller de seguimiento con los gobiernos locales de octubre de 2023?")
    s = "El taller se realizará el martes 24 de octubre de 2023 en la Sala Bolognesi del Centro Cultural."
    assert check_sentence(room, s, ctx(s, date="2023-10-24")).ok


def test_a_planned_count_does_not_answer_what_took_place() -> None:
    done = interpret("¿Cuántas personas atendió el programa de integración laboral de Suecia en 2024?")
    planned = interpret("¿A cuántas personas atenderá el programa de integración laboral de Suecia en 2024?")
    s_done = "La Embajada de Suecia informó que su programa de integración laboral atendió a 2.300 personas en 2024."
    s_planned = "La Embajada de Suecia informó que su programa de integración podría atender a 2.300 personas en 2024."
    assert check_sentence(done, s_done, ctx(s_done)).ok
    assert check_sentence(done, s_planned, ctx(s_planned)).missing == ("value",)
    assert check_sentence(planned, s_planned, ctx(s_planned)).ok


def test_nouns_sharing_a_stem_with_a_modal_verb_are_not_modal() -> None:
    it = interpret("¿Cuántas aulas temporales se habilitaron en Lima Norte para estudiantes venezolanos?")
    s = "se habilitaron 37 aulas temporales en Lima Norte para recibir a estudiantes venezolanos"
    assert check_sentence(it, s, ctx(s)).ok
    docs = interpret("¿Cuántos documentos revisó el equipo evaluador en la evaluación?")
    s = "El equipo evaluador revisó 37 documentos oficiales (notas de prensa, actas y cartas)."
    assert check_sentence(docs, s, ctx(s)).ok


def test_another_asked_actor_is_no_rival_and_a_channel_is_read_in_the_passage() -> None:
    it = interpret("¿Cuántas emprendedoras inscribió el programa de ONU Mujeres que financia Australia?")
    s = "Australia desembolsó un primer tramo de AUD 600.000, y el programa inscribió a 420 emprendedoras."
    c = ctx(s, before="ONU Mujeres ejecuta el programa de autonomía económica.")
    assert check_sentence(it, s, c).ok
    oim = interpret("¿Qué segundo desembolso hizo Dinamarca al programa de la OIM en noviembre de 2024?")
    s = "La Embajada Real de Dinamarca desembolsó en noviembre un segundo tramo de DKK 3 millones."
    chunk = "El programa de la OIM en Tumbes recibió un primer tramo en julio. " + s
    assert check_sentence(oim, s, ctx(chunk, date="2024-12-10")).ok
    assert check_sentence(oim, s, ctx(s, date="2024-12-10")).missing == ("actor",)


def test_when_an_event_is_held_its_organizer_may_be_anywhere_in_the_record() -> None:
    it = interpret("¿Qué día está convocada la reunión técnica de cooperantes sobre salud mental de la OPS?")
    s = "Fecha: jueves 20 de febrero de 2025, de 9:00 a 13:00 horas, en la sede del Minsa."
    chunk = "Organizan: Ministerio de Salud del Perú y Organización Panamericana de la Salud (OPS). " + s
    assert check_sentence(it, s, ctx(chunk)).missing == ()
    assert check_sentence(it, s, ctx(s)).missing == ("actor",)


def test_a_record_written_before_the_meeting_cannot_say_what_happened_at_it() -> None:
    it = interpret("¿Qué cooperantes asistieron a la reunión técnica de salud mental de febrero de 2025?")
    s = "Se convoca a las embajadas de Finlandia, Luxemburgo, Italia, Bélgica y Suiza a la reunión técnica."
    assert check_sentence(it, s, ctx(s, date="2025-01-28")).missing == ("event",)
    held = "Asistieron las embajadas de Finlandia, Luxemburgo, Italia, Bélgica y Suiza a la reunión técnica."
    assert check_sentence(it, held, ctx(held, date="2025-02-20")).ok
    when = interpret("¿Cuándo se realizará la reunión técnica de salud mental de febrero de 2025?")
    s = "La reunión técnica se realizará el jueves 20 de febrero de 2025."
    assert check_sentence(when, s, ctx(s, date="2025-01-28")).ok


def test_needs_and_disbursements_do_not_answer_what_was_pledged() -> None:
    it = interpret("¿Qué aportes anunciaron los cooperantes en la reunión técnica sobre salud mental?")
    s = (
        "- Revisar las necesidades de financiamiento del plan de salud mental 2025-2026, que el Ministerio de Salud "
        "estima en US$ 6 millones."
    )
    assert check_sentence(it, s, ctx(s)).missing == ("value",)
    france = interpret("¿Qué nuevo aporte anunció Francia en la segunda sesión del grupo de integración?")
    assert france.pledge
    s = "La AFD informó que el 20 de mayo de 2024 desembolsó EUR 600.000 del aporte francés."
    title = "Acta de la segunda sesión del grupo de integración"
    assert check_sentence(france, s, ctx(s, title=title, date="2024-06-13")).missing == ("value",)
    s = "La AFD anunció un nuevo aporte de EUR 1 millón para el empleo de jóvenes migrantes."
    assert check_sentence(france, s, ctx(s, title=title, date="2024-06-13")).ok


def test_a_balance_still_to_be_transferred_is_not_what_was_given() -> None:
    it = interpret("¿Cuánto aportó Francia al convenio de integración?")
    s = "El saldo del convenio de integración, EUR 1,2 millones, se transferirá en 2025."
    assert check_sentence(it, s, ctx(s, before="Francia.", date="2024-06-13")).missing == ("value",)
    # A commitment made before the date it names is no meeting: the record's date does not rule it out.
    protocol = interpret("¿Qué protocolo se comprometió a publicar la Defensoría del Pueblo en junio de 2024?")
    s = "La Defensoría del Pueblo se comprometió a publicar en junio de 2024 un protocolo de atención a la niñez."
    assert check_sentence(protocol, s, ctx(s, date="2024-04-11")).ok


def test_a_gap_question_needs_a_gap_not_a_given_amount() -> None:
    it = interpret("¿Qué brecha de financiamiento estimó Migraciones para el periodo 2025-2026?")
    given = "Migraciones recibió EUR 2 millones de la Unión Europea para el periodo 2025-2026."
    worth = "Migraciones recibió equipos valorizados en US$ 180.000 para el periodo 2025-2026."
    gap = "Migraciones estimó una brecha de financiamiento de S/ 50 millones para el periodo 2025-2026."
    assert check_sentence(it, given, ctx(given)).missing == ("value",)
    assert check_sentence(it, worth, ctx(worth)).missing == ("value",)  # a value is not a gap
    assert check_sentence(it, gap, ctx(gap)).ok


def test_a_value_question_takes_a_cost_or_a_value() -> None:
    it = interpret("¿Qué valor tiene la cartera de proyectos de la OIM?")
    assert it.need
    worth = "La OIM presentó su cartera de proyectos, valorada en US$ 18 millones."
    given = "La OIM recibió US$ 18 millones para su cartera de proyectos."
    assert check_sentence(it, worth, ctx(worth)).ok
    assert check_sentence(it, given, ctx(given)).missing == ("value",)


def test_an_asked_recipient_excludes_money_sent_elsewhere() -> None:
    it = interpret("¿Cuánto aportó la CAF al Perú en la conferencia de Bruselas de 2023?")
    region = "La CAF comprometió USD 400 millones para programas de inclusión en los países de acogida."
    other = "La CAF comprometió USD 40 millones para Colombia."
    peru = "La CAF comprometió USD 40 millones para Colombia y el Perú."
    plain = "La CAF comprometió USD 40 millones para la inclusión de migrantes."
    c = ctx(conference="bruselas-2023")
    assert check_sentence(it, region, replace(c, chunk=region)).missing == ("recipient",)
    assert check_sentence(it, other, replace(c, chunk=other)).missing == ("recipient",)
    assert check_sentence(it, peru, replace(c, chunk=peru)).ok
    assert check_sentence(it, plain, replace(c, chunk=plain)).ok


def test_a_pledge_question_is_not_answered_by_a_signed_amount() -> None:
    it = interpret("¿Cuánto anunció la República de Corea en la conferencia de Bruselas de 2023?")
    signed = "Con la República de Corea, la KOICA suscribió el convenio de USD 800.000 para medios de vida."
    pledged = "La República de Corea anunció USD 1,5 millones para medios de vida."
    c = ctx(conference="bruselas-2023")
    assert check_sentence(it, signed, replace(c, chunk=signed)).missing == ("value",)
    assert check_sentence(it, pledged, replace(c, chunk=pledged)).ok


def test_an_ordinal_meeting_named_in_the_future_is_only_announced() -> None:
    it = interpret("¿Qué acuerdos se adoptaron en la tercera sesión del grupo de cooperantes?")
    future = "- La CAF y el Ministerio de la Producción presentarán el plan de trabajo en la tercera sesión."
    held = "En la tercera sesión, celebrada el 10 de octubre, se acordó publicar la matriz."
    title = "Acta de la segunda sesión del grupo de cooperantes"
    assert check_sentence(it, future, ctx(future, title=title, date="2024-06-13")).missing == ("event",)
    assert check_sentence(it, held, ctx(held, date="2024-10-10")).ok


def test_a_question_about_a_planned_meeting_is_answered_by_its_notice() -> None:
    it = interpret("¿Qué pasó con la tercera sesión del grupo de cooperantes prevista en Trujillo?")
    s = "La tercera sesión del grupo, prevista para el 10 de octubre de 2024 en Trujillo, queda postergada."
    assert check_sentence(it, s, ctx(s, date="2024-10-01")).ok


def test_a_rate_names_the_currencies_asked() -> None:
    it = interpret("¿Cuál era el tipo de cambio oficial del sol frente al euro en 2023?")
    dollar = "Los montos en soles se convirtieron al tipo de cambio promedio de S/ 3,74 por dólar en 2023."
    euro = "El tipo de cambio oficial de 2023 fue de S/ 4,05 por euro."
    assert check_sentence(it, dollar, ctx(dollar)).missing == ("value",)
    assert check_sentence(it, euro, ctx(euro)).ok


def test_an_unknown_part_for_a_recipient_leaves_the_regional_amount_known() -> None:
    s = "El Reino Unido comprometió GBP 5 millones para la región, con una asignación para el Perú aún por definir."
    c = ctx(s, conference="bruselas-2023")
    assert check_sentence(interpret("¿Cuánto anunció el Reino Unido en la conferencia de Bruselas de 2023?"), s, c).ok
    peru = interpret("¿Cuánto anunció el Reino Unido para el Perú en la conferencia de Bruselas de 2023?")
    assert check_sentence(peru, s, c).missing == ("value",)  # the Perú's part is the one not known


def test_in_a_record_of_the_conference_only_a_year_dating_the_amount_is_another_event() -> None:
    it = interpret("¿Qué nuevo aporte hizo la Comisión Europea en la conferencia de Bruselas de 2019?")
    s = (
        "4. La Comisión Europea confirmó una contribución adicional de EUR 30 millones, que se suma a la asistencia "
        "humanitaria y de desarrollo ya movilizada por la Unión Europea desde 2018."
    )
    later = "La Comisión Europea anunció en 2020 EUR 60 millones."
    assert check_sentence(it, s, ctx(s, conference="bruselas-2019")).ok
    assert check_sentence(it, s, ctx(s)).missing == ("event",)  # elsewhere the sentence's years date it
    assert check_sentence(it, later, ctx(later, conference="bruselas-2019")).missing == ("event",)


def test_message_says_where_the_value_does_exist() -> None:
    assert not_found_message(
        NORWAY_MEETING, ("event",), ("Conferencia de Bruselas 2019", "Conferencia de Bruselas 2023")
    ) == (
        "Ningún registro indica un aporte de Noruega en la reunión de coordinación del 13 de diciembre de 2022. "
        "Los pasajes más cercanos mencionan a Noruega en la Conferencia de Bruselas 2019 y la Conferencia de "
        "Bruselas 2023, no en la reunión de coordinación del 13 de diciembre de 2022. Vea los pasajes relacionados."
    )


def test_a_pledge_is_a_promise_a_future_verb_states_it() -> None:
    it = interpret("¿Qué aporte anunció Italia en la conferencia organizada por Canadá en 2021?")
    s = "Italia aportará EUR 2,5 millones en donaciones a través de la AICS."
    maybe = "Italia podría aportar EUR 2,5 millones en donaciones a través de la AICS."
    assert check_sentence(it, s, ctx(s, conference="canada-2021")).ok
    assert check_sentence(it, maybe, ctx(maybe, conference="canada-2021")).missing == ("value",)


def test_a_future_or_conditional_value_does_not_state_what_took_place() -> None:
    paid = interpret("¿Cuánto desembolsó Canadá en 2024?")
    s = "Canadá desembolsará CAD 4 millones en 2024."
    assert check_sentence(paid, s, ctx(s)).missing == ("value",)
    it = interpret("¿Cuánta cooperación no reembolsable recibió el BID para el Perú en 2021?")
    would = "En 2021 el BID aprobaría una cooperación técnica no reembolsable de USD 12,3 millones."
    office = "En 2021 la Cancillería recibió del BID una cooperación técnica no reembolsable de USD 12,3 millones."
    assert check_sentence(it, would, ctx(would)).missing == ("value",)
    assert check_sentence(it, office, ctx(office)).ok
    count = interpret("¿Cuántas personas atendió el programa de la OIM en 2023?")
    future = "El programa de la OIM atenderá a 5.000 personas en 2023."
    past = "El programa de la OIM atendió a 5.000 personas en 2023."
    assert check_sentence(count, future, ctx(future)).missing == ("value",)
    assert check_sentence(count, past, ctx(past)).ok


def test_a_host_country_asked_as_giver_has_the_other_givers_as_rivals() -> None:
    it = interpret("¿Cuánto comprometió la Argentina en la Conferencia de Solidaridad de Bruselas de 2019?")
    mexico = "México, por medio de la AMEXCID, comprometió US$ 1,5 millones para fortalecer los sistemas de asilo."
    qatar = "Qatar anunció US$ 2 millones para la atención primaria de salud."
    own = "La Argentina comprometió US$ 500.000 para la regularización de personas venezolanas."
    title = "Nota de prensa: los donantes emergentes en Bruselas (Argentina, México y Qatar)"
    c = ctx(title=title, conference="bruselas-2019")
    assert check_sentence(it, mexico, replace(c, chunk=mexico)).missing == ("actor",)
    assert check_sentence(it, qatar, replace(c, chunk=qatar)).missing == ("actor", "value")
    assert check_sentence(it, own, replace(c, chunk=own)).ok


def test_a_meeting_only_announced_does_not_say_what_happened_at_it() -> None:
    it = interpret("¿Qué resultados del convenio con México se presentaron en el taller Sur-Sur?")
    announced = "En el taller Sur-Sur se presentarán los resultados del convenio financiado por México."
    held = "En el taller Sur-Sur se presentaron los resultados del convenio financiado por México."
    assert check_sentence(it, announced, ctx(announced)).missing == ("event",)
    assert check_sentence(it, held, ctx(held)).ok
    minutes = interpret("¿Qué se acordó en la reunión con México?")
    agreed = "En la reunión se acordó que México enviará el informe de ejecución del convenio."
    assert check_sentence(minutes, agreed, ctx(agreed)).ok


def test_a_total_is_not_the_amount_of_the_actor_of_the_title() -> None:
    it = interpret("¿Cuánto comprometió la Argentina en la Conferencia de Solidaridad de Bruselas de 2019?")
    total = "Los copresidentes informaron que la conferencia movilizó más de EUR 120 millones en nuevos anuncios."
    own = "El aporte asciende a US$ 500.000 para la regularización de personas venezolanas."
    c = ctx(title="Nota de la Embajada de la Argentina", conference="bruselas-2019")
    assert check_sentence(it, total, replace(c, chunk=total)).missing == ("actor",)
    assert check_sentence(it, own, replace(c, chunk=own)).ok


def test_a_row_s_conference_column_says_which_conference() -> None:
    it = interpret("¿Cuánto anunciaron los Emiratos Árabes Unidos en la Conferencia de Bruselas de 2019?")
    other = "| Emiratos Árabes Unidos | Canadá 2021 | AED | 11 | Desembolsado |"
    asked = "| Emiratos Árabes Unidos | Bruselas 2019 | AED | 7 | Desembolsado |"
    header = "| Donante | Conferencia | Moneda | Monto (millones) | Estado |"
    assert check_sentence(it, other, ctx(f"{header}\n{other}")).missing == ("event",)
    assert check_sentence(it, asked, ctx(f"{header}\n{asked}")).ok


def test_a_call_to_a_meeting_is_only_its_announcement() -> None:
    it = interpret("¿Qué resultados del convenio con México se presentaron en el taller Sur-Sur?")
    s = "La APCI y la AMEXCID de México convocan al taller regional de cooperación Sur-Sur sobre regularización."
    assert check_sentence(it, s, ctx(s)).missing == ("event",)


def test_a_body_s_meeting_is_not_the_conference_its_words_would_name() -> None:
    it = interpret("¿Qué aportes anunciaron los donantes en la segunda reunión de la Mesa de donantes de 2023?")
    assert it.event is not None and (it.event.slugs, it.event.ordinal, it.event.year) == ((), "segunda", 2023)


def test_a_future_transfer_of_a_balance_is_not_a_new_pledge() -> None:
    it = interpret("¿Qué nuevo aporte anunció Francia en la segunda sesión del grupo de integración, en junio de 2024?")
    s = "El saldo del convenio de Francia, EUR 1,2 millones, se transferirá en 2025."
    title = "Acta de la segunda sesión del grupo de integración"
    assert check_sentence(it, s, ctx(s, title=title, date="2024-06-13")).missing == ("value",)


def test_in_a_record_of_the_conference_a_year_in_the_amount_s_clause_dates_it() -> None:
    it = interpret("¿Cuánto destinará Estados Unidos al Perú de los US$ 171 millones anunciados en Bruselas en 2023?")
    s = "En el año fiscal 2022, los Estados Unidos destinaron al Perú US$ 52,3 millones de asistencia humanitaria."
    assert "event" in check_sentence(it, s, ctx(s, conference="bruselas-2023")).missing
