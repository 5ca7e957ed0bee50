from django import template

register = template.Library()


@register.filter
def definition(term, tier):
    return term.definition_for(tier)


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None
