MERGE (d:Decision {a: $a, b: $b})
SET d.decision = $decision, d.by = $by, d.at = $at
