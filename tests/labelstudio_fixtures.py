"""Fixtures that start a real Label Studio server for the test session (filled in by the
Label Studio stage)."""
