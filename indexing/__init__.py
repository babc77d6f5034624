"""Ingestion and retrieval for Compromisos: Haystack components, pipelines, embedders and the chunk store.

Importing this package fixes two process-wide settings before Haystack or NumPy load:

- Haystack telemetry is disabled: a ministry service phones no one, and offline it would retry an outside host.
- OpenBLAS is capped at one thread: on a 2-core machine its threads fight torch and the embedding engine
  (measured: embed + search went from ~21 ms to ~120 ms).
"""

import os

os.environ["HAYSTACK_TELEMETRY_ENABLED"] = "False"
# Failed pipeline runs must not dump record text to disk.
os.environ["HAYSTACK_PIPELINE_SNAPSHOT_SAVE_ENABLED"] = "false"
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
