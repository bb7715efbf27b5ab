"""Stage 4, extract: quantities, indicator observations and audit notes, as spans over the text."""
