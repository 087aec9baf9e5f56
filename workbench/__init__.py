"""Workbench: a zh→en annotation and translation workbench for Chinese policy texts."""

__version__ = "0.1.0"
