// Index nodes under their search and blocking keys.
UNWIND $rows AS row
MATCH (n:Node {id: row.node})
USING INDEX n:Node(id)
MERGE (k:SearchKey {key: row.key})
MERGE (k)-[:KEY_OF]->(n)
