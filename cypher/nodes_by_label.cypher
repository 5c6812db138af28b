MATCH (n:Node)
WHERE n.label = $label
RETURN n.id AS id, n.label AS label, n.name AS name, n.props AS props
ORDER BY id SKIP $offset LIMIT $limit
