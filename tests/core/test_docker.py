import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(shutil.which("docker-compose") is None, reason="docker-compose not installed")
def test_compose_file_is_valid():
    env_file = ROOT / "docker" / ".env"
    created = not env_file.exists()
    if created:
        env_file.write_text((ROOT / "docker" / ".env.example").read_text())
    try:
        result = subprocess.run(
            ["docker-compose", "-f", str(ROOT / "docker/compose.yaml"), "config", "-q"],
            capture_output=True,
            text=True,
            check=False,
        )
    finally:
        if created:
            env_file.unlink()
    assert result.returncode == 0, result.stderr


def test_every_setting_read_from_the_environment_is_documented():
    import re

    names = set()
    sources = [*(ROOT / "reelearn" / "settings").glob("*.py"), ROOT / "reelearn/gunicorn_conf.py"]
    for path in sources:
        names |= set(re.findall(r'env_\w+\(\s*"([A-Z0-9_]+)"', path.read_text()))
    documented = (ROOT / "docker" / ".env.example").read_text()
    missing = sorted(n for n in names if f"{n}=" not in documented)
    assert not missing, f"undocumented variables: {missing}"
