// The caseworkers' corrections in force for these narratives (one per mention: the last one made).
UNWIND $hashes AS hash
MATCH (c:Correction {content_hash: hash})
RETURN c.correction AS correction
ORDER BY c.content_hash, c.span_start, c.span_end, c.label
