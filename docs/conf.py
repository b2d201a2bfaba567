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
]
myst_enable_extensions = ["colon_fence", "deflist"]
source_suffix = {".md": "markdown"}
exclude_patterns = ["_build"]

autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {"members": True, "show-inheritance": True}
napoleon_google_docstring = True
napoleon_numpy_docstring = False
# attrs fields are documented once, in the class's Attributes section, not again as members.
napoleon_use_ivar = True


html_theme = "furo"
html_title = "backlinkkit"
