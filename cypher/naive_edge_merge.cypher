// Benchmark baseline only (bench/neo4j_write.py): one relationship per statement.
MATCH (a:Node {id: $source}), (b:Node {id: $target})
CALL apoc.merge.relationship(a, $type, {id: $id}, {}, b, {}) YIELD rel
SET rel.props = $props, rel.evidence = $evidence
RETURN count(rel) AS written
