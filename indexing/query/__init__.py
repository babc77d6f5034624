"""The query side shared by answers and briefings: question interpretation (`interpretation`), the evidence check
of candidate sentences against the question's constraints (`evidence`)."""
