from app.errors import NotFound


class RefusalMessageNotFound(NotFound):
    slug = "refusal-message-not-found"
    title = "Refusal message not found"
