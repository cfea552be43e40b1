from typing import Annotated

from pydantic import BaseModel, ConfigDict, EmailStr, Field, StringConstraints

from app.bodies import StrictBody

Line = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]


class Lawyer(StrictBody):
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)] = (
        Field(examples=["Camille Martin"])
    )
    bar: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)] = (
        Field(
            description="The bar, as it follows « avocat au barreau »: « de Paris », « de la "
            "Seine-Saint-Denis »; a bare name (« Paris ») is given « de ».",
            examples=["de la Seine-Saint-Denis"],
        )
    )
    toque: Line = Field(default="", description="Toque or vestiaire number.", examples=["PB 123"])
    email: EmailStr | None = None
    phone: Line = ""
    civility: Annotated[str, StringConstraints(pattern="^(monsieur|madame)$")] = "madame"


class FirmUpdate(StrictBody):
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    address: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]
    city: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)] = (
        Field(description="Where documents are signed: « Fait à … ».")
    )
    phone: Line = ""
    email: EmailStr | None = None
    letterhead: Annotated[str, StringConstraints(max_length=1000)] = Field(
        default="", description="Lines printed at the top of letters."
    )
    lawyers: Annotated[list[Lawyer], Field(max_length=50)] = Field(default_factory=list)


class FirmRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    name: str
    address: str
    city: str
    phone: str
    email: str
    letterhead: str
    lawyers: list[Lawyer]
    version: int
