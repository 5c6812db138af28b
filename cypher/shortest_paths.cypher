// Every shortest path over social relationships, never through a narrative or a non-network organisation.
MATCH (a:Node {id: $a}), (b:Node {id: $b})
MATCH p = allShortestPaths((a)-[*..12]-(b))
WHERE all(r IN relationships(p) WHERE type(r) IN $types)
  AND all(n IN nodes(p)[1..-1] WHERE NOT n:Narrative AND NOT coalesce(n.kind, '') IN ['platform', 'authority', 'support'])
RETURN [n IN nodes(p) | n.id] AS nodes
LIMIT 1000
