from django import template

register = template.Library()


@register.filter
def definition(term, tier):
    return term.definition_for(tier)


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.simple_tag
def other_languages(page):
    """Where this page is published in other languages: see lessons.i18n.other_languages."""
    from lessons.i18n import other_languages as links

    return links(page)
