"""/new: where the series come from, the settings, sending the forecast once."""
