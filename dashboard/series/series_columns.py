"""Which columns of a table of series are which, and the table reshaped to one item, time, value."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from dashboard.tables.table_attrs import LINES, SeriesFileError

# A composite key's parts are joined with this into one item id ("store 1 / dept 7").
KEY_JOIN = " / "


@dataclass(frozen=True)
class SeriesColumns:
    """Which columns hold the series id, the time and the observed value.

    `item` is None (one series), a column, or several columns whose values together name a
    series (store and department). `target` is a column, or several columns of one kind (one
    series a column: a wide file), melted into rows with the column's name as the item.
    `notes` says what was assumed to choose them; it is no part of the choice.
    """

    item: str | tuple[str, ...] | None
    timestamp: str
    target: str | tuple[str, ...]
    notes: tuple[str, ...] = field(default=(), compare=False)

    def used(self) -> list[str]:
        """The columns named, item first."""
        return [*self.items(), self.timestamp, *self.targets()]

    def items(self) -> list[str]:
        """The item columns: none, one or several."""
        if self.item is None:
            return []
        return [self.item] if isinstance(self.item, str) else list(self.item)

    def targets(self) -> list[str]:
        """The value columns: one, or several of a wide file."""
        return [self.target] if isinstance(self.target, str) else list(self.target)

    def long_item(self) -> str | None:
        """The one item column of a long table (see `as_long`)."""
        keys = self.items()
        if len(keys) > 1:
            raise SeriesFileError("Several item columns: read the table through as_long first.")
        return keys[0] if keys else None

    def long_target(self) -> str:
        """The one value column of a long table (see `as_long`)."""
        values = self.targets()
        if len(values) > 1:
            raise SeriesFileError("Several value columns: read the table through as_long first.")
        return values[0]

    def is_simple(self) -> bool:
        """One item column (or none) and one value column: the table is already long."""
        return len(self.items()) <= 1 and len(self.targets()) == 1


def as_long(frame: pd.DataFrame, columns: SeriesColumns) -> tuple[pd.DataFrame, SeriesColumns]:
    """The table with one item column (a composite key joined) and one value column (melted).

    Rows keep their file lines as index, so messages still name lines; a melted row has the
    line of the row it came from.
    """
    if columns.is_simple():
        return frame, columns
    taken = {str(name) for name in frame.columns}
    item = _free_name("item", taken)
    value = _free_name("value", taken)
    parts: dict[str, pd.Series] = {columns.timestamp: frame[columns.timestamp]}
    keys = columns.items()
    if len(keys) > 1:
        joined = frame[keys[0]].astype(str).str.strip()
        for key in keys[1:]:
            joined = joined + KEY_JOIN + frame[key].astype(str).str.strip()
        parts[item] = joined
    elif keys:
        parts[item] = frame[keys[0]]
    targets = columns.targets()
    if len(targets) == 1:
        long = pd.DataFrame({**parts, value: frame[targets[0]]}, index=frame.index)
    else:
        long = _melted(frame, parts, targets, item if keys else None, item, value)
    long.attrs.update(frame.attrs)
    long.attrs[LINES] = frame.attrs.get(LINES, False)
    item_column = item if (keys or len(targets) > 1) else None
    return long, SeriesColumns(item_column, columns.timestamp, value, columns.notes)


def _melted(
    frame: pd.DataFrame,
    parts: dict[str, pd.Series],
    targets: list[str],
    key: str | None,
    item: str,
    value: str,
) -> pd.DataFrame:
    """One row per (row, value column): the column's name is the item (with the key's, if any)."""
    pieces = []
    for target in targets:
        piece = pd.DataFrame(dict(parts), index=frame.index)
        piece[item] = target if key is None else piece[key].astype(str) + KEY_JOIN + target
        piece[value] = frame[target]
        pieces.append(piece)
    return pd.concat(pieces)


def _free_name(wanted: str, taken: set[str]) -> str:
    name = f"({wanted})"
    while name in taken:
        name = f"({name})"
    return name
