MATCH (n:Narrative {source_id: $source_id}) WHERE n.ingested_at IS NOT NULL RETURN n.content_hash AS content_hash
