"""Format readers (bytes -> SourceDocument) and field extractors (SourceDocument -> fields)."""
