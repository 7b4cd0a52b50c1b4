"""Purpose: a private, encrypted reflection journal for physicians."""

__version__ = "0.1.0"
