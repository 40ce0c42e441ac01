"""Settings come from the environment; a production environment passes Django's deploy checks."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]


def run_loket(*args, env: dict, cwd: Path) -> subprocess.CompletedProcess:
    """`loket ...` in a clean environment: only what a deploy would set."""
    base = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}
    return subprocess.run(  # noqa: S603 - our own console script with fixed arguments
        [sys.executable, "-m", "loket.cli", *args],
        env={**base, "PYTHONPATH": str(REPO), **env},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.fixture
def production_env(tmp_path) -> dict:
    return {
        "DATABASE_URL": "postgres://loket@127.0.0.1:5432/loket",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "loket.example.nl",
        "HTTPS": "true",
        "DEBUG": "false",
        "LOKET_VAR_DIR": str(tmp_path / "var"),
    }


def test_a_production_environment_passes_the_deploy_checks(production_env, tmp_path):
    result = run_loket("check", "--deploy", "--fail-level", "WARNING", env=production_env, cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_hsts_preload_can_be_turned_off_but_the_deploy_check_then_warns(production_env, tmp_path):
    env = {**production_env, "SECURE_HSTS_PRELOAD": "false"}

    result = run_loket("check", "--deploy", "--fail-level", "WARNING", env=env, cwd=tmp_path)

    assert result.returncode != 0
    assert "security.W021" in result.stderr


def test_a_laptop_environment_fails_the_deploy_checks(tmp_path):
    """The deploy check is not a formality: without HTTPS settings it complains."""
    result = run_loket(
        "check", "--deploy", "--fail-level", "WARNING", env={"LOKET_VAR_DIR": str(tmp_path)}, cwd=tmp_path
    )

    assert result.returncode != 0
    assert "security.W004" in result.stderr  # SECURE_HSTS_SECONDS


def test_debug_is_off_unless_asked_for(tmp_path):
    show = ["shell", "--verbosity", "0", "-c", "from django.conf import settings; print(settings.DEBUG)"]

    default = run_loket(*show, env={"LOKET_VAR_DIR": str(tmp_path)}, cwd=tmp_path)
    asked = run_loket(*show, env={"LOKET_VAR_DIR": str(tmp_path), "DEBUG": "true"}, cwd=tmp_path)

    assert default.stdout.strip() == "False", default.stderr
    assert asked.stdout.strip() == "True", asked.stderr


def test_a_local_install_generates_its_secret_key_once(tmp_path):
    show = ["shell", "--verbosity", "0", "-c", "from django.conf import settings; print(settings.SECRET_KEY)"]

    first = run_loket(*show, env={"LOKET_VAR_DIR": str(tmp_path)}, cwd=tmp_path)
    second = run_loket(*show, env={"LOKET_VAR_DIR": str(tmp_path)}, cwd=tmp_path)

    assert len(first.stdout.strip()) >= 50, first.stderr
    assert first.stdout == second.stdout
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
