"""Google disavow files: entries, lines, rules, the file."""
