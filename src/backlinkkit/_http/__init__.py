"""What fetching needs that needs no requests: results, addresses, robots.txt."""
