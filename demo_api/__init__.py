"""Local Eomer-compatible demo API: real data, real forecasts, optional fault injection."""

__version__ = "0.1.0"
