// How many hops the shortest social path from $a to $b takes (breadth-first APOC expander, first hit),
// never through a narrative or a platform/authority/support organisation; no row if none within $max_hops.
MATCH (a:Node {id: $a}), (b:Node {id: $b})
OPTIONAL MATCH (o:Organization) WHERE o.kind IN ['platform', 'authority', 'support']
WITH a, b, collect(o) AS blocked
CALL apoc.path.expandConfig(a, {relationshipFilter: $filter, labelFilter: '-Narrative', terminatorNodes: [b],
                                blacklistNodes: blocked, uniqueness: 'NODE_GLOBAL', bfs: true, limit: 1,
                                maxLevel: $max_hops}) YIELD path
RETURN length(path) AS hops
