// Insert or replace nodes whole, and index each under its search and blocking keys (row.keys), in one
// statement: one row per node instead of one per key, so an import sends and Neo4j decodes a fifth of the
// rows it did with a separate keys statement. The model label is a bound value ($(row.label), Cypher 5.26
// dynamic labels): no label text is ever formatted into a statement.
UNWIND $rows AS row
MERGE (n:Node {id: row.id})
SET n.label = row.label, n.name = row.name, n.props = row.props, n.kind = row.kind,
    n.value = row.value, n.source_id = row.source_id, n.content_hash = row.content_hash, n:$(row.label)
WITH n, row
UNWIND row.keys AS key
MERGE (k:SearchKey {key: key})
MERGE (k)-[:KEY_OF]->(n)
