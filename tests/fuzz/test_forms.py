"""Every form of the app, posted with generated data: never a 500, never a partial save, and
what a successful save stored is what was typed."""

import pytest
from django import forms
from django.apps import apps
from django.db import transaction
from hypothesis import strategies as st

from .fuzzing import fuzz, send
from .strategies import form_pairs, junk_pairs, received, sweep
from .targets import (
    ACTIONS,
    form_and_extra,
    form_targets,
    row_counts,
    sweep_targets,
    url_kwargs,
    url_of,
)


def edit_version(record):
    """The latest history id of ``record``, which edit pages send back to detect conflicts."""
    history = getattr(record, "history", None)
    if history is None:
        return []
    latest = history.order_by("-history_date", "-history_id").values_list("history_id", flat=True)
    return [("_edit_version", str(latest.first() or ""))]


def plain_text_fields(form):
    """Fields whose value is stored as typed (after stripping): not e-mails, links or choices."""
    return {name: field for name, field in form.fields.items() if type(field) is forms.CharField}


def saved_record(target, world, before_pks):
    view = target.view_class
    if (
        "pk" in url_kwargs(target, world)
        and not hasattr(view, "prefill")
        and view.__name__.endswith("UpdateView")
    ):
        return view.model.objects.get(pk=url_kwargs(target, world)["pk"])
    if view.__name__ == "ProfileUpdateView":
        return view.model.objects.get()
    new = view.model.objects.exclude(pk__in=before_pks)
    return new.get()


@pytest.mark.parametrize("target", form_targets(), ids=str)
def test_posting_generated_data_never_fails_nor_saves_in_part(
    target, world, fuzz_client, administrator
):
    url = url_of(target, world)
    model = target.view_class.model if target.view_class else None

    def check(draw):
        form, pairs = form_and_extra(target, world, draw, st, administrator)
        if model is not None and target.view_class.__name__.endswith("UpdateView"):
            pairs += edit_version(form.instance)
        pairs += form_pairs(draw, form)
        pairs += draw(junk_pairs, label="junk")
        counts = row_counts()
        before_pks = set(model.objects.values_list("pk", flat=True)) if model else set()

        response, where = send(fuzz_client, "post", url, pairs)

        if response.status_code == 200:
            assert row_counts() == counts, f"{where}: rejected, yet rows changed"
        elif response.status_code == 302 and model is not None:
            record = saved_record(target, world, before_pks)
            for name, field in plain_text_fields(form).items():
                sent = [value for key, value in pairs if key == form.add_prefix(name)]
                expected = received(sent[-1]) if sent else ""
                if field.strip:
                    expected = expected.strip()
                stored = getattr(record, name)
                assert stored == expected, f"{where}: {name} stored {stored!r:.200}"

    fuzz("form", check)


@pytest.mark.parametrize("target", sweep_targets(), ids=str)
def test_boundary_values_never_fail_nor_save_in_part(target, world, fuzz_client, administrator):
    """Each impossible date, huge number and hostile text, in every field of its kind at once,
    the other fields valid: deterministic, so that rare values are always tried."""
    url = url_of(target, world)
    base_form, base_extra = form_and_extra(target, world, None, st, administrator)
    if target.view_class and target.view_class.__name__.endswith("UpdateView"):
        base_extra += edit_version(base_form.instance)
    failures = []
    for _kind, _value, pairs in sweep(base_form):
        with transaction.atomic():
            counts = row_counts()
            try:
                response, where = send(fuzz_client, "post", url, base_extra + pairs)
                if response.status_code == 200:
                    assert row_counts() == counts, f"{where}: rejected, yet rows changed"
            except AssertionError as failure:
                failures.append(str(failure)[:600])
            transaction.set_rollback(True)
    assert failures == []


def test_every_function_view_is_known():
    """A new function view must say, in ACTIONS, which record it names and which form it reads."""
    from .targets import function_targets

    unknown = [t.name for t in function_targets() if t.name not in ACTIONS]
    assert unknown == []


def test_targets_cover_every_form_of_the_app():
    names = {str(target) for target in form_targets()}
    assert len(names) >= 30
    assert {"observance:meeting-create", "reports:report-edit"} <= names


def test_models_of_our_apps_are_counted(db):
    labels = set(row_counts())
    assert {model._meta.label for model in apps.get_app_config("observance").get_models()} <= labels
