"""Vector store, keyword index and the ingest manifest."""
