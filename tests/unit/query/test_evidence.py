from __future__ import annotations

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
    assert check_sentence(NORWAY_2021, s, ctx(s, before=before, conference="canada-2021")).missing == ("actor",)


def test_actor_unambiguous_in_the_title() -> None:
    s = "La contribución asciende a NOK 40 millones."
    c = ctx(s, title="Nota de la Embajada de Noruega", conference="canada-2021")
    assert check_sentence(NORWAY_2021, s, c).ok


def test_count_needs_a_number_of_the_thing_counted() -> None:
    it = interpret("¿Cuántas solicitudes de CPP se habían presentado hasta abril de 2022?")
    good = "hasta abril de 2022 se habían recibido más de 380.000 solicitudes de CPP"
    money = "Migraciones destinará S/ 18,6 millones al CPP en abril de 2022"
    assert check_sentence(it, good, ctx(good)).ok
    assert check_sentence(it, money, ctx(money)).missing == ("value",)


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
