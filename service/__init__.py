"""Compromisos HTTP service (FastAPI)."""

import indexing  # noqa: F401  (disables telemetry and caps BLAS threads before anything else loads)
