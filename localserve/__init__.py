"""Local processes both the launcher (`deploy`) and the test servers (`harness`) use."""
