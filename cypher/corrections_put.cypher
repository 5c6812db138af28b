// A correction replaces the earlier one of the same mention (narrative content hash, span, extracted label).
UNWIND $rows AS row
MERGE (c:Correction {content_hash: row.content_hash, span_start: row.start, span_end: row.end, label: row.label})
SET c.correction = row.correction
