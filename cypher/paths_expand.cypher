// Simple paths from $a to $b of at most $cutoff hops over social relationships (an APOC path expander),
// never through a narrative or a platform/authority/support organisation.
MATCH (a:Node {id: $a}), (b:Node {id: $b})
OPTIONAL MATCH (o:Organization) WHERE o.kind IN ['platform', 'authority', 'support']
WITH a, b, collect(o) AS blocked
CALL apoc.path.expandConfig(a, {relationshipFilter: $filter, minLevel: 1, maxLevel: $cutoff,
                                terminatorNodes: [b], blacklistNodes: blocked, uniqueness: 'NODE_PATH',
                                limit: $limit, labelFilter: '-Narrative'}) YIELD path
RETURN [n IN nodes(path) | n.id] AS nodes
