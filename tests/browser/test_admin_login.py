import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_administrator_logs_into_the_admin_in_spanish(page, administrator):
    page.goto("/admin/")
    assert page.locator("html").get_attribute("lang") == "es"
    page.get_by_label("Nombre de usuario").fill(administrator.username)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Iniciar sesión").click()
    page.get_by_text("Instituciones gubernamentales").first.wait_for()
    assert "Sitio de administración" in page.title()


def test_wrong_password_is_refused_in_spanish(page, administrator):
    page.goto("/admin/")
    page.get_by_label("Nombre de usuario").fill(administrator.username)
    page.get_by_label("Contraseña").fill("not-the-password")
    page.get_by_role("button", name="Iniciar sesión").click()
    expect(page.get_by_text("la clave correctos para una cuenta de personal")).to_be_visible()
