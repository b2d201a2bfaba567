"""Example pages that ship with backlinkkit, for the `backlinkkit links --example` tour and docs."""

from __future__ import annotations

from importlib import resources

__all__ = ["EXAMPLE_URL", "example_page"]

# The address the bundled example page pretends to live at (example.com is reserved, RFC 2606).
EXAMPLE_URL = "https://blog.example.com/2026/11/growing-tomatoes-on-a-balcony.html"


def example_page() -> bytes:
    """The bundled example page: a small blog article with the kinds of links pages have.

    It has navigation, header, sidebar and footer regions, `nofollow` / `sponsored` / `ugc` links,
    an image link, a `<base href>`, relative links, a `mailto:` link and a `<noscript>` fallback.
    Extract it against `EXAMPLE_URL`.

    >>> example_page().startswith(b"<!DOCTYPE html>")
    True
    """
    return resources.files(__package__).joinpath("blog_post.html").read_bytes()
