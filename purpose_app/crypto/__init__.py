"""Cryptography for the vault: bytes and keys in, bytes out. Nothing here prompts, logs or touches disk."""
