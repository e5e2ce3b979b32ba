"""The navigation bar shows which section the page belongs to."""

import re

import pytest

ACTIVE_LINK = re.compile(r'class="nav-link active" href="([^"]+)"')


@pytest.mark.parametrize(
    ("path", "section"),
    [
        ("/", "/"),
        ("/reuniones/nueva/", "/reuniones/"),
        ("/solicitudes/", "/solicitudes/"),
        ("/instituciones/", "/instituciones/"),
        ("/aliados/", "/aliados/"),
        ("/procesos/", "/procesos/"),
        ("/recomendaciones/", "/procesos/"),
        ("/informes/", "/informes/"),
        ("/observatorio/equipo/", "/observatorio/"),
    ],
)
def test_the_section_of_the_page_is_the_one_marked_active(secretary_client, path, section):
    page = secretary_client.get(path).content.decode()
    assert ACTIVE_LINK.findall(page) == [section]
