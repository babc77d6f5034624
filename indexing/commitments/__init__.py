"""Commitments register: extraction of funding commitments from record text, deduplication and linking.

Pure Python and deterministic (rules, shipped gazetteers, number parsing). Public API:

- `actors.normalize_actor`, `actors.find_actors`
- `model.Commitment` (the typed entry: sources, `equivalents`, `qualifier`, `is_total`), `model.Source`
- `extract.extract_commitments` (sentences, list items, table rows; money only, equivalents, qualifiers, totals)
- `tables` (table rows read by column), `phrases` (status verbs, instruments, conferences)
- `dedup.deduplicate`
- `link.link_commitments`
- `compare.compare_rows` (per-donor rows per conference)

The evaluation against the hand-labelled gold lives in `corpus/commitments_scoring.py` and
`python -m corpus.commitments_eval`.
"""
