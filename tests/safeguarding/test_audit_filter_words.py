"""The audit log's filters read in words (issue 16.6).

The demo's "Kind of record" list offered "partners.seat" (a code: seats had no word) and "None"
(events about no record, whose empty value was the same as "Any"), and "What happened" offered
fragments such as "Approved the" and "Added evidence to"."""

from __future__ import annotations

from safeguarding.audit_words import KINDS, kind_word
from safeguarding.forms_audit import AuditFilterForm


def _form(object_types, actions=()):
    return AuditFilterForm(choices={"people": [], "actions": list(actions), "object_types": list(object_types)})


def test_every_kind_of_record_is_a_word_and_events_about_none_add_no_choice():
    form = _form(["", "partners.seat", "reviews.action", "training.booking"])
    assert form.fields["object_type"].choices == [("", "Any"), ("reviews.action", "Action"),
                                                  ("training.booking", "Booking"), ("partners.seat", "Seat")]


def test_a_kind_without_a_word_of_its_own_reads_as_its_models_name_never_its_code():
    from django.apps import apps

    for model in apps.get_models():
        label = model._meta.label_lower
        word = kind_word(label)
        assert word and "." not in word and "_" not in word, (label, word)
    assert kind_word("reviews.challenge") == KINDS["reviews.challenge"] and kind_word("") == ""


def test_what_happened_reads_with_its_record_left_as_an_ellipsis():
    form = _form([], ["annual_report.approved", "evidence.added", "return.resubmitted"])
    labels = dict(form.fields["action"].choices)
    assert labels["annual_report.approved"] == "Approved the … (annual_report.approved)"
    assert labels["evidence.added"].startswith("Added evidence to … ")
    assert labels["return.resubmitted"].startswith("Answered the query on … and resubmitted it")
