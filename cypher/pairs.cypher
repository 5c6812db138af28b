MATCH (a:Person)-[r:POSSIBLY_SAME_AS]->(b:Person)
RETURN r.id AS id, a.id AS a, b.id AS b, r.props AS props
ORDER BY id
