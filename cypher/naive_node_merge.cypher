// Benchmark baseline only (bench/neo4j_write.py): one node per statement, the way a naive adapter writes.
MERGE (n:Node {id: $id})
SET n.label = $label, n.name = $name, n.props = $props, n:$($label)
