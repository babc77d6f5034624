"""Sample corpus, manifest and evaluation sets for Compromisos."""
