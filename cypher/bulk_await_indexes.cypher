// Bulk import: wait until every index (the full-text name index among them) is online after the schema
// was created over an imported database, so that the first search does not meet an index still populating.
CALL db.awaitIndexes($seconds)
