MATCH (a:Node)-[r]->(b:Node)
RETURN r.id AS id, type(r) AS type, a.id AS source, b.id AS target, r.props AS props, r.evidence AS evidence
ORDER BY id
