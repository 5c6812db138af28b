MATCH (n:Narrative {source_id: $source_id}) RETURN n.content_hash AS content_hash
