"""The settings of a new forecast, as POST /forecast takes them, in one form; and what they send."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import streamlit as st

from dashboard.series_files import SeriesColumns
from eomer_client.models import ForecastUpload

FORM_KEY = "new_settings"
LENGTH_KEY = "new_prediction_length"
PRESET_KEY = "new_preset"
FREQ_KEY = "new_freq"
QUANTILES_KEY = "new_quantiles"
EXPLAIN_KEY = "new_explainability"
ANALYSES_KEY = "new_analyses"
SUBMIT_LABEL = "Start forecast"

AUTO = "Auto"
WEEKDAYS = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")
MAX_PREDICTION_LENGTH = 1000
# The presets the API documents, each with a line of help: smaller is faster, larger may fit better.
PRESETS: dict[str, str] = {
    "chronos_tiny": "fastest, for quick trials",
    "chronos_mini": "very fast, for first looks",
    "chronos_small": "fast, good for most series",
    "chronos_base": "slower, better on noisy series",
    "chronos_large": "slowest, most accurate",
    "chronos_bolt_small": "Bolt: fast on long series",
    "chronos_bolt_base": "Bolt: long series, more accurate",
}
DEFAULT_PRESET = "chronos_small"
FREQUENCIES: dict[str, str] = {
    AUTO: "Auto: the API infers it",
    "min": "min: every minute",
    "h": "h: hourly",
    "D": "D: daily",
    **{f"W-{day}": f"W-{day}: weekly, on {day.title()}" for day in WEEKDAYS},
    "MS": "MS: monthly, month start",
    "ME": "ME: monthly, month end",
    "QS": "QS: quarterly, quarter start",
    "QE": "QE: quarterly, quarter end",
    "YS": "YS: yearly, year start",
    "YE": "YE: yearly, year end",
}
QUANTILES = tuple(round(0.05 * step, 2) for step in range(1, 20))
DEFAULT_QUANTILES = tuple(round(0.1 * step, 1) for step in range(1, 10))
ANALYSES: dict[str, str] = {
    "feature_importance": "Feature importance",
    "shap": "SHAP values",
    "correlation": "Feature-to-feature correlation",
}


@dataclass(frozen=True)
class ForecastSettings:
    """What the form holds: every POST /forecast option besides the file and its columns."""

    prediction_length: int = 24
    preset: str = DEFAULT_PRESET
    freq: str | None = None
    quantile_levels: tuple[float, ...] = DEFAULT_QUANTILES
    explainability: bool = False
    analyses: tuple[str, ...] = ()


def forecast_upload(
    settings: ForecastSettings, content: bytes, filename: str, columns: SeriesColumns
) -> ForecastUpload:
    """The request one click sends: `content` read with `columns`, and the settings."""
    item = columns.long_item()
    if item is None:
        raise ValueError("POST /forecast needs an item column: send upload_csv's copy instead.")
    return ForecastUpload(
        file=content,
        filename=filename,
        prediction_length=settings.prediction_length,
        presets=settings.preset,
        item_id_column=item,
        timestamp_column=columns.timestamp,
        target_column=columns.long_target(),
        freq=settings.freq,
        # None leaves the levels to the API's default.
        quantile_levels=settings.quantile_levels or None,
        explainability=settings.explainability,
        explainability_analyses=settings.analyses if settings.explainability else (),
    )


def _levels(levels: Sequence[float]) -> str:
    return ", ".join(f"{level:g}" for level in levels) if levels else "the API's default"


def readable_settings(
    settings: ForecastSettings, columns: SeriesColumns, file_name: str, dayfirst: bool | None = None
) -> dict[str, str]:
    """What was sent, for people: the job page shows it beside the job."""
    explained = "off"
    if settings.explainability:
        explained = "on: " + (", ".join(settings.analyses) or "the API's default analyses")
    item = columns.item or "none (one series)"
    order = {None: "", True: " (day first)", False: " (month first)"}[dayfirst]
    return {
        "Preset": settings.preset,
        "Prediction length": str(settings.prediction_length),
        "Frequency": settings.freq or "Auto (inferred by the API)",
        "Quantile levels": _levels(settings.quantile_levels),
        "Explainability": explained,
        "Columns": f"item: {item}; time: {columns.timestamp}{order}; target: {columns.target}",
        "File": file_name,
    }


def _explainability_inputs() -> None:
    st.toggle(
        "Explainability",
        key=EXPLAIN_KEY,
        help="Off by default: the analyses make the job slower.",
    )
    st.multiselect(
        "Analyses",
        list(ANALYSES),
        format_func=ANALYSES.__getitem__,
        key=ANALYSES_KEY,
        help="Used only with Explainability on; none chosen leaves them to the API.",
    )


def _settings_inputs() -> None:
    # The preset's line of help needs the room.
    length_column, preset_column, freq_column = st.columns([1, 2, 1])
    with length_column:
        st.number_input(
            "Prediction length (steps)",
            min_value=1,
            max_value=MAX_PREDICTION_LENGTH,
            value=24,
            step=1,
            key=LENGTH_KEY,
        )
    with preset_column:
        st.selectbox(
            "Preset",
            list(PRESETS),
            index=list(PRESETS).index(DEFAULT_PRESET),
            format_func=lambda preset: f"{preset}: {PRESETS[preset]}",
            key=PRESET_KEY,
            help="The model the API runs; smaller presets answer sooner. Default: chronos_small.",
        )
    with freq_column:
        st.selectbox(
            "Frequency", list(FREQUENCIES), format_func=FREQUENCIES.__getitem__, key=FREQ_KEY
        )
    st.multiselect(
        "Quantile levels",
        list(QUANTILES),
        default=list(DEFAULT_QUANTILES),
        format_func=lambda level: f"{level:g}",
        key=QUANTILES_KEY,
        help="The bands of the forecast; none chosen leaves them to the API.",
    )
    _explainability_inputs()


def current_settings() -> ForecastSettings:
    """The settings as the form last submitted them (the defaults before it ever was)."""
    state = st.session_state
    freq = state.get(FREQ_KEY, AUTO)
    return ForecastSettings(
        prediction_length=int(state.get(LENGTH_KEY, 24)),
        preset=str(state.get(PRESET_KEY, DEFAULT_PRESET)),
        freq=None if freq == AUTO else str(freq),
        quantile_levels=tuple(sorted(state.get(QUANTILES_KEY, DEFAULT_QUANTILES))),
        explainability=bool(state.get(EXPLAIN_KEY, False)),
        analyses=tuple(state.get(ANALYSES_KEY, ())),
    )


def settings_form(*, refused: str | None) -> bool:
    """The settings and the submit button, in one form; True on the run its button was clicked.

    `refused` says why the forecast cannot start yet; the button is then disabled.
    """
    with st.form(FORM_KEY, enter_to_submit=False):
        _settings_inputs()
        if refused:
            st.caption(f":material/block: {refused}")
        return st.form_submit_button(
            SUBMIT_LABEL, type="primary", icon=":material/rocket_launch:", disabled=bool(refused)
        )
