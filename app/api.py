"""Where the API lives: one prefix, for the router, links and the documentation."""

API_PREFIX = "/api/v1"
