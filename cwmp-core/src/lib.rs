//! Typed, XML-free model of every CWMP (TR-069) 1.0–1.4 message.
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic))]

pub mod fault;
