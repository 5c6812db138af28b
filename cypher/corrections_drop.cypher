MATCH (c:Correction {content_hash: $hash}) DELETE c
