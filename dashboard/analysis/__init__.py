"""How a forecast did against actuals, and how runs compare."""
