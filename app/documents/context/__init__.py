"""From a case's facts to the plain data a template prints (pure).

Every value is already formatted in French (dates, times, amounts, agreement), and every
sentence built here follows the data: an outcome is stated only for the attempts that met
it, a capture is mentioned only when there is one, an empty value leaves no hole. A
template only places strings, and a firm's own template can use the same names. The
variables are listed in docs/documents.md.

``types`` holds the inputs (a ``Snapshot`` of the case, the lawyer's ``Options``), ``build``
the one entry point; each section of a draft has its module (``parties``, ``attempts``,
``contacts``, ``urgency``, ``legal``), over ``labels`` and ``citing`` (dates, pièces).
"""
