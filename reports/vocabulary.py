"""Display words for codes the analysis carries (HTCDS indicators, roles, corridor modes).

Reports print "debt bondage", not ``DebtBondage``; the code stays in tables so an analyst can match it to
the HTCDS field list. Unknown codes are split at their capitals rather than refused: a new indicator added
to ``nlp/data/indicators.json`` still renders.
"""

from __future__ import annotations

import re

INDICATOR_LABELS: dict[str, str] = {
    "DebtBondage": "debt bondage",
    "WithholdsDocuments": "withholding documents",
    "RestrictsMovement": "restricting movement",
    "PhysicalThreats": "physical threats",
    "ThreatensChildrenFamily": "threats against children or family",
    "ThreatsLawEnforcement": "threats of denunciation to the authorities",
    "PhysicalAbuse": "physical abuse",
    "SexualAbuse": "sexual abuse",
    "TakesEarnings": "taking earnings",
    "RestrictsFinancialAccess": "restricting access to money",
    "RestrictsMedicalCare": "restricting medical care",
    "WithholdsNecessities": "withholding necessities",
    "PsychologicalAbuse": "psychological abuse",
    "PsychoactiveSubstance": "forced use of psychoactive substances",
    "ExcessiveWorkingHours": "excessive working hours",
    "FalsePromises": "false promises",
    "SexualExploitation": "sexual exploitation",
    "ForcedLabour": "forced labour",
    "Servitude": "servitude",
    "ForcedCriminality": "forced criminality",
    "ForcedBegging": "forced begging",
    "ForcedMarriage": "forced marriage",
    "ChildLabour": "child labour",
}

# Exploiter-side roles in the order a judgement prefers to name them when counts tie.
ROLE_ORDER: tuple[str, ...] = ("recruiter", "controller", "exploiter", "transporter")


def indicator_label(code: str) -> str:
    known = INDICATOR_LABELS.get(code)
    if known is not None:
        return known
    words = re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+", code)
    return " ".join(w.lower() for w in words) or code


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]
