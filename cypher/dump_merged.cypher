MATCH (m:Merged) RETURN m.old AS old, m.new AS new ORDER BY old
