import uuid
from typing import Annotated

from fastapi import Depends

from app.cases import service
from app.cases.models import Case
from app.db import SessionDep


def load_case(session: SessionDep, *, case_id: uuid.UUID) -> Case:
    return service.get_case(session, case_id=case_id)


CaseDep = Annotated[Case, Depends(load_case)]
