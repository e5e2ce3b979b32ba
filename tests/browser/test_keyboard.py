"""A meeting logged with the keyboard alone, its focus always in sight; and, on a phone, the
meeting form's required fields before the optional ones.

Only ``page.keyboard`` drives the flow (no click, no fill, no focus set by a script): each Tab
stop is checked for a focus ring a sighted keyboard user can see, inside the window. The
keystrokes are counted and the flow timed; ``pytest -s`` prints both.
"""

import re
import time

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from observance.models import Meeting
from tests.browser.conftest import log_in
from tests.conftest import PASSWORD
from tests.institutions.factories import make_institution
from tests.observance.page_data import make_team_member

pytestmark = pytest.mark.browser

# What the focused element shows. Tom Select's search input is drawn without a border inside
# its .ts-control box: the box is what shows the focus. A ring is an outline or a box shadow of
# a colour more opaque than not; one of its colours must stand out at 3:1 (WCAG 1.4.11) from the
# background around the element (a pale blue glow on the blue navbar does not). The element
# must be on screen, wholly.
FOCUS_STATE = """() => {
  const element = document.activeElement;
  const shown = element.closest('.ts-control') || element;
  const style = getComputedStyle(shown);
  const box = shown.getBoundingClientRect();
  const colours = text => (text.match(/rgba?\\([^)]*\\)/g) || []).map(colour => {
    const [r, g, b, a = 1] = colour.slice(colour.indexOf('(') + 1, -1).split(/[ ,\\/]+/)
      .filter(Boolean).map(Number);
    return {r, g, b, a};
  });
  const luminance = ({r, g, b}) => [r, g, b].map(v => v / 255)
    .map(v => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)
    .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
  let around = {r: 255, g: 255, b: 255};
  for (let parent = shown.parentElement; parent; parent = parent.parentElement) {
    const [background] = colours(getComputedStyle(parent).backgroundColor);
    if (background && background.a > 0.5) { around = background; break; }
  }
  const ring = [];
  if (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) {
    ring.push(...colours(style.outlineColor));
  }
  if (style.boxShadow !== 'none') ring.push(...colours(style.boxShadow));
  const contrasts = ring.filter(colour => colour.a >= 0.5).map(colour => {
    const [light, dark] = [luminance(colour), luminance(around)].sort((x, y) => y - x);
    return (light + 0.05) / (dark + 0.05);
  });
  return {
    element: element.outerHTML.slice(0, 120) + ` at ${JSON.stringify(box)} in `
      + `${window.innerWidth}x${window.innerHeight}, scrolled to ${window.scrollY}; `
      + `ring ${JSON.stringify(ring)} on ${JSON.stringify(around)}`,
    contrast: Math.max(0, ...contrasts),
    inWindow: box.width > 0 && box.height > 0 && box.top >= 0 && box.left >= 0
      && box.bottom <= window.innerHeight && box.right <= window.innerWidth,
  };
}"""


class CountingKeyboard:
    """``page.keyboard``, counting: a key pressed counts one, a text typed one per character."""

    def __init__(self, page):
        self.page = page
        self.keystrokes = 0
        self.tabs = 0

    def press(self, key):
        self.keystrokes += 1
        self.page.keyboard.press(key)
        if key in ("Tab", "Shift+Tab"):
            self.tabs += 1
            # What the Tab set off runs before the next key, as between a person's keystrokes:
            # Tom Select finishes taking the focus in a zero-delay timer, and on a busy machine
            # Chromium could deliver the next Tab first; the timer then took the focus back from
            # the field that Tab had reached. A timer set now runs after those already set.
            self.page.evaluate("() => new Promise(done => setTimeout(done, 0))")
            self.assert_focus_shown()

    def type(self, text):
        self.keystrokes += len(text)
        self.page.keyboard.type(text)

    def focused(self, selector):
        return self.page.evaluate("s => document.activeElement.matches(s)", selector)

    def tab_to(self, selector, at_most):
        """Tab until the element matching ``selector`` has the focus, in ``at_most`` Tabs."""
        for _ in range(at_most):
            self.press("Tab")
            if self.focused(selector):
                return
        shown = self.page.evaluate("document.activeElement.outerHTML.slice(0, 200)")
        pytest.fail(f"{selector} not reached in {at_most} Tabs; the focus is on {shown}")

    def assert_focus_shown(self):
        state = self.page.evaluate(FOCUS_STATE)
        assert state["contrast"] >= 3, f"no visible focus on {state['element']}"
        assert state["inWindow"], f"the focused element is off screen: {state['element']}"


@pytest.fixture
def keyboard_data(db):
    institution = make_institution(name="Ministerio de Relaciones Exteriores", acronym="MREMH")
    # A look-alike the search also finds: the arrow keys must pick the right one.
    make_institution(name="Ministerio de Relaciones Laborales", acronym="MRL")
    make_team_member(name="Verónica Villarruel")
    member = make_team_member(name="Jhonn Cueva")
    return institution, member


