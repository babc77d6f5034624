"""The one Spanish text layer: folding and terms, numbers, dates, amounts, sentences, headings, phrase gazetteers
and Spanish formatting. Everything that reads or writes Spanish text calls these modules.

Offline only: no NLTK data, no model. Every function is a pure function of its input (deterministic, no state
besides caches). Offsets are Python string indexes into the text given, end exclusive, so `text[start:end]` is
the verbatim match.

Every routine that reads uploaded text runs in time linear in its input: patterns use possessive or bounded
repetition and only start where a match can start, look-backs use bounded windows, and span membership tests
use sorted sweeps (`bisect`), never a scan of every span per match (see `tests/unit/text/test_linear_time.py`
and `bench/text.py`).
"""
