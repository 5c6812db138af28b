// The allowed relationships among a set of nodes.
MATCH (a:Node)-[r]->(b:Node)
WHERE a.id IN $ids AND b.id IN $ids AND type(r) IN $types
RETURN r.id AS id, type(r) AS type, a.id AS source, b.id AS target, r.props AS props, r.evidence AS evidence
