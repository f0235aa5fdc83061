"""Loading benchmark: Pollock-style polluted CSV files, a scorer, and sniffer comparisons."""
