// Remove a node (already without model relationships) and the search keys that pointed only at it.
MATCH (n:Node {id: $id})
OPTIONAL MATCH (k:SearchKey)-[:KEY_OF]->(n)
DETACH DELETE n
WITH DISTINCT k
WHERE k IS NOT NULL AND NOT (k)-[:KEY_OF]->()
DELETE k
