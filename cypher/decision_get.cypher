MATCH (d:Decision {a: $a, b: $b}) RETURN d.decision AS decision
