from tests.documents.conftest import build

__all__ = ["build"]
