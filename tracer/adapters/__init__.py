"""Readers for the export formats analysts hold, each yielding canonical values."""
