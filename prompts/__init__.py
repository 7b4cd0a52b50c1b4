"""The built-in prompt packs (TOML data files), installed as purpose_app.prompts."""
