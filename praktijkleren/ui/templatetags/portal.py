"""General template helpers of the portal."""

from django import template
from django.core.paginator import Page
from django.template.loader import get_template
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def elided_page_range(page_obj: Page, on_each_side: int = 2, on_ends: int = 1) -> list:
    """Page numbers to show around ``page_obj`` (ints, with ``Paginator.ELLIPSIS`` for gaps)."""
    return list(
        page_obj.paginator.get_elided_page_range(
            page_obj.number, on_each_side=on_each_side, on_ends=on_ends
        )
    )


class _TableContainerNode(template.Node):
    def __init__(self, nodelist: template.NodeList, labelled_by: template.base.FilterExpression):
        self.nodelist = nodelist
        self.labelled_by = labelled_by

    def render(self, context: template.Context) -> str:
        return get_template("components/_table_container.html").render(
            {
                "content": mark_safe(self.nodelist.render(context)),  # noqa: S308 (rendered template)
                "labelled_by": self.labelled_by.resolve(context),
            }
        )


@register.tag
def table_container(parser: template.base.Parser, token: template.base.Token) -> template.Node:
    """``{% table_container "caption-id" %}<table>…</table>{% endtable_container %}``: the table
    in its own scroll container (``components/_table_container.html``), so that a wide table
    scrolls and the page does not (WCAG 1.4.10). The container is a region named by the
    element with id ``caption-id`` (the table's caption) and takes keyboard focus, so that it
    can be scrolled without a mouse."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError(f"{bits[0]} takes one argument: the caption's id")
    nodelist = parser.parse(("endtable_container",))
    parser.delete_first_token()
    return _TableContainerNode(nodelist, parser.compile_filter(bits[1]))
