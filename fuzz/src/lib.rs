//! Helpers shared by the fuzz targets: reference computations (oracles). Model values come from
//! `cwmp_soap::generate`, built from the same RPC descriptions as the codec.
#![forbid(unsafe_code)]

pub mod auth;
