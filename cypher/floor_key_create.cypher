// Benchmark reference only (bench/neo4j_write.py): plain CREATE of the distinct search keys of prepared
// node rows, with no existence check; with floor_key_link, what Neo4j costs for the keys the store keeps.
UNWIND $rows AS row
CREATE (:SearchKey {key: row.key})
