"""What the observance pages share on top of oppms.views."""

from django.shortcuts import render

from oppms.views import RecordCreateView, RecordUpdateView

FORM_TEMPLATE = "partials/form_page.html"


class CreateView(RecordCreateView):
    """A create page that can be opened pre-filled from a related page (?process=3)."""

    template_name = FORM_TEMPLATE
    prefill = ("process", "policy", "institution", "ally", "evaluation")

    def get_initial(self):
        initial = super().get_initial()
        for name in self.prefill:
            value = self.request.GET.get(name, "")
            if value.isdigit():
                initial[name] = value
        return initial


class UpdateView(RecordUpdateView):
    template_name = FORM_TEMPLATE


def render_detail(request, view_class, obj, **extra):
    """Show a detail page again, with the bound form of an action that failed.

    The status stays 200: the user sees the page they were on, with the error next to the
    field, and nothing was saved.
    """
    view = view_class()
    view.setup(request, pk=obj.pk)
    view.object = obj
    context = view.get_context_data(object=obj, **extra)
    return render(request, view.get_template_names()[0], context)
