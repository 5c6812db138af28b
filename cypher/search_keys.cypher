// Node ids indexed under exactly the key $exact (of the labels $labels, when given), at most $limit.
MATCH (k:SearchKey {key: $exact})-[:KEY_OF]->(n:Node)
WHERE $labels IS NULL OR n.label IN $labels
RETURN DISTINCT n.id AS id
LIMIT $limit
