// Marks narratives as fully written: their nodes exist already, from nodes_put in the same transaction.
// Found through :Node's id constraint, by hint: there is no index on :Narrative(id), and a plan that starts from
// the label (chosen while the graph is small, then cached) scans every narrative per row.
UNWIND $rows AS row
MATCH (n:Node {id: row.node_id})
USING INDEX n:Node(id)
WHERE n:Narrative
SET n.ingested_at = row.ingested_at
