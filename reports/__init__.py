"""Key Judgement reports (built in the graph issue)."""
