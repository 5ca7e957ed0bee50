"""Month names and the "… ago" phrases, in REElearn's own catalogues.

Django's Burmese catalogue has no month names and no "%(num)d minutes" phrases, so a Burmese
pupil's due dates read "12 December". Django's dates and `timesince` look these very messages
up in every catalogue, the project's (LOCALE_PATHS) before Django's own; marking them here
keeps them in ours through `makemessages`, where they are translated. Nothing imports this
module: it only carries the messages.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

# django.utils.dates: MONTHS ("F" in a date format) and MONTHS_3 ("M", capitalised).
MONTHS = (
    gettext_noop("January"),
    gettext_noop("February"),
    gettext_noop("March"),
    gettext_noop("April"),
    gettext_noop("May"),
    gettext_noop("June"),
    gettext_noop("July"),
    gettext_noop("August"),
    gettext_noop("September"),
    gettext_noop("October"),
    gettext_noop("November"),
    gettext_noop("December"),
)
MONTHS_3 = (
    gettext_noop("jan"),
    gettext_noop("feb"),
    gettext_noop("mar"),
    gettext_noop("apr"),
    gettext_noop("may"),
    gettext_noop("jun"),
    gettext_noop("jul"),
    gettext_noop("aug"),
    gettext_noop("sep"),
    gettext_noop("oct"),
    gettext_noop("nov"),
    gettext_noop("dec"),
)
# django.utils.timesince.TIME_STRINGS (the teacher's "joined … ago").
TIME_STRINGS = (
    ngettext_lazy("%(num)d year", "%(num)d years", "num"),
    ngettext_lazy("%(num)d month", "%(num)d months", "num"),
    ngettext_lazy("%(num)d week", "%(num)d weeks", "num"),
    ngettext_lazy("%(num)d day", "%(num)d days", "num"),
    ngettext_lazy("%(num)d hour", "%(num)d hours", "num"),
    ngettext_lazy("%(num)d minute", "%(num)d minutes", "num"),
)
