// A narrative counts as stored once its write completed (ingested_at set in the same transaction).
MATCH (n:Narrative {content_hash: $hash}) WHERE n.ingested_at IS NOT NULL RETURN n.source_id AS source_id
