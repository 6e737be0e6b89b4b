"""Loaders, chunking and the ingestion pipeline."""
