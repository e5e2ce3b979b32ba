"""What every model of OPPMS has in common: changes that guards may refuse (oppms.protection).

Every model of institutions, allies, observance and reports derives from ``GuardedModel``:

- its validation (``full_clean``, which model forms, the admin and spreadsheet imports run) asks
  the registered change guards, so a refused value gets its reason next to its field;
- its default manager's ``update()`` asks them too. Django sends no signal for a queryset
  update, so this is the only place that sees one; ``bulk_update`` goes through it as well.

The class adds no field and no table: migrations do not see it.
"""

from django.core.exceptions import ValidationError
from django.db import models, transaction

from .protection import change_refusals, update_checks


class GuardedQuerySet(models.QuerySet):
    def update(self, **values):
        checks = update_checks(self, values)
        if not checks:
            return super().update(**values)
        # The checks read the updated rows; a refusal rolls the update back.
        with transaction.atomic(using=self.db):
            updated = super().update(**values)
            for check in checks:
                check()
        return updated


class GuardedManager(models.Manager.from_queryset(GuardedQuerySet)):
    pass


class GuardedModel(models.Model):
    objects = GuardedManager()

    class Meta:
        abstract = True

    def validate_constraints(self, exclude=None):
        errors = {}
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        # A field left out of validation (not on the form, or already wrong) is skipped, as
        # Django's own constraints skip it; the pre_save guard still sees it on save.
        for field, reasons in change_refusals(self).items():
            if exclude and field in exclude:
                continue
            errors.setdefault(field, []).extend(reasons)
        if errors:
            raise ValidationError(errors)
