"""Entity candidates for ``sightline_entities``, one module per kind of evidence; the component
(``nlp/components/entities.py``) resolves their overlaps."""
