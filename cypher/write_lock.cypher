// First statement of every write transaction: an exclusive lock on one bookkeeping node, held until commit.
// Writers read what is stored (evidence, candidates) and then write; serialising them, as SQLite's
// BEGIN IMMEDIATE does, keeps two API or ingestion processes from losing each other's updates. Readers
// never take it. The uniqueness constraint on :WriteLock(id) makes concurrent first MERGEs create one node.
MERGE (lock:WriteLock {id: 'graph'})
SET lock.taken_at = timestamp()
