"""Read models of the learning app shared by the pages and the API: one module per part."""
