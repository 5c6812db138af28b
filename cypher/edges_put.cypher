// Insert or replace relationships whole; the type comes from the row, through APOC (no type text in Cypher).
UNWIND $rows AS row
MATCH (a:Node {id: row.source}), (b:Node {id: row.target})
CALL apoc.merge.relationship(a, row.type, {id: row.id}, {}, b, {}) YIELD rel
SET rel.props = row.props, rel.evidence = row.evidence
RETURN count(rel) AS written
