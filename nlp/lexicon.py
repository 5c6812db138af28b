"""Verb and noun lexicons behind relations, routes and roles, kept apart from the code that uses them.

Lemmas as the English model's lemmatizer produces them.
"""

from __future__ import annotations

RECRUIT_VERBS = frozenset({"recruit", "lure", "entice", "groom", "approach", "persuade", "convince", "trick",
                           "deceive", "promise", "offer", "hire", "contact", "invite", "befriend"})
CONTROL_VERBS = frozenset({"control", "guard", "watch", "beat", "threaten", "hit", "lock", "force", "make",
                           "keep", "supervise", "monitor", "order", "rape", "sell", "drug", "punish", "abuse",
                           "exploit", "pimp", "manage", "run", "collect", "confiscate", "take", "hold"})
PAY_VERBS = frozenset({"pay", "transfer", "wire", "send", "give", "deposit"})
WORK_VERBS = frozenset({"work", "employ", "place", "put", "send", "keep", "exploit", "sell", "clean", "live",
                        "stay", "start", "labour", "pick", "grow"})
EXPLOIT_VERBS = frozenset({"force", "make", "exploit", "sell", "keep", "traffic", "compel", "coerce"})
MOTION_VERBS = frozenset({"travel", "go", "take", "bring", "drive", "fly", "move", "transport", "send",
                          "smuggle", "arrive", "cross", "come", "leave", "transfer", "ship", "sail", "walk",
                          "relocate", "journey", "traffic", "reach", "land", "return", "head", "board",
                          "put", "carry", "ferry", "escort", "collect", "pick", "get", "end"})
MODES = {"bus": "bus", "coach": "bus", "minibus": "bus", "car": "car", "taxi": "car", "drive": "car",
         "van": "van", "minivan": "van", "lorry": "lorry", "truck": "lorry", "train": "train", "rail": "train",
         "plane": "flight", "flight": "flight", "fly": "flight", "airplane": "flight", "aeroplane": "flight",
         "boat": "boat", "ferry": "boat", "ship": "boat", "dinghy": "boat", "foot": "foot", "walk": "foot"}
ORIGIN_PREPS = frozenset({"from", "out"})
DESTINATION_PREPS = frozenset({"to", "into", "towards", "toward"})
VIA_PREPS = frozenset({"via", "through", "across"})
ARRIVAL_VERBS = frozenset({"arrive", "land", "end", "reach", "stay"})
DEPARTURE_VERBS = frozenset({"leave", "depart", "flee", "escape"})

ROLE_NOUNS = {
    "recruiter": "recruiter", "agent": "recruiter", "headhunter": "recruiter",
    "boss": "exploiter", "owner": "exploiter", "manager": "exploiter", "pimp": "exploiter",
    "trafficker": "exploiter", "madam": "exploiter", "gangmaster": "exploiter", "exploiter": "exploiter",
    "employer": "exploiter", "landlord": "exploiter",
    "controller": "controller", "guard": "controller", "supervisor": "controller", "minder": "controller",
    "enforcer": "controller", "foreman": "controller",
    "driver": "transporter", "smuggler": "transporter", "courier": "transporter", "transporter": "transporter",
    "customer": "buyer", "punter": "buyer", "buyer": "buyer",
    "witness": "witness", "neighbour": "witness", "neighbor": "witness",
    "victim": "victim", "survivor": "victim", "client": "victim",
}
TRANSPORT_VERBS = frozenset({"drive", "transport", "smuggle", "ferry", "fly", "pick", "collect", "escort"})
BUY_VERBS = frozenset({"buy", "purchase"})
EXPLOITER_VERBS = frozenset({"beat", "rape", "sell", "exploit", "force", "threaten", "abuse", "pimp"})
VICTIM_PASSIVE_VERBS = frozenset({"exploit", "traffic", "force", "sell", "beat", "rape", "recruit", "abuse",
                                  "threaten", "lock", "make", "take", "smuggle", "hold", "keep", "trick"})
WITNESS_VERBS = frozenset({"witness", "see", "report", "notice", "alert", "hear"})
