from app.errors import NotFound


class PrefectureNotFound(NotFound):
    slug = "prefecture-not-found"
    title = "Préfecture not found"


class TribunalNotFound(NotFound):
    slug = "tribunal-not-found"
    title = "Tribunal not found"


class ProcedureNotFound(NotFound):
    slug = "procedure-not-found"
    title = "Procedure type not found"
