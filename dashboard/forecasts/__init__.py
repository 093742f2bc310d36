"""Forecast files as forecasting tools write them: layout, columns, times, models."""
