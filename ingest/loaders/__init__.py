"""File loaders: one module a format, all yielding SourceDocument."""
