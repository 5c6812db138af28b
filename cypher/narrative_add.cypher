// Marks narratives as fully written: their nodes exist already, from nodes_put in the same transaction.
UNWIND $rows AS row
MATCH (n:Narrative {id: row.node_id})
SET n.ingested_at = row.ingested_at
