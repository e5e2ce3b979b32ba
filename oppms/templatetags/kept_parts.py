"""``{% kept_part "name" %}…{% endkept_part %}``: the parts of base.html a kept page reuses.

base.html wraps its title, head, content and scripts blocks in it. Rendered normally, it only
renders what it wraps; while a page is being kept (oppms.views.KeptPageMixin puts a dict under
``kept_parts`` in the context), it also writes each part's HTML there, so that the next request
for the same page rebuilds it around a new frame (navbar, messages, CSRF token) without
rendering the parts again.
"""

from django import template

register = template.Library()


class KeptPartNode(template.Node):
    def __init__(self, name, nodelist):
        self.name = name
        self.nodelist = nodelist

    def render(self, context):
        html = self.nodelist.render(context)
        parts = context.get("kept_parts")
        if parts is not None:
            parts[self.name] = html
        return html


@register.tag
def kept_part(parser, token):
    tag, name = token.split_contents()
    if not (name[0] == name[-1] and name[0] in "'\""):
        raise template.TemplateSyntaxError(f"{tag} takes a quoted name")
    nodelist = parser.parse(("endkept_part",))
    parser.delete_first_token()
    return KeptPartNode(name[1:-1], nodelist)
