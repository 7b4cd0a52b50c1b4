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


def test_a_phone_build_finds_packs_and_fonts_in_the_source_tree(monkeypatch):
    """`flet build` ships the source tree, where prompts/ and assets/ are not installed packages."""
    from importlib import resources

    from purpose_app.packs import builtin
    from purpose_app.ui import theme

    real = resources.files

    def files(name):
        if name in ("purpose_app.prompts", "purpose_app.assets"):
            raise ModuleNotFoundError(name)
        return real(name)

    monkeypatch.setattr(resources, "files", files)
    assert len(builtin.builtin_files()) >= 8
    assert (theme.assets_dir() / "fonts" / "DejaVuSans.ttf").is_file()


def test_flet_build_settings_point_at_the_entry_module():
    """[tool.flet.app] names main.py at the top, which starts the phone app; tests are not shipped."""
    flet = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["flet"]
    assert flet["app"]["module"] == "main" and (ROOT / "main.py").is_file()
    assert {"tests", ".venv", ".git"} <= set(flet["app"]["exclude"])
    assert "purpose_app.ui.mobile" in (ROOT / "main.py").read_text(encoding="utf-8")
