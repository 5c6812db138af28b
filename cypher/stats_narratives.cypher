MATCH (n:Narrative) WHERE n.ingested_at IS NOT NULL RETURN count(n) AS count
