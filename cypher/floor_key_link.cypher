// Benchmark reference only (bench/neo4j_write.py): plain CREATE of KEY_OF between keys and nodes found by
// their unique ids, with no existence check and no write lock.
UNWIND $rows AS row
MATCH (k:SearchKey {key: row.key}), (n:Node {id: row.node})
USING INDEX k:SearchKey(key) USING INDEX n:Node(id)
CREATE (k)-[:KEY_OF]->(n)
