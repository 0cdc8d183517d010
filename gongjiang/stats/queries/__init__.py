"""Read models of the statistics pages and API (periods, the dashboard), over the fact store only."""
