"""General template helpers of the portal."""

from django import template
from django.core.paginator import Page

register = template.Library()


@register.simple_tag
def elided_page_range(page_obj: Page, on_each_side: int = 2, on_ends: int = 1) -> list:
    """Page numbers to show around ``page_obj`` (ints, with ``Paginator.ELLIPSIS`` for gaps)."""
    return list(
        page_obj.paginator.get_elided_page_range(
            page_obj.number, on_each_side=on_each_side, on_ends=on_ends
        )
    )
