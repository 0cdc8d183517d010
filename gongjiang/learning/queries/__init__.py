"""Read models of the learning pages and API, by part."""
