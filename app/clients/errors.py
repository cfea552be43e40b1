from app.errors import NotFound


class ClientNotFound(NotFound):
    slug = "client-not-found"
    title = "Client not found"
