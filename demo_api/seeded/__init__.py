"""The seeded demo jobs: one per scenario and tenant, their results, artifacts and reports."""
