"""The web as a browser reads it: URLs, the public suffix list, encodings, links."""
