"""Governance: meetings and attendance, the budget, priorities (services, selectors, forms, views)."""
