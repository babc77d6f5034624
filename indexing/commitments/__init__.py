"""Commitments register: extraction of funding commitments from record text, deduplication and linking.

Pure Python and deterministic (rules, shipped gazetteers, number parsing). Public API:

- `actors.normalize_actor`, `actors.find_actors`
- `extract.extract_commitments`, `extract.deduplicate`
- `link.link_commitments`
- `evaluate.evaluate_extraction`, `evaluate.evaluate_linking`, `evaluate.totals_by_actor`
"""
