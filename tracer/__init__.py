"""tracer: prove where a piece of centrally distributed government content came from.

The library is the product; the CLI (`tracer.cli`) and the HTTP API (`api`) are thin
adapters over the facade in `tracer.service`.
"""

__version__ = "0.1.0"
