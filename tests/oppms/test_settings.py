import os
import subprocess
import sys

from django.conf import settings


def settings_error(**environment):
    """Import the settings in a fresh interpreter with the given environment; return stderr."""
    env = {key: value for key, value in os.environ.items() if key not in {"SECRET_KEY", "DEBUG"}}
    env.update(environment)
    result = subprocess.run(
        [sys.executable, "-c", "import oppms.settings"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    return result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    assert "SECRET_KEY must be set" in settings_error(DEBUG="false")


def test_production_starts_with_a_secret_key():
    assert settings_error(DEBUG="false", SECRET_KEY="x" * 50) == ""


def test_a_mistyped_boolean_is_refused_rather_than_guessed():
    assert "DEBUG must be true or false" in settings_error(DEBUG="maybe")


def test_the_observatory_works_in_spanish_in_guayaquil_time():
    assert (settings.LANGUAGE_CODE, settings.TIME_ZONE) == ("es", "America/Guayaquil")
