// Full-text search over names (of the labels $labels, when given); $query is a Lucene query built from
// escaped words. The index answers best first, so the LIMIT stops it early.
CALL db.index.fulltext.queryNodes('node_names', $query) YIELD node, score
WITH node, score
WHERE $labels IS NULL OR node.label IN $labels
RETURN node.id AS id
ORDER BY score DESC, id
LIMIT $limit
