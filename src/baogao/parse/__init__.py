"""Stage 3, parse: the report's structure: header meta, sections, sentences."""
