"""The Flet app: the ONLY package that imports flet. View-models (session, today, journal...) stay
flet-free so tests drive them without a browser."""
