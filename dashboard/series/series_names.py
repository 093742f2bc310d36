"""What a column's name says it holds: a time, a series key, the value to forecast, or not that.

Names are compared word by word ("Adj Close", "weekly_sales", "Close AAPL"), so a name that
holds a known word among others still says what it holds.
"""

from __future__ import annotations

import re

TIME_WORDS = (
    "timestamp", "ds", "date", "time", "datetime", "period", "month", "week", "day", "year",
    "quarter", "hour", "ts", "step", "dt", "fecha", "datum", "data", "time_period",
)  # fmt: skip
# Names of a series' own id: taken even when the file holds one series.
SERIES_WORDS = (
    "item_id", "unique_id", "series_id", "series", "sku", "item", "itemid", "ticker", "symbol",
    "id", "key",
)  # fmt: skip
ITEM_WORDS = (
    *SERIES_WORDS, "store", "dept", "family", "name", "product", "product_id", "store_id",
    "store_nbr", "location", "region", "meter", "station", "code", "category", "department",
    "country", "state", "city", "site",
)  # fmt: skip
# The value to forecast, best first: what forecasting data sets and tools call it.
TARGET_WORDS = (
    "target", "y", "value", "values", "obs_value", "close", "adj close", "adjusted close",
    "sales", "weekly_sales", "demand", "ot", "load", "consumption", "count", "quantity", "qty",
    "units", "amount", "revenue", "observed", "actual", "actuals", "visitors", "passengers",
    "total", "number",
)  # fmt: skip
# Numbers beside the value, worst last: prices, traded volume, flags and identifiers.
COVARIATE_WORDS = (
    ("open", "high", "low", "price", "mid", "bid", "ask", "temperature", "temp"),
    ("volume", "vol", "turnover", "trades"),
    ("promo", "onpromotion", "promotion", "holiday", "isholiday", "flag", "dummy", "weight"),
    ("id", "index", "row", "rownum", "unnamed", "no", "nr", "number_of_row"),
)
_WORD_SPLIT = re.compile(r"[^0-9a-z]+")


def words(name: str) -> tuple[str, tuple[str, ...]]:
    """The name lower-cased and trimmed, and its words."""
    lowered = name.strip().lower()
    return lowered, tuple(word for word in _WORD_SPLIT.split(lowered) if word)


def says(name: str, wanted: str) -> bool:
    """Whether the name is `wanted`, or holds it as a word or words ("Close AAPL": close)."""
    lowered, parts = words(name)
    if lowered == wanted or lowered.replace(" ", "_") == wanted:
        return True
    wanted_parts = tuple(_WORD_SPLIT.split(wanted))
    size = len(wanted_parts)
    return any(parts[i : i + size] == wanted_parts for i in range(len(parts) - size + 1))


def rank(name: str, wanted: tuple[str, ...]) -> int | None:
    """The place in `wanted` of the first word the name says, or None."""
    return next((place for place, word in enumerate(wanted) if says(name, word)), None)


def target_rank(name: str) -> tuple[int, int]:
    """(tier, place): 0 named like a value, 1 saying nothing, 2.. a covariate; lower is likelier."""
    # The most words said wins: "Adj Close" is an adjusted close before it is a close.
    said = [
        (-len(word.split()), place) for place, word in enumerate(TARGET_WORDS) if says(name, word)
    ]
    if said:
        return 0, min(said)[1]
    for tier, covariates in enumerate(COVARIATE_WORDS, start=2):
        place = rank(name, covariates)
        if place is not None:
            return tier, place
    return 1, 0


def is_identifier_name(name: str) -> bool:
    """ "id", "index", "Unnamed: 0", a placeholder: what numbers rows rather than names series."""
    lowered, parts = words(name)
    return lowered in {"id", "index", "row", "rownum", "row_id", "", "#"} or (
        lowered.startswith(("unnamed", "(unnamed")) and len(parts) <= 3
    )


def stem(name: str) -> str:
    """A name without its digits ("MT_001" -> "MT_"): columns of one kind share it."""
    return re.sub(r"\d+", "#", name.strip())
