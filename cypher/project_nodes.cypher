// The networkx projection streams only what analysis needs: id, label, name, properties.
MATCH (n:Node)
WHERE $labels IS NULL OR n.label IN $labels
RETURN n.id AS id, n.label AS label, n.name AS name, n.props AS props
