"""Files from outside parsed in limited worker processes, never in the server."""
