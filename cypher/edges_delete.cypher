UNWIND $rows AS row
MATCH (a:Node {id: row.source})-[r]->()
USING INDEX a:Node(id)
WHERE r.id = row.id
DELETE r
