"""Showing money: an exact amount in the organization's currency as a person reads it.

Amounts are `Decimal` everywhere; this module only turns them into text ("$1,250.00",
"-$35.00"), never into floats.
"""

from __future__ import annotations

from decimal import Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")

# The symbol printed before an amount; other currencies print their code ("CHF 10.00").
SYMBOLS: dict[str, str] = {
    "USD": "$",
    "CAD": "CA$",
    "AUD": "A$",
    "NZD": "NZ$",
    "EUR": "€",
    "GBP": "£",
    "JPY": "¥",
    "INR": "₹",
    "MXN": "MX$",
}


def currency_symbol(currency: str) -> str:
    code = (currency or "USD").upper()
    return SYMBOLS.get(code, f"{code} ")


def cents(amount: Decimal) -> Decimal:
    """The amount rounded to the cent (half away from zero, as a bank does)."""
    return Decimal(amount).quantize(CENT, rounding="ROUND_HALF_UP")


def format_money(amount: Decimal, currency: str = "USD") -> str:
    """`1234.5` -> "$1,234.50"; a negative amount gets a leading minus sign.

    The sign is the ASCII hyphen-minus: the fonts the PDFs embed have no U+2212 glyph, and
    a missing minus sign on a loss is the worst possible misprint."""
    value = cents(amount)
    sign = "-" if value < 0 else ""
    return f"{sign}{currency_symbol(currency)}{abs(value):,.2f}"
