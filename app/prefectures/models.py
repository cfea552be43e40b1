"""Reference data: tribunals, préfectures and procedure types.

Columns fall in two groups. Reference columns (names, designations, jurisdiction) come
from the versioned data file in migrations/data and are corrected by later data
migrations. Editable columns (contact data, salutation, filing channel) belong to the
firm: once a firm edits one, its name goes into ``edited_fields`` and no data
migration overwrites it.
"""

from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Field, SQLModel


class Tribunal(SQLModel, table=True):
    __tablename__ = "tribunals"

    code: str = Field(primary_key=True, sa_type=sa.String(40))
    name: str = Field(sa_type=sa.String(120))
    seat: str = Field(sa_type=sa.String(80))
    # editable
    address: str = Field(default="", sa_type=sa.Text)
    edited_fields: list[str] = Field(default_factory=list, sa_type=sa.JSON)


class Prefecture(SQLModel, table=True):
    __tablename__ = "prefectures"

    department_code: str = Field(primary_key=True, sa_type=sa.String(3))
    department_name: str = Field(sa_type=sa.String(80))
    article: str = Field(sa_type=sa.String(4))
    department_of: str = Field(sa_type=sa.String(100))
    chef_lieu: str = Field(sa_type=sa.String(80))
    defendant: str = Field(sa_type=sa.String(200))
    tribunal_code: str = Field(foreign_key="tribunals.code", index=True, sa_type=sa.String(40))
    # Where the préfecture's clocks and public holidays are (IANA zone; a subdivision of the
    # ``holidays`` package's France calendar, "" for the metropolitan one).
    time_zone: str = Field(
        default="Europe/Paris",
        sa_type=sa.String(40),
        sa_column_kwargs={"server_default": "Europe/Paris"},
    )
    holiday_region: str = Field(
        default="", sa_type=sa.String(8), sa_column_kwargs={"server_default": ""}
    )

    @property
    def zone(self) -> ZoneInfo:
        """The wall clock of the préfecture's territory."""
        return ZoneInfo(self.time_zone)

    # editable
    salutation: str = Field(sa_type=sa.String(80))
    foreigners_service_name: str = Field(
        default="", sa_type=sa.String(200), sa_column_kwargs={"server_default": ""}
    )
    foreigners_service_address: str = Field(default="", sa_type=sa.Text)
    foreigners_service_email: str = Field(default="", sa_type=sa.String(254))
    booking_urls: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    edited_fields: list[str] = Field(default_factory=list, sa_type=sa.JSON)


class Procedure(SQLModel, table=True):
    __tablename__ = "procedures"

    code: str = Field(primary_key=True, sa_type=sa.String(60))
    label: str = Field(sa_type=sa.String(200))
    ceseda_basis: str = Field(default="", sa_type=sa.String(120))
    is_renewal: bool = False
    # editable: the ANEF perimeter moves by ministerial order
    channel: str = Field(sa_type=sa.String(32))
    # editable: the request in a lawyer's words, with its legal basis, as the letter and the
    # petition print it (« une première demande de carte de séjour temporaire … »); for
    # admission exceptionnelle, « {motif} » stands for the case's chosen motif.
    request_phrase: str = Field(
        default="", sa_type=sa.Text, sa_column_kwargs={"server_default": ""}
    )
    edited_fields: list[str] = Field(default_factory=list, sa_type=sa.JSON)
