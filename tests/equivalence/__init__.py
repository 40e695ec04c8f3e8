"""Behavioural equivalence of `migrator rewrite`: corpus scripts run against a fake Segment before and after the rewrite."""
