"""The Streamlit app: pages and the helpers they share."""
