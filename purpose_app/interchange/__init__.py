"""Journals in and out: importers (jrnl, Day One), plaintext exporters (Markdown, jrnl JSON), backups
and folder sync.

Importers read untrusted files with hard limits and build entries through the same rules as typing;
`formats` is the registry by name and the use cases the command line and the app call.
"""
