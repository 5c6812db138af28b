// Bulk import (graph/stores/bulk_import.py): does the database hold any graph content it would replace?
// Each label is probed through its token index, one row at most, so an empty check costs nothing on a large graph.
CALL () { MATCH (n:Node) RETURN n LIMIT 1
          UNION MATCH (n:SearchKey) RETURN n LIMIT 1
          UNION MATCH (n:Merged) RETURN n LIMIT 1 }
RETURN count(n) > 0 AS present
