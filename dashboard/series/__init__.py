"""Files of observed series: columns guessed, values parsed, checks before a forecast."""
