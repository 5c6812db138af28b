// Insert or replace relationships whole. Not a MERGE: MERGE with a dynamic type ($(row.type)) is planned as a
// scan of every relationship in the database (Neo4j 5.26), so the stored one is found by expanding between
// the two bound nodes (cheap) and only missing ones are created, with the type as a bound value (a filter
// on the missing rows rather than FOREACH over a CASE list: one Eager less in the plan). Safe against
// concurrent writers because every write transaction first takes the graph's write lock (write_lock.cypher).
UNWIND $rows AS row
MATCH (a:Node {id: row.source}), (b:Node {id: row.target})
USING INDEX a:Node(id) USING INDEX b:Node(id)
OPTIONAL MATCH (a)-[stored]->(b) WHERE stored.id = row.id
SET stored.props = row.props, stored.evidence = row.evidence
WITH a, b, row, stored
WHERE stored IS NULL
CREATE (a)-[:$(row.type) {id: row.id, props: row.props, evidence: row.evidence}]->(b)
