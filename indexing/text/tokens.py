"""Folding, word tokens, stopwords and stemmed content terms."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import Stemmer

_STEMMER = Stemmer.Stemmer("spanish")

# Folded (lowercase, no accents). Forms of "estar" such as "estado(s)" are deliberately absent: "Estados Unidos"
# and "Estado de acogida" carry meaning in pledging records.
_STOPWORDS_TEXT = """
    a al algo alguna algunas alguno algunos algun ante antes aquel aquella aquellas aquello aquellos aqui asi aun
    aunque bajo bien cada casi como con conmigo contigo contra cual cuales cualquier cualquiera cuan cuando cuanta
    cuantas cuanto cuantos de del demas desde donde dos durante e el ella ellas ello ellos en entre era erais eramos
    eran eras eres es esa esas ese eso esos esta estaba estabais estabamos estaban estabas estad estais estamos
    estan estando estar estara estaran estaras estare estareis estaremos estaria estariais estariamos estarian
    estarias estas este esteis estemos esten estes esto estos estoy estuve estuviera estuvierais estuvieramos
    estuvieran estuvieras estuvieron estuviese estuvieseis estuviesemos estuviesen estuvieses estuvimos estuviste
    estuvisteis estuvo etc fue fuera fuerais fueramos fueran fueras fueron fuese fueseis fuesemos fuesen fueses fui
    fuimos fuiste fuisteis ha habeis habia habiais habiamos habian habias habida habidas habido habidos habiendo
    habra habran habras habre habreis habremos habria habriais habriamos habrian habrias hace hacen hacer hacia han
    has hasta hay haya hayais hayamos hayan hayas he hemos hube hubiera hubierais hubieramos hubieran hubieras
    hubieron hubiese hubieseis hubiesemos hubiesen hubieses hubimos hubiste hubisteis hubo la las le les lo los
    mas me mi mia mias mientras mio mios mis misma mismas mismo mismos mucha muchas mucho muchos muy nada ni
    ninguna ningunas ninguno ningunos no nos nosotras nosotros nuestra nuestras nuestro nuestros o os otra otras
    otro otros para pero poca pocas poco pocos por porque pues que quien quienes se sea seais seamos sean seas
    segun sera seran seras sere sereis seremos seria seriais seriamos serian serias ser si sido siendo sin sino so
    sobre sois solo somos son soy su sus suya suyas suyo suyos tal tales tambien tampoco tan tanta tantas tanto
    tantos te teneis tenemos tener tenga tengais tengamos tengan tengas tengo tenia teniais teniamos tenian tenias
    tendra tendran tendras tendre tendreis tendremos tendria tendriais tendriamos tendrian tendrias tenida tenidas
    tenido tenidos teniendo ti tiene tienen tienes toda todas todo todos tras tu tus tuve tuviera tuvierais
    tuvieramos tuvieran tuvieras tuvieron tuviese tuvieseis tuviesemos tuviesen tuvieses tuvimos tuviste
    tuvisteis tuvo tuya tuyas tuyo tuyos u un una unas uno unos usted ustedes vosotras vosotros vuestra vuestras
    vuestro vuestros y ya yo
"""
STOPWORDS = frozenset(_STOPWORDS_TEXT.split())

# Possessive: a number token never gives back a digit, so the scan never backtracks.
_WORD_RE = re.compile(r"[0-9]++(?:[.,][0-9]++)*+|[^\W\d_]++", re.UNICODE)


def fold(text: str) -> str:
    """Lowercase and strip accents ("Reunión" → "reunion"); ñ becomes n. For matching and terms.

    :param text: any text.
    :returns: the folded text (its length may differ from the input's: use `fold_same_length` for offsets).
    """
    decomposed = unicodedata.normalize("NFD", text.lower())
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn")


class _FoldTable(dict[int, str]):
    """`str.translate` table folding one character to one character, filled on first use of each character."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        low = ch.lower()
        if len(low) != 1:
            low = ch
        base = unicodedata.normalize("NFD", low)[0]
        if code < _CACHED_CODEPOINTS:  # the table stays small whatever characters a text holds
            self[code] = base
        return base


_CACHED_CODEPOINTS = 0x3000
_FOLD_TABLE = _FoldTable()


def fold_same_length(text: str) -> str:
    """Lowercase and strip accents one character at a time, so offsets in the result index `text`.

    Agrees with `fold` on precomposed text (what the cleaner produces); characters whose lowercase is longer than
    one character ("İ") are kept as they are.

    :param text: any text.
    :returns: folded text with exactly ``len(text)`` characters ("Perú" → "peru").
    """
    return text.translate(_FOLD_TABLE)


def tokens(text: str) -> list[str]:
    """Word and number tokens of `text`, in order, unfolded ("1.500" and "1,5" stay one token).

    :param text: any text.
    :returns: tokens such as ["La", "UE", "aportó", "1.500", "millones"].
    """
    return _WORD_RE.findall(text)


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    return _STEMMER.stemWord(word)


def content_terms(text: str) -> list[str]:
    """Stemmed, accent-folded content words of `text` (stopwords removed), in order, with repeats.

    Numbers are kept as written ("1.500"), so amounts can match literally.

    :param text: Spanish text.
    :returns: list of terms such as ["reunion", "seguimient", "acnur"].
    """
    out = []
    for tok in tokens(text):
        term = _term(tok)
        if term is not None:
            out.append(term)
    return out


@lru_cache(maxsize=131072)
def _term(tok: str) -> str | None:
    """The content term of one token, or None for a stopword (cached: folding one character at a time is what
    made answering slow, and a corpus has few distinct words)."""
    low = tok.lower()
    folded = fold(low)
    if folded in STOPWORDS:
        return None
    return folded if folded[0].isdigit() else fold(_stem(low))
