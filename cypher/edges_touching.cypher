// Every relationship of one node, either direction.
MATCH (n:Node {id: $id})-[r]-(:Node)
RETURN r.id AS id, type(r) AS type, startNode(r).id AS source, endNode(r).id AS target,
       r.props AS props, r.evidence AS evidence
