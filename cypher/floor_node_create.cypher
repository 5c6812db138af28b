// Benchmark reference only (bench/neo4j_write.py): plain CREATE of prepared node rows, with no existence
// check, no search keys and no write lock; what Neo4j itself costs on this machine, not a usable write path.
UNWIND $rows AS row
CREATE (n:Node)
SET n.id = row.id, n.label = row.label, n.name = row.name, n.props = row.props, n:$(row.label)