def test_a_meeting_is_logged_from_the_dashboard_with_the_keyboard_alone(
    page, coordinator, keyboard_data
):
    institution, member = keyboard_data
    log_in(page, coordinator.username, PASSWORD)
    expect(page.locator("[data-testid=new-meeting]")).to_be_visible()
    keys = CountingKeyboard(page)
    started = time.monotonic()

    # The first Tab stop skips the navbar: one more Tab reaches "Log a meeting".
    keys.press("Tab")
    assert keys.focused(".skip-link")
    expect(page.locator(".skip-link")).to_have_text("Saltar al contenido")
    keys.press("Enter")
    keys.tab_to("[data-testid=new-meeting]", at_most=1)
    keys.press("Enter")
    page.wait_for_url("**/reuniones/nueva/")

    # The date and time come filled in with the present minute: the meeting just held.
    held_at = page.locator("#id_held_at").input_value()
    keys.press("Tab")
    keys.press("Enter")
    keys.tab_to("#id_held_at", at_most=1)
    # Chromium steps through the date's parts (day, month, year, hour...) with Tab.
    keys.tab_to("input[name=modality]", at_most=8)
    # The first modality has the focus, unchosen: the arrow chooses the next, "In person",
    # which shows the field for the place.
    keys.press("ArrowDown")
    assert keys.focused("#id_modality_1:checked")
    keys.tab_to("#id_institution-ts-control", at_most=1)
    keys.type("Relaciones")
    options = page.locator("#id_institution-ts-dropdown .option")
    expect(options).to_have_count(2)
    for _ in range(2):
        if "active" in (options.filter(has_text=institution.name).get_attribute("class") or ""):
            break
        keys.press("ArrowDown")
    keys.press("Enter")
    expect(page.locator("#id_institution")).to_have_value(str(institution.pk))
    # Tom Select lets Tab go on: past the ally, to the purpose.
    keys.tab_to("#id_ally-ts-control", at_most=1)
    keys.tab_to("#id_purpose", at_most=1)
    keys.type("Presentar el observatorio")
    keys.tab_to("#id_place", at_most=2)
    keys.type("Quito")
    keys.tab_to(f"input[name=team_members][value='{member.pk}']", at_most=3)
    keys.press("Space")
    keys.tab_to("[data-testid=save]", at_most=15)
    keys.press("Enter")
    # The form posts to its own address, which the skip link gave a #main: the redirect keeps it.
    page.wait_for_url(re.compile(r"/reuniones/\d+/(#main)?$"))
    elapsed = time.monotonic() - started

    meeting = Meeting.objects.get()
    assert page.url.split("#")[0].endswith(meeting.get_absolute_url())
    expect(page.locator("main")).to_contain_text(institution.name)
    assert timezone.localtime(meeting.held_at).strftime("%Y-%m-%dT%H:%M") == held_at
    assert meeting.modality == Meeting.Modality.IN_PERSON
    assert meeting.institution == institution
    assert meeting.ally is None
    assert meeting.place == "Quito"
    assert meeting.purpose == "Presentar el observatorio"
    assert list(meeting.team_members.all()) == [member]
    print(
        f"\nKeyboard-only meeting, dashboard to saved meeting: {keys.keystrokes} keystrokes "
        f"({keys.tabs} of them Tab), {elapsed:.1f} s"
    )


def test_the_commitments_add_row_button_works_from_the_keyboard(page, coordinator):
    log_in(page, coordinator.username, PASSWORD)
    page.goto("/reuniones/nueva/")
    keys = CountingKeyboard(page)
    keys.tab_to("[data-testid=add-commitment]", at_most=60)
    rows = page.locator("[data-formset-rows] textarea")
    expect(rows).to_have_count(1)
    keys.press("Enter")
    expect(rows).to_have_count(2)
    # The new row's first field takes the focus, with its ring showing.
    assert keys.focused("#id_commitments-1-text")
    keys.assert_focus_shown()


# Required alone: the fields the form marks required. The counterpart is required as a pair
# (an institution or an ally, as the form says under the institution): both come first.
COUNTERPART = ["institution", "ally"]


def test_on_a_phone_the_meeting_form_puts_the_required_fields_first(
    phone_page, coordinator, keyboard_data
):
    log_in(phone_page, coordinator.username, PASSWORD)
    phone_page.goto("/reuniones/nueva/")
    form = phone_page.locator("form.record-form")
    expect(form.locator("#div_id_institution")).to_contain_text(
        "Una reunión necesita una institución o un aliado."
    )
    required = set(form.locator("[required]").evaluate_all("elements => elements.map(e => e.name)"))
    assert required >= {"held_at", "modality", "purpose"}
    required |= set(COUNTERPART)
    fields = form.locator("input, select, textarea").evaluate_all(
        """elements => elements
             .filter(e => e.type !== 'hidden' && e.name && !e.name.endsWith('FORMS'))
             .map(e => e.name)"""
    )
    optional = [name for name in dict.fromkeys(fields) if name not in required]
    assert {"process", "team_members", "outcomes", "minutes"} <= set(optional)

    # On the screen: each field's box (crispy's div_id_<name>) below every required one.
    def top_and_bottom(name):
        box = phone_page.locator(f"[name='{name}']").first.locator(
            "xpath=ancestor::div[starts-with(@id, 'div_id_')][1]"
        )
        if box.count() == 0:  # a commitment row's fields carry no crispy wrapper
            box = phone_page.locator(f"[name='{name}']").first
        found = box.bounding_box()
        return found["y"], found["y"] + found["height"]

    lowest_required = max(top_and_bottom(name)[1] for name in required)
    shown_optional = [
        name for name in optional if phone_page.locator(f"[name='{name}']").first.is_visible()
    ]
    highest_optional = min(top_and_bottom(name)[0] for name in shown_optional)
    assert lowest_required <= highest_optional

    # In the Tab order: the same, from the first field to the save button.
    keys = CountingKeyboard(phone_page)
    keys.tab_to("#id_held_at", at_most=10)
    order = []
    while not keys.focused("[data-testid=save]"):
        name = phone_page.evaluate(
            "(e => e.name || e.id.replace(/^id_/, '').replace(/-ts-control$/, ''))"
            "(document.activeElement)"
        )
        if name not in order:
            order.append(name)
        keys.press("Tab")
        assert keys.tabs < 80, f"the save button is not reached; the order so far: {order}"
    last_required = max(order.index(name) for name in required)
    first_optional = min(order.index(name) for name in optional if name in order)
    assert last_required < first_optional, order
