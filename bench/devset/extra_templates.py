"""Sentences added to a text on top of its genre's lead and body, each for one purpose.

- ``SURNAME_FOLLOWUPS``: the "surname_repeat" hard case, a later mention of {P1} by surname alone;
- ``WRAPS``: the frame of a survivor statement ({BODY} is the text);
- ``DISTRACTOR_LINES``: extra digit strings that are not phone numbers;
- ``PHONE_CLOSERS``: a phone number for texts that have none, so that about two thirds carry one.
"""

from __future__ import annotations

SURNAME_FOLLOWUPS = [
    "{P1ts} later denied knowing anyone at that number.",
    "{P1s} has not been seen since.",
    "Staff say {P1s} is frightened of the driver.",
    "When asked again, {P1s} gave the same account.",
    "{P1s} was not at the address when officers returned.",
    "Later that day {P1s} called again from the same phone.",
    "{P1ts} confirmed this in a second interview.",
]

WRAPS = (
    '"{BODY}"',
    'Survivor statement, {NDATE}: "{BODY}"',
    '"{BODY}" – {P3f}, {d:age}',
    'Account given to {NGO}: "{BODY}"',
    '{BODY}',
)

DISTRACTOR_LINES = [
    "Call ref. {d:ref}, logged at {d:time}.",
    "Case number {d:case}; phone enquiries quote {d:ref}.",
    "Ref {d:case}, tel. log {d:ref}.",
    "Handset IMEI {d:imei}.",
    "SIM serial {d:iccid}.",
    "File {d:case}, opened {NDATE}.",
    "SSN {d:ssn} on file.",
    "ID no. {d:natid}, passport {d:passport}.",
    "Order no. {d:order}, call {d:ref} for tracking.",
    "Vehicle {d:plate}, postcode {d:postcode}.",
]

PHONE_CLOSERS = [
    "Contact number: {PH1}.",
    "Call back on {PH1}.",
    "Number given: {PH1}.",
    "The number {PH1} is linked to this report.",
    "Tel. {PH1}.",
]
