"""What an installed copy of Purpose contains: every package, the built-in packs, the fonts."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).parents[2]


def _config() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]


def test_every_python_package_is_listed_for_installation():
    """A package missing from the explicit list would be silently left out of the wheel."""
    listed = set(_config()["packages"])
    found = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "purpose_app").rglob("__init__.py")
        if "__pycache__" not in init.parts
    }
    assert found <= listed, f"add to [tool.setuptools] packages: {sorted(found - listed)}"


def test_data_folders_are_mapped_into_the_package():
    """prompts/ and assets/ ship inside the package, with their data files declared."""
    config = _config()
    assert config["package-dir"] == {"purpose_app.prompts": "prompts", "purpose_app.assets": "assets"}
    assert "*.toml" in config["package-data"]["purpose_app.prompts"]
    assert any(p.endswith(".ttf") for p in config["package-data"]["purpose_app.assets"])
    assert list((ROOT / "assets" / "fonts").glob("*.ttf"))
