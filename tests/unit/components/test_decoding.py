"""decode_text: BOMs, UTF-8, cp1252 and latin-1 without mojibake."""

from __future__ import annotations

import pytest

from indexing.components.decoding import decode_text

SAMPLE = "reunión en Perú — 5 €"


class TestDecodeText:
    @pytest.mark.parametrize(
        "data",
        [
            SAMPLE.encode("cp1252"),
            SAMPLE.encode("utf-8"),
            SAMPLE.encode("utf-8-sig"),
            SAMPLE.encode("utf-16"),
            SAMPLE.encode("utf-16-le"),
            SAMPLE.encode("utf-16-be"),
        ],
        ids=["cp1252", "utf-8", "utf-8-bom", "utf-16-bom", "utf-16-le-no-bom", "utf-16-be-no-bom"],
    )
    def test_decodes_exactly(self, data: bytes) -> None:
        assert decode_text(data) == SAMPLE

    def test_latin1_when_cp1252_has_undefined_bytes(self) -> None:
        assert decode_text("reunión".encode("latin-1") + b"\x81") == "reunión\x81"

    def test_repairs_double_encoded_utf8(self) -> None:
        assert decode_text("La reuniÃ³n en PerÃº â€” 5 â‚¬".encode()) == "La reunión en Perú — 5 €"

    def test_keeps_legitimate_non_ascii(self) -> None:
        assert decode_text("Ãrbol «cita» · ½".encode()) == "Ãrbol «cita» · ½"

    def test_line_ends_and_nfc(self) -> None:
        decomposed = "reunio\u0301n\r\nsegunda\rtercera"
        assert decode_text(decomposed.encode()) == "reunión\nsegunda\ntercera"
