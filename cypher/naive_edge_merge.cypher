// Benchmark baseline only (bench/neo4j_write.py): one relationship per statement, same logic as edges_put.
MATCH (a:Node {id: $source}), (b:Node {id: $target})
OPTIONAL MATCH (a)-[stored]->(b) WHERE stored.id = $id
FOREACH (_ IN CASE WHEN stored IS NULL THEN [1] ELSE [] END |
  CREATE (a)-[:$($type) {id: $id, props: $props, evidence: $evidence}]->(b))
SET stored.props = $props, stored.evidence = $evidence
