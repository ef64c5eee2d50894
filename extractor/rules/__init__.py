"""Rule-based extractors, one module per mention kind; pattern data in patterns/."""
