"""Calculators a person can read: the rules' answers with their working, as pages and as JSON."""
