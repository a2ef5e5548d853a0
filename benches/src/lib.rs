//! Message generators and measurement helpers shared by the benches and the report.
