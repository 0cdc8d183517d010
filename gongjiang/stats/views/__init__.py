"""The statistics pages (thin: parse, scope, render; the figures come from queries/)."""
