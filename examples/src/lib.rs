//! Shared code of the reference programs (ACS, CPE, demo) and the `cwmp` tool.
