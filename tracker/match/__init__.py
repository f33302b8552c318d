"""Matching (pure): indicator similarity, linking outcomes to commitments, status rules."""
