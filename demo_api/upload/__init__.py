"""POST /forecast in the demo: the form, the uploaded file, its series, the fitted job."""
