"""Token requests: grants, client authentication, responses, and the core flow."""
