"""Datasets' pages, one module per area."""
