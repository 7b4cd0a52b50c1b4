"""Icons and fonts for the app (data), installed as purpose_app.assets."""
