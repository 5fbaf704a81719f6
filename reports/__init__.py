"""What a person reads of a result outside the app: the text and HTML reports, their charts and references."""
