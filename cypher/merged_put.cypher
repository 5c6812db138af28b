// ``old`` now answers as ``new``; earlier merges into ``old`` follow it.
MATCH (p:Merged {new: $old}) SET p.new = $new
WITH count(p) AS repointed
MERGE (m:Merged {old: $old})
SET m.new = $new
