"""What sessions and the process keep of fetched content and answers, within budgets."""
