// Every shortest social path from $a to $b (at most 8 hops), never through a narrative or a
// platform/authority/support organisation. The predicates are per node and per relationship, so Neo4j
// applies them during its breadth-first search instead of falling back to an exhaustive one.
MATCH (a:Node {id: $a}), (b:Node {id: $b})
MATCH p = allShortestPaths((a)-[*..8]-(b))
WHERE all(r IN relationships(p) WHERE type(r) IN $types)
  AND all(n IN nodes(p) WHERE NOT n:Narrative AND NOT coalesce(n.kind, '') IN ['platform', 'authority', 'support'])
RETURN [n IN nodes(p) | n.id] AS nodes
LIMIT 1000
