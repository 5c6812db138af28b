// Benchmark reference only (bench/neo4j_write.py): plain CREATE of prepared relationship rows between
// nodes found by id, with no existence check and no write lock.
UNWIND $rows AS row
MATCH (a:Node {id: row.source}), (b:Node {id: row.target})
USING INDEX a:Node(id) USING INDEX b:Node(id)
CREATE (a)-[:$(row.type) {id: row.id, props: row.props, evidence: row.evidence}]->(b)
