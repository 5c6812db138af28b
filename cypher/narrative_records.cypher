// Fully written narratives by their ids: node, content hash and when each was written (the order of writing).
UNWIND $ids AS source_id
MATCH (n:Narrative {source_id: source_id}) WHERE n.ingested_at IS NOT NULL
RETURN n.source_id AS source_id, n.id AS node_id, n.content_hash AS content_hash, n.ingested_at AS ingested_at
