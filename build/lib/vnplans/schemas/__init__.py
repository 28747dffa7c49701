"""Data model of vnplans: the intermediate document model, the extraction output model,
its JSON Schema and the SQL store schema."""
