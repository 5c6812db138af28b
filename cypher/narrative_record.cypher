// A fully written narrative by its content hash: its id, node and when it was written.
MATCH (n:Narrative {content_hash: $hash}) WHERE n.ingested_at IS NOT NULL
RETURN n.source_id AS source_id, n.id AS node_id, n.content_hash AS content_hash, n.ingested_at AS ingested_at
