"""雷同检查: which free-text answers share passages (design.md §9, issue 12)."""
