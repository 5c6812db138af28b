// Node ids indexed under a key exactly ($exact) or under any key starting with $prefix.
MATCH (k:SearchKey)-[:KEY_OF]->(n:Node)
WHERE k.key = $exact OR ($prefix IS NOT NULL AND k.key STARTS WITH $prefix)
RETURN DISTINCT n.id AS id
