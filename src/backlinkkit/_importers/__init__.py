"""Reading and writing backlink exports of the SEO tools."""
