"""Joint computations between organisations that never pool their data: secure multi-party computation with
MPyC (docs/mpc.md). Each organisation runs one party against its own store; only secret shares leave it."""
