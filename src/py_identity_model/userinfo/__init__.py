"""UserInfo (OpenID Connect Core §5.3): the request, the response and the flow between them."""
