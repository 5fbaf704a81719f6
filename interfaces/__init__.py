"""Ways into the product besides the app: the command line."""
