"""Request and response models of the HTTP API (pydantic), one module per audience.

Request models forbid unknown fields and bound every string and list, so a typo or a hostile payload gets a
422 naming the field instead of being ignored or stored. Response models are what the OpenAPI document
promises; routes return them, never store objects, so no internal field leaks by accident. Where a
response shows a domain dataclass, it is declared from that dataclass (``api.schemas.mirror``) rather than
copied from it, so the two cannot drift apart.

- ``common``: roles, the strict request base, errors, service info, jobs (NGOs and analysts);
- ``ngo``: following submitted narratives, reading and correcting their extraction (what an NGO sends is
  intake's: ``intake.records``);
- ``analyst``: the graph, the analysis, the review queue, the watchlist, reports;
- ``partner``: screening;
- ``admin``: API keys, the audit log, deleting a narrative;
- ``mirror``: how a response model is derived from a dataclass, and filled from one.

Import a model from its module (``from api.schemas.analyst import NodeRef``): the package re-exports
nothing, so each model has one import path and the module says which audience it serves.
"""
