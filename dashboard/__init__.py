"""The dashboard's own logic, without Streamlit."""
