"""``{% load portal_forms %}``: where a form's error-summary links point (issue 14, point 7).

crispy-forms-gds links every error to the field's ``auto_id`` (``#id_status``), but it draws a
radio or checkbox group as inputs ``id_status_1``, ``id_status_2`` …, so the link went nowhere.
``error_links`` gives each message with the id of the element the GOV.UK pattern says it must
land on: the first input of a group, the input itself otherwise. ``gds/layout/error_summary.html``
(the portal's override of the package's summary) uses it for every form.
"""

from __future__ import annotations

from django import forms, template

register = template.Library()

# Widgets crispy-forms-gds draws as a group of inputs numbered from 1 (gds/layout/radios.html,
# checkboxes.html: ``id_<html_name>_<position>``).
GROUP_WIDGETS = (forms.RadioSelect, forms.CheckboxSelectMultiple)


def target_id(bound_field) -> str:
    """The id an error link for ``bound_field`` must point to (without ``#``)."""
    if isinstance(bound_field.field.widget, GROUP_WIDGETS):
        return f"id_{bound_field.html_name}_1"
    return bound_field.auto_id


@register.filter
def error_links(form) -> list[tuple[str, str]]:
    """``[(target id, message), …]`` in the page's order: errors about the whole form (and any on
    a hidden field, such as the version of a stale edit) first, linked to the first field shown;
    then each visible field's. A multi-part field (``MultiValueField``) links each part's errors
    to that part's input, as the package does."""
    visible = form.visible_fields()
    first = target_id(visible[0]) if visible else ""
    links = [(first, str(error)) for error in form.non_field_errors()]
    for hidden in form.hidden_fields():
        links += [(first, str(error)) for error in hidden.errors]
    for bound_field in visible:
        seen = []
        if hasattr(bound_field.field, "fields"):
            for index, subfield in enumerate(bound_field.field.fields):
                sub_errors = getattr(subfield.widget, "errors", [])
                links += [(f"{bound_field.auto_id}_{index}", str(error)) for error in sub_errors]
                seen += sub_errors
        links += [(target_id(bound_field), str(error)) for error in bound_field.errors if error not in seen]
    return links
