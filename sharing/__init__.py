"""Sharing without exposing the people in it: pseudonymised HTCDS and FollowTheMoney exports, k-anonymous
aggregate statistics and a differentially private synthetic release (docs/sharing.md)."""
