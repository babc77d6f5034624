"""Haystack components of the ingestion pipeline, one per file."""
