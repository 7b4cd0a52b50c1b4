"""Prompt packs: the file format (parse, validate, sign, verify), the built-in packs, the daily pick."""
