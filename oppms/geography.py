from django.db import models
from django.utils.translation import gettext_lazy as _


class Province(models.TextChoices):
    """Ecuador's 24 provinces; institutions and allies are located in one of them."""

    AZUAY = "azuay", "Azuay"
    BOLIVAR = "bolivar", "Bolívar"
    CANAR = "canar", "Cañar"
    CARCHI = "carchi", "Carchi"
    CHIMBORAZO = "chimborazo", "Chimborazo"
    COTOPAXI = "cotopaxi", "Cotopaxi"
    EL_ORO = "el_oro", "El Oro"
    ESMERALDAS = "esmeraldas", "Esmeraldas"
    GALAPAGOS = "galapagos", "Galápagos"
    GUAYAS = "guayas", "Guayas"
    IMBABURA = "imbabura", "Imbabura"
    LOJA = "loja", "Loja"
    LOS_RIOS = "los_rios", "Los Ríos"
    MANABI = "manabi", "Manabí"
    MORONA_SANTIAGO = "morona_santiago", "Morona Santiago"
    NAPO = "napo", "Napo"
    ORELLANA = "orellana", "Orellana"
    PASTAZA = "pastaza", "Pastaza"
    PICHINCHA = "pichincha", "Pichincha"
    SANTA_ELENA = "santa_elena", "Santa Elena"
    SANTO_DOMINGO = "santo_domingo", "Santo Domingo de los Tsáchilas"
    SUCUMBIOS = "sucumbios", "Sucumbíos"
    TUNGURAHUA = "tungurahua", "Tungurahua"
    ZAMORA_CHINCHIPE = "zamora_chinchipe", "Zamora Chinchipe"


# Provinces on the borders with Colombia and Peru, where most human mobility crosses.
BORDER_PROVINCES = {
    Province.CARCHI,
    Province.ESMERALDAS,
    Province.SUCUMBIOS,
    Province.EL_ORO,
    Province.LOJA,
    Province.ZAMORA_CHINCHIPE,
}

PROVINCE_HELP = _("Province of Ecuador where it is based.")
