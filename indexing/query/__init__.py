"""The query side shared by answers and briefings: question interpretation (`interpretation`), retrieval re-ranking
(`retrieval`), the evidence check of candidate sentences against the question's constraints (`evidence`), the
abstention message (`abstention`) and the extractive answer (`answer`)."""
