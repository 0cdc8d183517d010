"""Read models of the learning pages and API, one module per part."""
