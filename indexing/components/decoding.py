"""Bytes → text for plain-text records, without ever turning "reunión" into "reuniÃ³n"."""

from __future__ import annotations

import codecs
import re
import unicodedata

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def _cp1252_chars(byte_range: range) -> str:
    chars = []
    for b in byte_range:
        try:
            chars.append(bytes([b]).decode("cp1252"))
        except UnicodeDecodeError:
            continue
    return re.escape("".join(chars))


# UTF-8 bytes read as cp1252: a lead byte (Â..ï) followed by continuation bytes (0x80-0xBF as cp1252 shows them).
_CONT = _cp1252_chars(range(0x80, 0xC0))
_MOJIBAKE_RE = re.compile(
    f"(?:[{_cp1252_chars(range(0xC2, 0xE0))}][{_CONT}]|[{_cp1252_chars(range(0xE0, 0xF0))}][{_CONT}]{{2}})+"
)
# Without one of these, a match is much more likely legitimate text than mojibake.
_MOJIBAKE_HINT_RE = re.compile("[ÂÃâ][\u0080-\u00bf\u0152-\u2122]")


def _repair_mojibake(text: str) -> str:
    """Undo UTF-8 that was once decoded as cp1252 and re-encoded ("reuniÃ³n" → "reunión"), run by run."""
    if not _MOJIBAKE_HINT_RE.search(text):
        return text

    def fix(match: re.Match[str]) -> str:
        try:
            return match.group(0).encode("cp1252").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            return match.group(0)

    return _MOJIBAKE_RE.sub(fix, text)


# Code points that are not text: lone UTF-16 surrogates (pypdf decodes character maps with "surrogatepass", and
# they cannot be encoded as UTF-8 later, e.g. for ids), NUL, the replacement character of undecodable bytes, and
# the noncharacters U+FFFE/U+FFFF.
_NOT_TEXT_RE = re.compile("[\x00\ud800-\udfff\ufffd\ufffe\uffff]")


def strip_undecodable(text: str) -> str:
    """Remove lone surrogates and other code points that are not text (linear time).

    :param text: decoded text, as a converter got it.
    :returns: the text without them; always encodable as UTF-8.
    """
    return _NOT_TEXT_RE.sub("", text)


def bom_encoding(data: bytes) -> str | None:
    """The encoding announced by a byte order mark, or implied by the NUL pattern of BOM-less UTF-16 text.

    :param data: raw file bytes.
    :returns: a codec name ("utf-8", "utf-16-le", ...) or None when there is no such sign.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    sample = data[:4096]
    if len(sample) >= 8:
        even_nuls = sample[0::2].count(0) / len(sample[0::2])
        odd_nuls = sample[1::2].count(0) / len(sample[1::2])
        # Latin-script UTF-16 has a NUL as every other byte; binary files have NULs at both parities.
        if odd_nuls > 0.4 and even_nuls < 0.02:
            return "utf-16-le"
        if even_nuls > 0.4 and odd_nuls < 0.02:
            return "utf-16-be"
    return None


def _decode(data: bytes) -> str:
    encoding = bom_encoding(data)
    if encoding:
        for bom, bom_name in _BOMS:
            if bom_name == encoding and data.startswith(bom):
                data = data[len(bom) :]
                break
        return data.decode(encoding, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        # cp1252 before latin-1: Spanish Windows files use its 0x80-0x9F range ("€", "—", curly quotes), and it
        # fails on the five bytes it leaves undefined, which is the sign of some other legacy encoding.
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def decode_text(data: bytes) -> str:
    """Decode the bytes of a plain-text record.

    Order: a BOM (UTF-8, UTF-16 LE/BE, UTF-32) or the NUL pattern of BOM-less UTF-16 decides; else strict UTF-8;
    else cp1252 when every byte is defined there; else latin-1 (never fails). Runs of double-encoded UTF-8
    ("reuniÃ³n") are repaired; code points that are not text are removed (`strip_undecodable`). The result is NFC
    with "\\r\\n" and lone "\\r" turned into "\\n".
    charset-normalizer is deliberately not used: this fixed order is deterministic and covers the encodings
    Spanish records come in, while statistical detection is unreliable on short files.

    :param data: raw file bytes.
    :returns: the decoded text.
    """
    text = _repair_mojibake(_decode(data))
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    return unicodedata.normalize("NFC", strip_undecodable(text))
