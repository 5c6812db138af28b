// The stored nodes among $ids.
UNWIND $ids AS id
MATCH (n:Node {id: id})
USING INDEX n:Node(id)
RETURN n.id AS id, n.label AS label, n.name AS name, n.props AS props
