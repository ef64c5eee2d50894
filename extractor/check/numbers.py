"""Formatting and comparing figures the way a Vietnamese reader writes them."""

from __future__ import annotations

import math


def vn(value: float) -> str:
    """``12345`` → ``12.345``; ``1.94`` → ``1,94``; negative with a minus sign."""
    if float(value).is_integer():
        text = f"{abs(int(value)):,}".replace(",", ".")
    else:
        text = f"{abs(value):,.2f}".rstrip("0").rstrip(".").replace(",", "X").replace(".", ",").replace("X", ".")
    return ("−" if value < 0 else "") + text


def decimals_of(value: float, written: str | None = None) -> int:
    """How many decimals a stated percentage was written with ("1,94%" → 2, "2%" → 0)."""
    if written:
        digits = written.replace("%", "").strip()
        if "," in digits:
            return len(digits.split(",")[1].rstrip("% "))
        return 0
    text = repr(float(value))
    return 0 if text.endswith(".0") else len(text.split(".")[1])


def rounds_to(exact: float, stated: float, decimals: int) -> bool:
    """statcheck-style: does ``exact`` round to ``stated`` at the stated precision?"""
    scale = 10**decimals
    lower = (abs(stated) * scale - 0.5) / scale
    upper = (abs(stated) * scale + 0.5) / scale
    return bool(lower - 1e-9 <= abs(exact) <= upper + 1e-9)


def typo_distance(a: float, b: float) -> int:
    """0 for one changed digit or two swapped neighbours, 1 for other same-length edits, 2 otherwise."""
    if not (float(a).is_integer() and float(b).is_integer()):
        return 2
    sa, sb = str(abs(int(a))), str(abs(int(b)))
    if len(sa) != len(sb):
        return 2
    diff = [i for i in range(len(sa)) if sa[i] != sb[i]]
    if len(diff) == 1:
        return 0
    if len(diff) == 2 and diff[1] == diff[0] + 1 and sa[diff[0]] == sb[diff[1]] and sa[diff[1]] == sb[diff[0]]:
        return 0
    return 1 if len(diff) <= 2 else 2


def close(a: float, b: float) -> bool:
    """Equal for counted things (integers) and within rounding for others."""
    return math.isclose(a, b, abs_tol=1e-6)
