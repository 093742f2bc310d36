"""Recent jobs: the tenant's history table, trends, jobs seen on another API."""
