// Unindex nodes (they are put again with their current names); keys left pointing at nothing go.
UNWIND $ids AS id
MATCH (k:SearchKey)-[r:KEY_OF]->(:Node {id: id})
DELETE r
WITH DISTINCT k
WHERE NOT (k)-[:KEY_OF]->()
DELETE k
