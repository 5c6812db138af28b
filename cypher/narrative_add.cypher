// Marks the narrative as fully written: its node exists already, from nodes_put.
MATCH (n:Narrative {id: $node_id})
SET n.ingested_at = $ingested_at
