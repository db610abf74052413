"""Government offices: the built-in `registry` of provinces and regencies, and the
`placement` of accounts in it."""
