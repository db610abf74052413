"""The store: the only package that speaks SQL.

`core.Store` opens a database (SQLite by default, PostgreSQL through psycopg 3 for a
`postgresql://` URL) and holds the write side, `reads` its read side; `dialects` is what
differs between databases (types, bulk loads with COPY), `generation` the counters by
which replicas notice each other's writes, `schema` and `migrations` the tables, `rows`
the conversions between table rows and values, `media` the media fingerprints, `links`
the linker's rows, `listings` the keyset-paged read side of the API, `writelock` the
one-writer lock, `family_id` the public id of a family.
"""

from sqlalchemy.exc import SQLAlchemyError as DatabaseError  # what a failing database raises

from tracer.store.core import Store
from tracer.store.dialects import database_url, shown_url
from tracer.store.family_id import FamilyId
from tracer.store.links import LinkReader
from tracer.store.migrations import SCHEMA_VERSION

__all__ = [
    "SCHEMA_VERSION",
    "DatabaseError",
    "FamilyId",
    "LinkReader",
    "Store",
    "database_url",
    "shown_url",
]
