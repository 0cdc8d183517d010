"""The learning verbs (the only writers of the app), by part: services/training.py (sessions, pairs, materials)."""
