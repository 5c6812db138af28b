// Nodes within $depth hops over the allowed relationship types (an APOC path expander), at most $limit.
MATCH (start:Node {id: $id})
CALL apoc.path.subgraphNodes(start, {maxLevel: $depth, relationshipFilter: $filter, limit: $limit,
                                     labelFilter: '+Node'}) YIELD node
RETURN node.id AS id
