"""An uploaded file (CSV, or XLSX's first sheet) read into a frame of item_id, timestamp, target."""

from __future__ import annotations

import io
import zipfile

import pandas as pd
import python_calamine

from demo_api.errors import DemoApiError, field_error

# Every XLSX is a zip archive; the name alone is not trusted to say which a file is.
_ZIP_MAGIC = b"PK\x03\x04"
# A 10 MB XLSX can inflate a hundredfold; an archive declaring more than this is refused unread.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
_COLUMN_FIELDS = {
    "item_id": "item_id_column",
    "timestamp": "timestamp_column",
    "target": "target_column",
}


def _invalid(detail: str) -> DemoApiError:
    return DemoApiError("validation_error", detail)


def is_xlsx(data: bytes, filename: str) -> bool:
    """An XLSX by its content (a zip archive) or, failing that, by its name."""
    return data.startswith(_ZIP_MAGIC) or filename.lower().endswith(".xlsx")


def _read_xlsx(data: bytes, filename: str) -> pd.DataFrame:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(entry.file_size for entry in archive.infolist())
        if unpacked > MAX_UNPACKED_BYTES:
            raise _invalid(f"{filename!r} unpacks to {unpacked} bytes; the limit is 200 MB.")
        return pd.read_excel(io.BytesIO(data), sheet_name=0, engine="calamine")
    except (zipfile.BadZipFile, python_calamine.CalamineError, ValueError, OSError) as exc:
        raise _invalid(f"{filename!r} is not a readable XLSX workbook: {exc}") from exc


def _read_csv(data: bytes, filename: str) -> pd.DataFrame:
    if not filename.lower().endswith(".csv"):
        raise _invalid(f"{filename!r}: the demo API accepts CSV and XLSX files only.")
    try:
        return pd.read_csv(io.BytesIO(data))
    except (ValueError, UnicodeDecodeError) as exc:
        raise _invalid(f"{filename!r} is not a readable CSV file: {exc}") from exc


def read_table(data: bytes, filename: str, columns: dict[str, str]) -> pd.DataFrame:
    """The upload with `columns` renamed to item_id, timestamp and target, every row readable."""
    frame = _read_xlsx(data, filename) if is_xlsx(data, filename) else _read_csv(data, filename)
    frame.columns = [str(name) for name in frame.columns]
    for role, name in columns.items():
        if name not in frame.columns:
            raise field_error(
                "validation_error",
                _COLUMN_FIELDS[role],
                f"column {name!r} is not in the file; found {list(frame.columns)}",
            )
    frame = frame.rename(columns={v: k for k, v in columns.items()})[list(columns)]
    frame["item_id"] = frame["item_id"].astype(str)
    frame["timestamp"] = pd.to_datetime(frame["timestamp"], errors="coerce", format="mixed")
    frame["target"] = pd.to_numeric(frame["target"], errors="coerce")
    bad = frame[frame["timestamp"].isna() | frame["target"].isna()]
    if len(bad):
        raise _invalid(
            f"{len(bad)} row(s) have an unreadable timestamp or target (first: row "
            f"{int(bad.index[0]) + 2})."
        )
    return frame
