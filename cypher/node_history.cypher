// How many analysts' decisions and merges name a node id.
OPTIONAL MATCH (d:Decision) WHERE d.a = $id OR d.b = $id
WITH count(d) AS decisions
OPTIONAL MATCH (g:Merged) WHERE g.old = $id OR g.new = $id
WITH decisions, count(g) AS merges
RETURN decisions + merges AS count
