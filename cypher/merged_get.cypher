MATCH (m:Merged {old: $id}) RETURN m.new AS new
