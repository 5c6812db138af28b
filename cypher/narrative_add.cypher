// Marks narratives as fully written: their nodes exist already, from nodes_put in the same transaction.
// Found through :Node's id constraint: there is no index on :Narrative(id), so matching on that label
// scanned every narrative per row. The hint keeps the planner from starting at the label anyway (its
// choice depends on the statistics of the moment the plan is first cached).
UNWIND $rows AS row
MATCH (n:Node {id: row.node_id})
USING INDEX n:Node(id)
WHERE n:Narrative
SET n.ingested_at = row.ingested_at
