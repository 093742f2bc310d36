"""Snapshots: the job page's control that makes one, the page that draws one, the owner's list."""
