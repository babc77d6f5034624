"""Benchmarks: they print numbers; nothing here asserts times."""
