"""The journal's rules, with no I/O: entries, their validation, and filters."""
