// The allowed relationships among a set of nodes, bare (id and ends: enough to choose which to read whole,
// graph.stores.bounded), at most $limit (null: all).
MATCH (a:Node)-[r]->(b:Node)
WHERE a.id IN $ids AND b.id IN $ids AND type(r) IN $types
RETURN r.id AS id, a.id AS source, b.id AS target
LIMIT coalesce($limit, 9223372036854775807)
