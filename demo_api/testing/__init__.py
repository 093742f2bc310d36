"""Test apparatus of the demo API: fault injection, hostile content, the beacon, a manual clock."""
