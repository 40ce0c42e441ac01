"""The house style is chosen by environment; a wrong value stops Loket with a clear message."""

import os
import subprocess
import sys
from pathlib import Path

LOKET = str(Path(sys.executable).parent / "loket")
THEME_DIR = Path(__file__).resolve().parents[2] / "demo" / "theme"


def run(**env):
    return subprocess.run(  # noqa: S603 - our own console script
        [LOKET, "findstatic", "theme/design-tokens.css"],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_theme_directory_serves_its_tokens_file():
    result = run(LOKET_THEME_DIR=str(THEME_DIR), LOKET_THEME_CLASS="voorbeeldstad-theme")

    assert result.returncode == 0, result.stderr
    assert str(THEME_DIR / "design-tokens.css") in result.stdout


def test_a_theme_directory_without_tokens_is_refused_without_a_traceback(tmp_path):
    result = run(LOKET_THEME_DIR=str(tmp_path))

    assert result.returncode == 2
    assert "LOKET_THEME_DIR" in result.stderr and "design-tokens.css" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_theme_class_that_is_not_a_class_name_is_refused():
    result = run(LOKET_THEME_CLASS="x;}body{display:none")

    assert result.returncode == 2
    assert "LOKET_THEME_CLASS" in result.stderr
    assert "Traceback" not in result.stderr
