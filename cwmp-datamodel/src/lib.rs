//! Typed CWMP parameter paths and Broadband Forum data-model schemas.
//!
//! What it does:
//!
//! - [`path`]: [`Path`] / [`PathRef`], full and partial parameter paths with instance numbers,
//!   Alias-Based Addressing `[alias]` segments, the `{i}` placeholder and the `*` wildcard;
//!   validated, located errors, cheap to clone and hash.
//! - [`Schema`]: a data model loaded from BBF data-model XML (TR-181 `Device:2`, TR-098
//!   `InternetGatewayDevice:1`, service models such as TR-104, vendor extensions), with
//!   components, base models, imports through a [`Loader`], and the TR-106 named data types
//!   resolved down to their primitive type and facets.
//! - Lookup of any instance path to its definition (instance numbers, aliases and `*`
//!   normalised to `{i}` on the fly, without allocating), listing of children, and
//!   validation of typed values ([`cwmp_core::value::Value`]) and of whole
//!   SetParameterValues requests with the CWMP fault codes (9003, 9005, 9006, 9007, 9008).
//!   Types are cwmp-core's [`ValueType`] and value texts are checked by cwmp-core's
//!   [`lexical`](cwmp_core::lexical) checker, the same one its typed accessors use.
//!
//! Loading is one pass over the XML: names stay slices of the document until they become
//! definition paths (only the new segment of each path is validated), and every other text
//! a definition keeps is interned: the same string, the same set of facets or the resolved
//! facets of a named data type are stored once and shared through `Arc`s (see [`types`]),
//! and the definition paths of a schema are slices of one shared text. Loading TR-181 2.17
//! (4 MB, 7,273 definitions) makes about 7,300 allocations.
//!
//! - [`tree`]: the CPE side of the parameter RPCs (GetParameterValues, GetParameterNames,
//!   SetParameterValues, Get/SetParameterAttributes, AddObject, DeleteObject) over a backend
//!   the device implements, with value-change notifications and persistable state; an
//!   in-memory backend is included.
//!
//! What it does not do: own the device's real data (a [`tree::Backend`] does: the in-memory
//! one, or the application's own over its I/O), check `pathRef`/`instanceRef` targets against
//! the device's instances, or profiles.
//!
//! ```
//! use cwmp_core::value::{Value, ValueType};
//! use cwmp_datamodel::{MemoryLoader, Schema};
//! let xml = r#"<document xmlns="urn:broadband-forum-org:cwmp:datamodel-1-14">
//!   <dataType name="Order"><unsignedInt><range minInclusive="1"/></unsignedInt></dataType>
//!   <model name="Device:2.17">
//!     <object name="Device." access="readOnly" minEntries="1" maxEntries="1"/>
//!     <object name="Device.ManagementServer." access="readOnly" minEntries="1" maxEntries="1">
//!       <parameter name="PeriodicInformInterval" access="readWrite">
//!         <syntax><unsignedInt><range minInclusive="1"/></unsignedInt></syntax>
//!       </parameter>
//!       <parameter name="ParameterKey" access="readOnly" forcedInform="true">
//!         <syntax><string><size maxLength="32"/></string></syntax>
//!       </parameter>
//!     </object>
//!     <object name="Device.Routing.Router.{i}." access="readWrite" minEntries="0" maxEntries="unbounded">
//!       <parameter name="Order" access="readWrite"><syntax><dataType ref="Order"/></syntax></parameter>
//!     </object>
//!   </model>
//! </document>"#;
//! let schema = Schema::from_str("mini.xml", xml, &MemoryLoader::new())?;
//!
//! let interval = "Device.ManagementServer.PeriodicInformInterval";
//! assert!(schema.check_set(interval, &Value::unsigned_int(60)).is_ok());
//! let fault = schema.check_set(interval, &Value::unsigned_int(0)).unwrap_err();
//! assert_eq!(fault.code.get(), 9007);
//! let fault = schema.check_set("Device.ManagementServer.ParameterKey", &Value::string("k")).unwrap_err();
//! assert_eq!(fault.code.get(), 9008);
//! let zero = Value::new(ValueType::UnsignedInt, "zero");
//! let fault = schema.check_set("Device.Routing.Router.[main].Order", &zero).unwrap_err();
//! assert_eq!(fault.code.get(), 9006);
//! let fault = schema.check_set("Device.Nope", &Value::string("1")).unwrap_err();
//! assert_eq!(fault.code.get(), 9005);
//!
//! let (zero, two) = (Value::unsigned_int(0), Value::unsigned_int(2));
//! let spv = schema
//!     .check_set_parameter_values([(interval, &zero), ("Device.Routing.Router.1.Order", &two)])
//!     .unwrap_err();
//! assert_eq!(spv.code.get(), 9003);
//! assert_eq!(spv.set_parameter_values_faults.len(), 1);
//! # Ok::<(), cwmp_datamodel::Error>(())
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(
    test,
    allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic
    )
)]

mod build;
mod error;
mod hash;
mod index;
mod intern;
mod lex;
pub mod path;
mod schema;
mod swar;
pub mod tree;
pub mod types;
mod validate;
mod xml;

pub use build::{
    DirLoader, Loader, MAX_DEFINITIONS, MAX_DOCUMENTS, MAX_NESTING, MemoryLoader, NoImports,
    SchemaBuilder,
};
pub use error::Error;
pub use path::{Path, PathError, PathRef, Segment};
pub use schema::{LookupError, ModelInfo, Resolution, Schema};
pub use types::{Access, Definition, ObjectDef, ParameterDef, Syntax, ValueType};
pub use validate::ValueFault;
pub use xml::{MAX_DEPTH, MAX_DOCUMENT_SIZE, MAX_ENTITIES, MAX_ENTITY_EXPANSION};
