from enum import StrEnum
from typing import Annotated

from pydantic import AnyHttpUrl, BaseModel, ConfigDict, EmailStr, Field, StringConstraints

from app.bodies import PatchBody

Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000)]
Salutation = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=80)]


class ProcedureChannel(StrEnum):
    """How an application is lodged with the préfecture (not a court filing)."""

    prefecture_appointment = "prefecture_appointment"
    anef = "anef"
    other = "other"


class TribunalRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str = Field(examples=["montreuil"])
    name: str = Field(
        description="As written in a petition heading.",
        examples=["tribunal administratif de Montreuil"],
    )
    seat: str
    address: str
    edited_fields: list[str]


class TribunalUpdate(PatchBody):
    address: Text | None = None


class PrefectureRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    department_code: str = Field(examples=["93"])
    department_name: str = Field(examples=["Seine-Saint-Denis"])
    department_of: str = Field(
        description="The name with its preposition and article.",
        examples=["de la Seine-Saint-Denis"],
    )
    chef_lieu: str = Field(examples=["Bobigny"])
    defendant: str = Field(
        description="The defendant as written in a petition.",
        examples=["le préfet de la Seine-Saint-Denis"],
    )
    salutation: str = Field(examples=["Monsieur le Préfet"])
    foreigners_service_name: str = Field(
        description="The service letters are addressed to; empty: « Service chargé du séjour "
        "des étrangers »."
    )
    foreigners_service_address: str
    foreigners_service_email: str
    booking_urls: list[str]
    tribunal_code: str
    time_zone: str = Field(
        description="IANA zone of the territory: dates and times in drafts and readiness.",
        examples=["Europe/Paris", "Indian/Reunion"],
    )
    holiday_region: str = Field(
        description="Public-holiday calendar used for deadlines: a subdivision of the "
        "`holidays` package's France calendar (« 974 », « 6AE »…), empty for the metropolitan one."
    )
    edited_fields: list[str]


class PrefectureDetail(PrefectureRead):
    tribunal: TribunalRead


class PrefectureUpdate(PatchBody):
    """Contact data a firm keeps up to date; empty strings clear a value."""

    salutation: Salutation | None = None
    foreigners_service_name: (
        Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] | None
    ) = None
    foreigners_service_address: Text | None = None
    foreigners_service_email: EmailStr | None = None
    booking_urls: Annotated[list[AnyHttpUrl], Field(max_length=10)] | None = None


class ProcedureRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str = Field(examples=["aes_vie_privee"])
    label: str
    ceseda_basis: str = Field(description="Article(s) of the CESEDA, empty when unknown.")
    is_renewal: bool
    channel: ProcedureChannel
    request_phrase: str = Field(
        description="The request as letters and petitions print it, with its legal basis; "
        "« {motif} » stands for an admission exceptionnelle's motif."
    )
    edited_fields: list[str]


class ProcedureUpdate(PatchBody):
    channel: ProcedureChannel | None = None
    request_phrase: (
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=10, max_length=500)]
        | None
    ) = None
