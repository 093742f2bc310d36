"""What counts as saying again what the page already said."""

from __future__ import annotations

import pytest

from dashboard.safety.text_repeats import already_said, plain_words

OVERVIEW = """# Overview

Data: plotly.data.stocks.

## Strongest correlations (returns)

- GOOG ~ MSFT: +0.71
- AMZN ~ MSFT: +0.71
"""


def test_markup_and_spacing_do_not_count() -> None:
    assert plain_words("## Strongest  **correlations**\n- a") == "strongest correlations a"


@pytest.mark.parametrize(
    "text",
    [
        "GOOG ~ MSFT: +0.71",
        "## Strongest correlations (returns)\n\n- GOOG ~ MSFT: +0.71\n- AMZN ~ MSFT: +0.71\n",
        "strongest CORRELATIONS (returns)",
    ],
)
def test_a_passage_of_the_overview_is_already_said(text: str) -> None:
    assert already_said(text, OVERVIEW)


@pytest.mark.parametrize(
    "text",
    ["GOOG ~ MSFT: -0.71", "AMZN ~ MSFT: +0.71 GOOG ~ MSFT: +0.71", "Residual std 0.306", "", "**"],
)
def test_anything_new_or_reordered_or_empty_is_not(text: str) -> None:
    assert not already_said(text, OVERVIEW)
