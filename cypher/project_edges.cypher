MATCH (a:Node)-[r]->(b:Node)
WHERE ($types IS NULL OR type(r) IN $types)
  AND ($labels IS NULL OR (a.label IN $labels AND b.label IN $labels))
RETURN r.id AS id, type(r) AS type, a.id AS source, b.id AS target, r.props AS props, r.evidence AS evidence
