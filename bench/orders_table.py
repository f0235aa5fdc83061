"""The facts of the orders table that every contender of the benchmark shares.

The generator writes these columns; the recipe (`bench/orders.recipe.yaml`) judges them; the
contenders write the same output columns as `rowsift run`.
"""

from __future__ import annotations

COLUMNS = (
    "order_id",
    "customer_email",
    "status",
    "amount",
    "quantity",
    "created_at",
    "shipped_at",
    "country",
)
CAST_COLUMNS = ("amount", "quantity", "created_at", "shipped_at")
"""The columns the recipe gives a type other than text."""
STATUSES = ("new", "paid", "shipped", "delivered", "cancelled")
DATETIME_FORMAT = "%Y-%m-%dT%H:%M:%S"

ROW = "_rowsift_row"
LINE = "_rowsift_line"
REASONS = "_rowsift_reasons"
