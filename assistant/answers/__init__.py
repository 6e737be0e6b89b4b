"""Grounded answers: retrieved articles in, an answer with exact citations (or an honest abstention) out."""

from assistant.answers.models import Answer, Citation

__all__ = ["Answer", "Citation"]
