"""Nothing kept in one process or on one machine: production may run several instances of the
application behind one address, sharing only PostgreSQL and the media folder, with each request
going to any of them (bench/load.py --instances 2 runs it so, end to end)."""

import tempfile

from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from institutions.models import Institution

CSV = (
    "Nombre,Siglas,Función del Estado,Nivel de gobierno,Rol ante las políticas observadas,"
    "Provincia,Fecha de mapeo,Activa\n"
    "Defensoría del Pueblo,DPE,Transparencia y control social,Nacional,Ejecutor,,2021-03-20,Sí\n"
)


def test_no_cache_keeps_a_value_in_one_process_memory():
    # A value cached by the instance that answered one request would be missing, or stale, on
    # the instance that answers the next: nothing may come to rely on such a cache. Rendered
    # fragments are keyed by everything they show (settings.CACHES): missing on another
    # instance, they are rendered there the same, and another content is another key.
    for alias in set(caches) - {"fragments"}:
        cache = caches[alias]
        cache.set("oppms-several-instances", "kept")
        assert cache.get("oppms-several-instances") is None, alias


def test_an_import_uploaded_on_one_instance_is_confirmed_on_another(
    admin_client_user, settings, tmp_path_factory
):
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("shared-media")
    upload = SimpleUploadedFile("instituciones.csv", CSV.encode(), content_type="text/csv")
    preview = admin_client_user.post(
        reverse("admin:institutions_institution_import"),
        {"resource": "0", "format": "0", "import_file": upload},
    )
    assert preview.status_code == 200
    confirm = preview.context["confirm_form"].initial

    # The confirmation reaches an instance on another machine: only the database and the
    # media folder are the same.
    before = tempfile.tempdir
    tempfile.tempdir = str(tmp_path_factory.mktemp("other-machine-tmp"))
    try:
        response = admin_client_user.post(
            reverse("admin:institutions_institution_process_import"), confirm
        )
    finally:
        tempfile.tempdir = before

    assert response.status_code == 302
    assert list(Institution.objects.values_list("acronym", flat=True)) == ["DPE"]
    # Once imported, the uploaded spreadsheet is not left in the media folder.
    assert not any(path.is_file() for path in settings.MEDIA_ROOT.rglob("*"))
