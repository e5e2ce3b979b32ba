"""On a phone (375 px wide) no page of the application scrolls sideways.

The pages are every page of the site for every role that may see it (tests/browser/site_pages.py,
built from the URL configuration: lists, with their filters unfolded too, details, forms, empty
and with their errors, history, reports, the admin, the public pages, 403 and 404), visited in
one logged-in context per role, 375 x 740 as a phone. The first records, those the pages show,
are given an address for a word: it has no place to break, and must wrap anyway.

The test, in parts, fails naming the pages wider than the phone, widest first, and prints the
widest page of its part (``pytest -s``; also recorded as the test's property
``widest_page_at_375px``).
"""

from urllib.parse import urlsplit

import pytest

from allies.models import AgendaItem
from institutions.models import Contact
from observance.models import Meeting, Recommendation
from tests.browser import site_pages
from tests.browser.site_pages import expected_status, page_visits, show

# The fixtures of the whole-site visits (site_pages says why the live-server helper is replaced).
_live_server_helper = site_pages._live_server_helper
site = site_pages.site

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 375, "height": 740}, "is_mobile": True, "has_touch": True}
PHONE_WIDTH = PHONE["viewport"]["width"]
ADDRESS = "https://www.educacionsuperior.gob.ec/registro-de-titulos-obtenidos-en-el-exterior/"

VISITS = page_visits()
# The walk in parts, which the test workers share out: whole, it was one test of a minute and
# a half that could be the last one running, the other worker idle.
PARTS = 6
PART_SIZE = -(-len(VISITS) // PARTS)


@pytest.fixture(scope="module")
def long_words(site, django_db_blocker):
    """The first records, which the detail, history and edit pages show, with an address."""
    with django_db_blocker.unblock():
        meeting = Meeting.objects.order_by("pk").first()
        meeting.purpose = f"Revisar el trámite publicado en {ADDRESS}"
        meeting.save()  # its history page shows the change too
        recommendation = Recommendation.objects.order_by("pk").first()
        recommendation.text = f"Publicar los requisitos en {ADDRESS}"
        recommendation.save()
        item = AgendaItem.objects.order_by("pk").first()
        item.activity = f"Taller sobre {ADDRESS}"
        item.save()
        Contact.objects.filter(pk=Contact.objects.order_by("pk").first().pk).update(
            email="registro.de.titulos.en.el.exterior@educacionsuperior.gob.ec"
        )


@pytest.fixture(scope="module")
def phone_role_page(chromium, live_server, site):
    """role -> a phone's page logged in as that demo user, one per role."""
    yield from site_pages.open_role_pages(chromium, live_server, site, **PHONE)


@pytest.mark.parametrize("part", range(PARTS), ids=lambda part: f"part {part + 1} of {PARTS}")
def test_no_page_scrolls_sideways_on_a_phone(phone_role_page, long_words, record_property, part):
    widths = []
    for visit in VISITS[part * PART_SIZE : (part + 1) * PART_SIZE]:
        page = phone_role_page(visit.role)
        response = show(page, visit)
        assert response.status == expected_status(visit), f"{visit}: {page.url}"
        if visit.variant == "filters":
            # Folded on a phone: unfolded, as the user would to filter.
            page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
        width = page.evaluate("document.documentElement.scrollWidth")
        address = urlsplit(page.url)
        path = address.path + (f"?{address.query}" if address.query else "")
        widths.append((width, f"{path} ({visit})"))

    widths.sort(key=lambda pair: pair[0], reverse=True)
    widest, where = widths[0]
    record_property("widest_page_at_375px", f"{widest} px {where}")
    print(f"\n{len(widths)} visits at {PHONE_WIDTH} px; the widest page: {widest} px, {where}")
    too_wide = [f"{width} px {where}" for width, where in widths if width > PHONE_WIDTH]
    assert not too_wide, "Pages wider than a phone, widest first:\n" + "\n".join(too_wide)
