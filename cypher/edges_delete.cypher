UNWIND $rows AS row
MATCH (a:Node {id: row.source})-[r]->()
WHERE r.id = row.id
DELETE r
