"""The comparison's tables as frames: differences marked, accuracy with each metric's best."""

from __future__ import annotations

from components.compare.compare_tables import (
    BEST_COLUMN,
    DIFFERS_COLUMN,
    DIFFERS_MARK,
    RUN_COLUMN,
    accuracy_frame,
    settings_frame,
)
from dashboard.analysis.accuracy import Accuracy, ItemScore
from dashboard.analysis.comparison import COVERAGE, UNKNOWN, SettingRow, accuracy_rows
from dashboard.analysis.metrics import NOT_COMPUTED


def overall(mae: float, mase: float | None, coverage: dict[int, float]) -> Accuracy:
    score = ItemScore("All items", 24, mae, mae * 1.5, mae / 20, mase, None, coverage)
    return Accuracy([score], score, 24, 48, [], 7)


def test_settings_frame_has_a_column_per_job_and_marks_differences() -> None:
    rows = [
        SettingRow("Preset", ("chronos_tiny", "chronos_small")),
        SettingRow("Dataset hash", ("d474", "d474")),
        SettingRow("Created", ("13:00", "13:05"), compared=False),
    ]
    table = settings_frame(rows, ["A · chronos_tiny", "B · chronos_small"])
    assert list(table.columns) == [
        "Setting",
        DIFFERS_COLUMN,
        "A · chronos_tiny",
        "B · chronos_small",
    ]
    assert list(table[DIFFERS_COLUMN]) == [DIFFERS_MARK, "", ""]


def test_each_metric_marks_its_best_run_and_unscored_runs_show_none() -> None:
    rows = accuracy_rows(
        {
            "A": overall(2.0, 0.9, {80: 0.70}),
            "B": overall(3.0, 0.8, {80: 0.78}),
            "C · other.csv": None,
        }
    )
    table = accuracy_frame(rows).set_index(RUN_COLUMN)
    assert table.loc["A", BEST_COLUMN] == "MAE, RMSE, sMAPE (%)"
    assert table.loc["B", BEST_COLUMN] == "MASE, Coverage"  # 78 % is nearer 80 % than 70 %
    assert table.loc["C · other.csv", "Steps scored"] == "none"
    assert table.loc["C · other.csv", COVERAGE] == UNKNOWN
    assert table.loc["A", COVERAGE] == "80%: 70%"
    assert table.loc["A", "Steps scored"] == "24 of 48"


def test_ties_mark_both_and_a_metric_only_one_run_has_marks_none() -> None:
    rows = accuracy_rows({"A": overall(2.0, None, {}), "B": overall(2.0, 0.8, {})})
    assert rows[0].best == ("MAE", "RMSE", "sMAPE (%)")
    assert rows[1].best == ("MAE", "RMSE", "sMAPE (%)")


def test_runs_say_why_a_metric_is_missing_and_a_metric_none_has_is_left_out() -> None:
    why = "MASE needs the history before the forecast: attach it (none known for this item)"
    score = ItemScore("All items", 24, 2.0, 3.0, 4.0, None, None, {}, {"mase": why})
    rows = accuracy_rows({"A": Accuracy([score], score, 24, 48, [], 7), "B": None})
    table = accuracy_frame(rows).set_index(RUN_COLUMN)
    assert "MASE" not in table.columns
    assert "wQL" not in table.columns
    assert table.loc["A", "sMAPE (%)"] == 4.0
    assert table.loc["A", NOT_COMPUTED] == why
    assert table.loc["B", NOT_COMPUTED] == "no actual at its forecast times"
