"""Thin layers over the Flask extensions the API uses."""
