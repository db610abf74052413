"""The library's version, in one place: the package's `__version__`, the API's OpenAPI
document and every card (which records what made it) read it here."""

__version__ = "0.1.0"
