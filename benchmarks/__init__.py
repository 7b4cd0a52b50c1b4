"""Benchmarks: Purpose and jrnl side by side on the same journals (`make bench`, `make bench-tiny`)."""
