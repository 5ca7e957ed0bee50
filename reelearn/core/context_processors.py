from django.utils.translation import gettext_lazy as _


def navigation(request):
    """Role-aware navigation links for the site header."""
    user = getattr(request, "user", None)
    links = [
        ("/curriculum/", _("Curriculum")),
        ("/glossary/", _("Glossary")),
        ("/search/", _("Search")),
    ]
    if user is not None and user.is_authenticated:
        if user.is_pupil:
            links.append(("/my-work/", _("My work")))
        if user.is_verified_teacher:
            links.append(("/classes/", _("My classes")))
        elif user.is_teacher:  # not verified yet: the page that says how
            links.append(("/schools/", _("Get verified")))
        if user.is_editor:
            links.append(("/admin/", _("Edit content")))
    return {"nav_links": links}
