"""Template tags of the workflows: what the user may do with an object, its history and its
status badge. Templates never compare status values: they ask these tags."""

from typing import Any

from django import template

from praktijkleren.workflow import actions_for, history_for

register = template.Library()

# Badge variant per state value; every other state is neutral.
_VARIANTS = {
    "actief": "active",
    "gepubliceerd": "active",
    "voorgedragen": "active",
    "uitgenodigd": "active",
    "aangevraagd": "warning",
    "geaccepteerd": "success",
    "gestart": "success",
    "aangenomen": "success",
    "geplaatst": "success",
    "in_opleiding": "success",
    "afgerond": "success",
    "afgewezen": "danger",
    "uitgevallen": "danger",
    "gestopt": "danger",
}


@register.inclusion_tag("components/_workflow_actions.html", takes_context=True)
def workflow_actions(context: dict[str, Any], obj: Any, label_suffix: str = "") -> dict[str, Any]:
    """The buttons and links of the transitions the current user may make on ``obj`` now.
    ``label_suffix`` is read by screen readers after each label (e.g. the candidate's name in a
    table row)."""
    request = context["request"]
    return {
        "actions": actions_for(obj, request.user),
        "csrf_token": context.get("csrf_token"),
        "next": request.get_full_path(),
        "label_suffix": label_suffix,
    }


@register.inclusion_tag("components/_history.html", takes_context=True)
def workflow_history(context: dict[str, Any], obj: Any) -> dict[str, Any]:
    """``obj``'s transition log as a table, oldest first (``praktijkleren.workflow``)."""
    return {"rows": history_for(obj, context["request"].user), "kind": obj._meta.verbose_name}


@register.inclusion_tag("components/_status_badge.html")
def status_badge(obj: Any) -> dict[str, Any]:
    """``obj``'s status as a Utrecht status badge."""
    state = obj.status
    return {"label": obj.get_status_display(), "variant": _VARIANTS.get(state, "neutral")}
