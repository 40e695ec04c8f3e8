"""Counts in messages, with their noun."""

from __future__ import annotations


def counted(n: int, noun: str) -> str:
    """`1 file`, `2 files`."""
    return f"{n} {noun}{'' if n == 1 else 's'}"
