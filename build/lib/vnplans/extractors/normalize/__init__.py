"""Normalization: printed names -> canonical identities (agencies, DTI indicators and metrics, provinces),
each link with the method and score that made it."""
