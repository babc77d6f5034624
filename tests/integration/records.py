"""The small Spanish records every integration test shares (indexed once per session)."""

from __future__ import annotations

from pathlib import Path

from tests.factories import make_pdf

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"

ACTA_HEADER = "Ministerio de Relaciones Exteriores - Acta de la Conferencia de Bruselas 2023"

ACTA_PAGES = [
    "Acta de la Conferencia Internacional de Solidaridad con los Refugiados y Migrantes Venezolanos\n\n"
    "Bruselas, 17 de marzo de 2023\n\n"
    "La Conferencia fue convocada por la Unión Europea y el Gobierno de Canadá los días 16 y 17 de marzo de 2023. "
    "Participaron delegaciones de setenta países, organismos internacionales y bancos de desarrollo. "
    "La sesión de apertura recordó que más de siete millones de personas han salido de Venezuela.",
    "Anuncios de las delegaciones\n\n"
    "La delegación de España anunció una contribución de EUR 50 millones en donaciones para la integración "
    "socioeconómica de migrantes en el Perú y el Ecuador. "
    "La Comisión Europea confirmó un paquete de EUR 200 millones para los países de acogida de la región. "
    "El Banco Interamericano de Desarrollo presentó una línea de préstamos concesionales para Colombia.",
    "Compromisos de Asia y cierre\n\n"
    "Japón comprometió US$ 12 millones a través de JICA para programas de salud materna en zonas fronterizas. "
    "La presidencia cerró la sesión agradeciendo a los donantes y convocó a una reunión de seguimiento en Lima.",
]

CANADA_2021 = (
    "Canadá reúne a la comunidad internacional por los migrantes venezolanos\n\n"
    "Ottawa, 17 de junio de 2021\n\n"
    "La Conferencia Internacional de Donantes celebrada de manera virtual y organizada por el Gobierno de Canadá "
    "reunió anuncios por US$ 1.554 millones en donaciones y más de US$ 800 millones en préstamos. "
    "El ministro canadiense de Desarrollo Internacional destacó la generosidad de los países de acogida, que "
    "mantienen abiertas sus escuelas y hospitales para la población venezolana.\n"
)

CARTA_CP1252 = (
    "Carta de la APCI sobre la reunión de coordinación\n\n"
    "Lima, 3 de febrero de 2022\n\n"
    "La Agencia Peruana de Cooperación Internacional convoca a la reunión de coordinación de cooperantes del "
    "programa de integración. La reunión revisará la ejecución de los aportes recibidos por el Perú, que suman "
    "€ 4,2 millones en el último semestre.\n"
)


def acta_pdf() -> bytes:
    return make_pdf(ACTA_PAGES, title="Acta de la Conferencia de Bruselas 2023", header=ACTA_HEADER)


def shared_records() -> list[tuple[str, bytes, dict]]:
    """(filename, bytes, metadata) of the shared session corpus."""
    return [
        ("acta_bruselas_2023.pdf", acta_pdf(), {"conference": "bruselas-2023", "doc_type": "acta"}),
        (
            "nota_prensa_095_2023.txt",
            (FIXTURES / "nota_prensa_095_2023.txt").read_bytes(),
            {"conference": "bruselas-2023", "doc_type": "nota_prensa"},
        ),
        ("canada_2021.txt", CANADA_2021.encode("utf-8"), {"conference": "canada-2021", "doc_type": "nota_prensa"}),
        ("carta_apci_cp1252.txt", CARTA_CP1252.encode("cp1252"), {"doc_type": "carta"}),
    ]
