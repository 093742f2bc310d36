"""The demo's forecasts: real data sets, statsmodels fits kept on disk, figures and analyses."""
