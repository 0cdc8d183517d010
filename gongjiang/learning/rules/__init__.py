"""The learning app's pure rules (no database): scoring, drawing, and the banks' fingerprints and checks."""
