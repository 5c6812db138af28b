// The stored versions of these relationships, found from their source node.
UNWIND $rows AS row
MATCH (a:Node {id: row.source})-[r]->(b:Node)
USING INDEX a:Node(id)
WHERE r.id = row.id
RETURN r.id AS id, type(r) AS type, a.id AS source, b.id AS target, r.props AS props, r.evidence AS evidence
