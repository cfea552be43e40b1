from app.errors import NotFound


class SubscriptionNotFound(NotFound):
    slug = "webhook-not-found"
    title = "Webhook subscription not found"


class DeliveryNotFound(NotFound):
    slug = "delivery-not-found"
    title = "Webhook delivery not found"
