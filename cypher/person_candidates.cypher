// People sharing the most blocking keys with a name, at most $limit. A key held by more than $common people
// (a common first name) is skipped, so the work per name stays bounded as the graph grows.
UNWIND $keys AS key
MATCH (k:SearchKey {key: key})
CALL (k) {
  MATCH (k)-[:KEY_OF]->(p:Person)
  WITH p LIMIT $common + 1
  RETURN collect(p) AS people
}
WITH people WHERE size(people) <= $common
UNWIND people AS n
WITH n, count(*) AS shared
ORDER BY shared DESC, n.id
LIMIT $limit
RETURN n.id AS id, n.label AS label, n.name AS name, n.props AS props
