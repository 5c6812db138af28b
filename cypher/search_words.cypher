// Nodes (of the labels $labels, when given) with a name token starting with each of $prefixes ('t:' keys):
// the first prefix's keys through the key index, each node kept when every prefix starts one of its keys.
// At most $limit.
MATCH (k:SearchKey)-[:KEY_OF]->(n:Node)
WHERE k.key STARTS WITH $prefixes[0] AND ($labels IS NULL OR n.label IN $labels)
WITH DISTINCT n
WITH n, [(o:SearchKey)-[:KEY_OF]->(n) | o.key] AS keys
WHERE all(p IN $prefixes WHERE any(key IN keys WHERE key STARTS WITH p))
RETURN n.id AS id
LIMIT $limit
