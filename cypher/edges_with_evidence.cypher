// Relationships of these nodes whose evidence (a JSON list) may cite one narrative: $needle is the JSON text
// `"narrative": "<id>"`; the caller keeps only those that really do.
UNWIND $ids AS id
MATCH (n:Node {id: id})-[r]-(:Node)
USING INDEX n:Node(id)
WHERE r.evidence CONTAINS $needle
WITH DISTINCT r
RETURN r.id AS id, type(r) AS type, startNode(r).id AS source, endNode(r).id AS target,
       r.props AS props, r.evidence AS evidence
