"""The code of the pages; webapp/pages/ holds the thin scripts st.navigation runs."""
