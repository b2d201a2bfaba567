"""Sphinx configuration: MyST Markdown pages, furo theme, autodoc for the API page."""

from __future__ import annotations

import importlib.metadata

project = "backlinkkit"
author = "The backlinkkit developers"
copyright = "2026, The backlinkkit developers"
release = importlib.metadata.version("backlinkkit")

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.intersphinx",
]
myst_enable_extensions = ["colon_fence", "deflist"]
source_suffix = {".md": "markdown"}
exclude_patterns = ["_build"]

autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {"members": True, "show-inheritance": True}
napoleon_google_docstring = True
napoleon_numpy_docstring = False

intersphinx_mapping = {"python": ("https://docs.python.org/3", None)}
# The docs build offline: intersphinx stays quiet when the inventory cannot be fetched.
intersphinx_timeout = 1
suppress_warnings = ["intersphinx.external", "config.cache"]

html_theme = "furo"
html_title = "backlinkkit"
