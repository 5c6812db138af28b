// Applied idempotently when the Neo4j store opens. Every graph node carries :Node plus its model label.
CREATE CONSTRAINT node_id IF NOT EXISTS FOR (n:Node) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT narrative_source IF NOT EXISTS FOR (n:Narrative) REQUIRE n.source_id IS UNIQUE;
CREATE CONSTRAINT narrative_hash IF NOT EXISTS FOR (n:Narrative) REQUIRE n.content_hash IS UNIQUE;
CREATE CONSTRAINT search_key IF NOT EXISTS FOR (k:SearchKey) REQUIRE k.key IS UNIQUE;
CREATE CONSTRAINT merged_old IF NOT EXISTS FOR (m:Merged) REQUIRE m.old IS UNIQUE;
CREATE CONSTRAINT decision_pair IF NOT EXISTS FOR (d:Decision) REQUIRE (d.a, d.b) IS UNIQUE;
CREATE CONSTRAINT write_lock IF NOT EXISTS FOR (l:WriteLock) REQUIRE l.id IS UNIQUE;
CREATE CONSTRAINT correction_mention IF NOT EXISTS FOR (c:Correction) REQUIRE (c.content_hash, c.span_start, c.span_end, c.label) IS UNIQUE;
CREATE INDEX correction_hash IF NOT EXISTS FOR (c:Correction) ON (c.content_hash);
CREATE INDEX node_label IF NOT EXISTS FOR (n:Node) ON (n.label);
CREATE FULLTEXT INDEX node_names IF NOT EXISTS FOR (n:Person|Organization|Location|Phone|Email|BankAccount|CryptoWallet|OnlineAccount) ON EACH [n.name] OPTIONS {indexConfig: {`fulltext.analyzer`: 'standard-folding'}};
