//! Helpers shared by the fuzz targets: reference computations (oracles) and the hand-written
//! generator of arbitrary CWMP model values (`cwmp-core` does not depend on `arbitrary`).
#![forbid(unsafe_code)]

pub mod auth;
pub mod model;
