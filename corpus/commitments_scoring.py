"""Evaluation of extraction and linking against a hand-labelled gold list, and totals per actor.

Gold commitments are dicts ``{"filename", "page" (or "pages"), "actor", "amount", "currency", ...}``, one per
commitment stage per record (a table row and the prose repeating it in one record are one gold entry). A predicted
commitment counts once per record among its sources; it matches a gold entry of that record with the same actor,
amount (±0.5 %) and currency whose page is one of the predicted pages.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from indexing.commitments.link import Chain
from indexing.commitments.model import PLEDGE_STATUSES, Commitment

__all__ = [
    "evaluate_details",
    "evaluate_extraction",
    "evaluate_linking",
    "evaluate_totals",
    "linking_scores",
    "non_commitments_extracted",
    "predicted_items",
    "totals_by_actor",
]


def predicted_items(commitments: Iterable[Commitment]) -> list[dict]:
    """One item per (commitment, record): the unit that extraction is scored on. Totals are left out."""
    items = []
    for c in commitments:
        if c.is_total or c.kind != "compromiso":
            continue
        by_file: dict[str, set[int]] = defaultdict(set)
        for s in c.sources:
            by_file[s.filename].add(s.page)
        for filename, pages in by_file.items():
            items.append(
                {
                    "filename": filename,
                    "pages": pages,
                    "actor": c.actor,
                    "amount": c.amount,
                    "currency": c.currency,
                    "id": c.id,
                }
            )
    return items


def _gold_pages(g: dict) -> set[int]:
    return set(g.get("pages") or [g["page"]])


def _match(item: dict, g: dict) -> bool:
    return (
        item["filename"] == g["filename"]
        and bool(item["pages"] & _gold_pages(g))
        and item["actor"] == g["actor"]
        and item["currency"] == g["currency"]
        and abs(item["amount"] - float(g["amount"])) <= 0.005 * max(abs(float(g["amount"])), 1.0)
    )


def _align(items: list[dict], gold: list[dict]) -> dict[int, int]:
    """Greedy one-to-one alignment: predicted item index → gold index."""
    used: set[int] = set()
    out: dict[int, int] = {}
    for i, item in enumerate(items):
        for j, g in enumerate(gold):
            if j not in used and _match(item, g):
                used.add(j)
                out[i] = j
                break
    return out


def evaluate_extraction(predicted: list[Commitment], gold: list[dict]) -> dict:
    """Precision, recall and F1 of extracted commitments against the gold list.

    :param predicted: deduplicated commitments.
    :param gold: gold commitment dicts.
    :returns: {"precision", "recall", "f1", "tp", "fp", "fn", "false_positives", "missed"}.
    """
    items = predicted_items(predicted)
    aligned = _align(items, gold)
    tp = len(aligned)
    fp = len(items) - tp
    fn = len(gold) - tp
    precision = tp / len(items) if items else 1.0
    recall = tp / len(gold) if gold else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    matched_gold = set(aligned.values())
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "false_positives": [items[i] for i in range(len(items)) if i not in aligned],
        "missed": [gold[j] for j in range(len(gold)) if j not in matched_gold],
    }


def evaluate_linking(chains: list[Chain], gold_links: list[list[dict]], gold: list[dict] | None = None) -> float:
    """Pairwise F1 of "same commitment" links between gold entries (see `linking_scores`)."""
    return linking_scores(chains, gold_links, gold)["f1"]


def linking_scores(
    chains: list[Chain], gold_links: list[list[dict]], gold: list[dict] | None = None
) -> dict[str, float]:
    """Pairwise precision, recall and F1 of "same commitment" links between gold entries.

    Two gold entries are predicted linked when the commitments they were matched to are the same commitment
    (merged by deduplication) or in the same chain. Gold pairs come from `gold_links` (groups of gold entries);
    predicted pairs are counted among all of `gold` (defaults to the entries of `gold_links`).

    :param chains: the output of `link_commitments`.
    :param gold_links: groups of gold entries describing one commitment.
    :param gold: every gold entry (to count wrong links between entries of different groups).
    :returns: {"precision", "recall", "f1"}, pairwise, in [0, 1]: precision is the share of predicted links that
        are gold links (1.0 when nothing is linked), recall the share of gold links predicted (1.0 when there is
        none); F1 is 1.0 when there is nothing to link and nothing linked.
    """
    gold = gold if gold is not None else [g for group in gold_links for g in group]
    index = {id(g): j for j, g in enumerate(gold)}
    items, chain_of = [], []
    for k, ch in enumerate(chains):
        for it in predicted_items(ch.stages):
            items.append(it)
            chain_of.append(k)
    aligned = _align(items, gold)
    chain_by_gold = {j: chain_of[i] for i, j in aligned.items()}
    gold_pairs = set()
    for group in gold_links:
        idx = sorted(index[id(g)] for g in group if id(g) in index)
        gold_pairs |= {(a, b) for n, a in enumerate(idx) for b in idx[n + 1 :]}
    js = sorted(chain_by_gold)
    pred_pairs = {(a, b) for n, a in enumerate(js) for b in js[n + 1 :] if chain_by_gold[a] == chain_by_gold[b]}
    if not gold_pairs and not pred_pairs:
        return {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    tp = len(gold_pairs & pred_pairs)
    precision = tp / len(pred_pairs) if pred_pairs else 1.0
    recall = tp / len(gold_pairs) if gold_pairs else 1.0
    f1_p = tp / len(pred_pairs) if pred_pairs else 0.0
    f1_r = tp / len(gold_pairs) if gold_pairs else 0.0
    f1 = 2 * f1_p * f1_r / (f1_p + f1_r) if f1_p + f1_r else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def totals_by_actor(
    commitments: list[Commitment], chains: list[Chain] | None = None, rollup: bool = False
) -> dict[str, dict[str, float]]:
    """Pledged totals per actor and currency; currencies are never added together.

    With `chains`, each chain counts once, by its pledged amount (stages of one commitment are not added up);
    without, only pledge-stage commitments ("anunciado", "comprometido") count. Conference totals are skipped.

    :param commitments: deduplicated commitments.
    :param chains: chains from `link_commitments` over the same commitments, if available.
    :param rollup: add agencies to their country and bodies to their parent ("AECID" → "España").
    :returns: {actor: {currency: total}}.
    """
    out: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    if chains is not None:
        rows = [(ch.stages[0], ch.pledged) for ch in chains if ch.pledged is not None]
    else:
        rows = [(c, c.amount) for c in commitments if c.status in PLEDGE_STATUSES]
    for c, amount in rows:
        if c.is_total or c.kind != "compromiso" or amount is None:
            continue
        actor = (c.actor_rollup or c.actor) if rollup else c.actor
        out[actor][c.currency or "?"] += amount
    return {a: dict(v) for a, v in out.items()}


def _equivalents_key(values: Iterable) -> list[tuple[str, float]]:
    out = []
    for e in values:
        amount, currency = (e["amount"], e["currency"]) if isinstance(e, dict) else (e.amount, e.currency)
        out.append((currency, round(float(amount), -3)))
    return sorted(out)


def evaluate_details(predicted: list[Commitment], gold: list[dict]) -> dict:
    """Equivalence and qualifier accuracy over the gold entries that were found.

    A found gold entry counts as right for equivalents when the predicted entry lists the same (currency, amount)
    equivalents (none when the gold lists none), and for the qualifier when it is equal ("más de", "alrededor de",
    "hasta" or none).

    :param predicted: deduplicated commitments.
    :param gold: gold commitment dicts.
    :returns: {"equivalence_accuracy", "equivalence_found", "equivalence_gold", "qualifier_accuracy",
        "qualifier_found", "qualifier_gold", "wrong_details"}.
    """
    items = predicted_items(predicted)
    by_id = {c.id: c for c in predicted}
    aligned = _align(items, gold)
    eq_right = q_right = 0
    eq_found = sum(1 for j in aligned.values() if gold[j].get("equivalents"))
    q_found = sum(1 for j in aligned.values() if gold[j].get("qualifier"))
    wrong: list[str] = []
    for i, j in aligned.items():
        c, g = by_id[items[i]["id"]], gold[j]
        if _equivalents_key(c.equivalents) == _equivalents_key(g.get("equivalents") or []):
            eq_right += 1
        else:
            wrong.append(f"{g['filename']} {g['actor']} {g['amount']}: equivalents {list(c.equivalents)}")
        if c.qualifier == g.get("qualifier"):
            q_right += 1
        else:
            wrong.append(f"{g['filename']} {g['actor']} {g['amount']}: qualifier {c.qualifier!r}")
    n = len(aligned)
    return {
        "equivalence_accuracy": eq_right / n if n else 1.0,
        "equivalence_found": eq_found,
        "equivalence_gold": sum(1 for g in gold if g.get("equivalents")),
        "qualifier_accuracy": q_right / n if n else 1.0,
        "qualifier_found": q_found,
        "qualifier_gold": sum(1 for g in gold if g.get("qualifier")),
        "wrong_details": wrong,
    }


def non_commitments_extracted(
    predicted: list[Commitment], non_commitments: list[dict], gold: list[dict] | None = None
) -> dict[str, int]:
    """How many of the labelled tempting figures became entries (totals included), by kind.

    A figure became an entry when an entry of its record and page has a source quote containing the labelled
    text and the entry's amount as written lies inside that text.

    :param predicted: deduplicated commitments.
    :param non_commitments: gold `non_commitments` ({"filename", "page", "kind", "text"}).
    :param gold: the gold commitments: an entry matching one of them is a commitment the labelled text quotes
        ("ejecutaron el 100 % de los CAD 10 millones" states a percentage of a real commitment).
    :returns: {kind: count} for every kind labelled (0 when none was extracted).
    """
    out: dict[str, int] = {n["kind"]: 0 for n in non_commitments}
    items = predicted_items(predicted)
    right = {items[i]["id"] for i in _align(items, gold or [])}
    predicted = [c for c in predicted if c.id not in right]
    for n in non_commitments:
        text = n["text"]
        for c in predicted:
            hit = any(
                s.filename == n["filename"] and s.page == n["page"] and text in s.quote and c.amount_text in text
                for s in c.sources
            )
            if hit and c.amount_text:
                out[n["kind"]] += 1
                break
    return out


def evaluate_totals(predicted: list[Commitment], totals: list[dict]) -> dict:
    """Conference totals: how many gold totals were extracted marked `is_total`, and how many as a pledge.

    :returns: {"totals_marked", "totals_as_pledge", "totals_gold"}.
    """
    marked = as_pledge = 0
    for t in totals:
        def same(c: Commitment, t: dict = t) -> bool:
            return (
                c.currency == t["currency"]
                and abs(c.amount - float(t["amount"])) <= 0.005 * float(t["amount"])
                and any(s.filename == t["filename"] for s in c.sources)
            )

        found = [c for c in predicted if same(c)]
        marked += any(c.is_total for c in found)
        as_pledge += any(not c.is_total and c.kind == "compromiso" for c in found)
    return {"totals_marked": marked, "totals_as_pledge": as_pledge, "totals_gold": len(totals)}
