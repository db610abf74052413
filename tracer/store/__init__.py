"""The store: the only package that speaks SQL.

`core.Store` opens a database (SQLite by default; SQLAlchemy Core keeps PostgreSQL one
URL away) and holds the write side; `schema` and `migrations` define the tables,
`rows` converts between table rows and values, `media` keeps media fingerprints,
`listings` the keyset-paged read side of the API, `writelock` the one-writer lock.
"""

from tracer.store.core import LinkReader, Store, database_url

__all__ = ["LinkReader", "Store", "database_url"]
