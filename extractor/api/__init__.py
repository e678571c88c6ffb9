"""The HTTP face: ``create_app(settings)`` builds the FastAPI service (``claimscope serve`` runs it)."""

from extractor.api.app import create_app

__all__ = ["create_app"]
