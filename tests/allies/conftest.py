import pytest


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Uploaded files go to a throwaway folder, never to the developer's var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
