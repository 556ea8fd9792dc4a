"""Presentation: turning typed results into text, JSON, JSON Lines, CSV and HTML. Nothing here computes scores."""
