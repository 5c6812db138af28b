MATCH (n:Node) RETURN n.id AS id, n.label AS label, n.name AS name, n.props AS props, n.ingested_at AS ingested_at
ORDER BY id
