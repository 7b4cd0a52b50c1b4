"""Entry point for `flet build apk|ipa` (see README, "On a phone"). Desktops use `purpose app`."""

from purpose_app.ui.mobile import run

run()
