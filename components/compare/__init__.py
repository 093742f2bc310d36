"""/compare: its inputs, the runs, the chart and tables side by side."""
