MATCH (n:Narrative {content_hash: $hash}) RETURN n.source_id AS source_id
