"""Comparisons: authority, link gap, snapshot diff, broken targets."""
