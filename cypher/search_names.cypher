// Full-text search over names; $query is a Lucene query built from escaped words.
CALL db.index.fulltext.queryNodes('node_names', $query) YIELD node, score
RETURN node.id AS id
ORDER BY score DESC, id
LIMIT $limit
