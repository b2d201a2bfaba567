"""Anchor-text classification: categories, rules, normalization."""
