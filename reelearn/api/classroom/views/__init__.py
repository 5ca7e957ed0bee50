"""Classroom API: the same services and selectors as the HTML pages, one module per resource.

Reads are scoped (a class you cannot see is a 404); commands are checked (403). Each command
parses its own input serializer, calls one service and answers with an output serializer.
"""
