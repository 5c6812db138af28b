// Insert or replace nodes whole; the model label comes from the row, added with APOC (no label text in Cypher).
UNWIND $rows AS row
MERGE (n:Node {id: row.id})
SET n.label = row.label, n.name = row.name, n.props = row.props, n.kind = row.kind,
    n.value = row.value, n.source_id = row.source_id, n.content_hash = row.content_hash
WITH n, row
CALL apoc.create.addLabels(n, [row.label]) YIELD node
RETURN count(node) AS written
