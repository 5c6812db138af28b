// Insert or replace nodes whole. The model label is a bound value ($(row.label), Cypher 5.26 dynamic labels):
// no label text is ever formatted into a statement.
UNWIND $rows AS row
MERGE (n:Node {id: row.id})
SET n.label = row.label, n.name = row.name, n.props = row.props, n.kind = row.kind,
    n.value = row.value, n.source_id = row.source_id, n.content_hash = row.content_hash, n:$(row.label)
