"""Commitments register: extraction of funding commitments from record text, deduplication and linking.

Pure Python and deterministic (rules, shipped gazetteers, number parsing). Public API:

- `actors.normalize_actor`, `actors.find_actors`
- `model.Commitment` (the typed entry: sources, `equivalents`, `qualifier`, `is_total`), `model.Source`
- `extract.extract_commitments` (sentences, lists, and tables read by column)
- `dedup.deduplicate`
- `link.link_commitments`
- `compare.compare_rows` (per-donor rows per conference)

The evaluation against the hand-labelled gold lives in `corpus/commitments_scoring.py` and
`python -m corpus.commitments_eval`.
"""
