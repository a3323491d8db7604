"""Paginating inside a view, for lists whose items need more than their own document."""

from __future__ import annotations

from flask_smorest.pagination import PaginationParameters


def page_of(queryset, pagination_parameters: PaginationParameters) -> list:
    """The documents of the requested page (one count, one skip/limit query); sets the total."""
    pagination_parameters.item_count = queryset.count()
    first, size = pagination_parameters.first_item, pagination_parameters.page_size
    return list(queryset.skip(first).limit(size))
