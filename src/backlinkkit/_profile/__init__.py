"""The link profile: page counter, aggregate, measures, flags, report."""
