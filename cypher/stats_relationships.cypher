MATCH (:Node)-[r]->(:Node) RETURN type(r) AS type, count(*) AS count ORDER BY type
