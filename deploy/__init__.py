"""Several dashboard replicas behind HAProxy: its configuration and `python3 -m deploy.local`."""
