"""Streamlit rendering: typed models in, st.* calls out; no HTTP of its own."""
