from django.conf import settings

from .navigation import nav_for


def portal(request):
    user = getattr(request, "user", None)
    partnership = getattr(user, "partnership", None) if user and user.is_authenticated else None
    return {
        "portal_name": settings.PORTAL_NAME,
        "partnership": partnership,
        "nav_items": nav_for(user, request.path) if user else [],
    }
