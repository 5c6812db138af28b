// Simple paths from $a to $b of at most $cutoff hops over social relationships (an APOC path expander).
MATCH (a:Node {id: $a}), (b:Node {id: $b})
CALL apoc.path.expandConfig(a, {relationshipFilter: $filter, minLevel: 1, maxLevel: $cutoff,
                                terminatorNodes: [b], uniqueness: 'NODE_PATH', limit: $limit,
                                labelFilter: '-Narrative'}) YIELD path
RETURN [n IN nodes(path) | n.id] AS nodes
