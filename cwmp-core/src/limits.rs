//! Length, pattern and count limits of the CWMP schemas, and the [`Validate`] check
//! every message implements for strict decoding and for callers that build messages.
//!
//! Lengths are counted in characters, as xs:string `maxLength` counts them.

use crate::fault::FaultCode;

/// CommandKey: 32.
pub const COMMAND_KEY: usize = 32;
/// ParameterKey: 32.
pub const PARAMETER_KEY: usize = 32;
/// Parameter names, partial paths and ObjectName: 256.
pub const PARAMETER_NAME: usize = 256;
/// Event codes: 64.
pub const EVENT_CODE: usize = 64;
/// FileType: 64.
pub const FILE_TYPE: usize = 64;
/// DeviceId Manufacturer, ProductClass, SerialNumber: 64.
pub const DEVICE_ID_FIELD: usize = 64;
/// MethodList entries: 64.
pub const METHOD_NAME: usize = 64;
/// AccessList entries: 64.
pub const ACCESS_LIST_ENTRY: usize = 64;
/// Download, Upload and ScheduleDownload URL, SuccessURL, FailureURL: 256.
pub const URL: usize = 256;
/// Install/Update URL, AutonomousTransferComplete URLs, Kicked Next and NextURL: 1024.
pub const LONG_URL: usize = 1024;
/// Usernames, passwords, TargetFileName, UserMessage, ExecutionEnvRef: 256.
pub const TEXT_256: usize = 256;
/// TransferComplete FaultString: 256.
pub const TRANSFER_FAULT_STRING: usize = 256;
/// Deployment-unit Version: 32.
pub const DU_VERSION: usize = 32;
/// OptionName: 64.
pub const OPTION_NAME: usize = 64;
/// Kicked Command: 32.
pub const KICKED_COMMAND: usize = 32;
/// Kicked Referer: 64.
pub const KICKED_REFERER: usize = 64;
/// RequestDownload ArgStruct Name: 64.
pub const ARG_NAME: usize = 64;
/// RequestDownload ArgStruct Value: 256.
pub const ARG_VALUE: usize = 256;
/// Events in one Inform: 64.
pub const MAX_EVENTS: usize = 64;
/// Entries of a (All)QueuedTransfers list: 16.
pub const MAX_QUEUED_TRANSFERS: usize = 16;
/// ArgStructs of a RequestDownload: 16.
pub const MAX_ARGS: usize = 16;
/// TimeWindowStructs of a ScheduleDownload: 1 to 2.
pub const MAX_TIME_WINDOWS: usize = 2;

/// One way a message breaks its schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// The field, as its element name (`CommandKey`, `ParameterList`, ...).
    pub field: &'static str,
    /// What is wrong.
    pub kind: ViolationKind,
}

/// What is wrong with a field.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ViolationKind {
    /// Longer than the schema's maxLength.
    TooLong {
        /// The limit, in characters.
        max: usize,
        /// The actual length, in characters.
        len: usize,
    },
    /// Does not match the schema's pattern or enumeration.
    Pattern(&'static str),
    /// More array members than allowed.
    TooMany {
        /// The limit.
        max: usize,
        /// The count.
        len: usize,
    },
    /// Fewer array members than required.
    TooFew {
        /// The minimum.
        min: usize,
    },
    /// A fault code outside the subset this structure allows.
    FaultCodeNotAllowed(FaultCode),
    /// A number outside its allowed values.
    OutOfRange(i64),
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.kind {
            ViolationKind::TooLong { max, len } => {
                write!(f, "{} is {len} characters, longer than {max}", self.field)
            }
            ViolationKind::Pattern(p) => write!(f, "{} does not match {p}", self.field),
            ViolationKind::TooMany { max, len } => {
                write!(f, "{} has {len} entries, more than {max}", self.field)
            }
            ViolationKind::TooFew { min } => {
                write!(f, "{} has fewer than {min} entries", self.field)
            }
            ViolationKind::FaultCodeNotAllowed(c) => {
                write!(f, "{} may not carry fault code {c}", self.field)
            }
            ViolationKind::OutOfRange(v) => write!(f, "{} value {v} is out of range", self.field),
        }
    }
}

/// Checks a message against the limits and patterns of the CWMP schema.
pub trait Validate {
    /// Appends every violation found to `out`.
    fn validate(&self, out: &mut Vec<Violation>);

    /// Every violation, in field order; empty when the value is schema-valid.
    fn violations(&self) -> Vec<Violation> {
        let mut out = Vec::new();
        self.validate(&mut out);
        out
    }

    /// Whether the value has no violation.
    fn is_valid(&self) -> bool {
        self.violations().is_empty()
    }
}

impl<T: Validate> Validate for Vec<T> {
    fn validate(&self, out: &mut Vec<Violation>) {
        for item in self {
            item.validate(out);
        }
    }
}

/// Records a TooLong violation when `value` has more than `max` characters.
pub fn check_len(out: &mut Vec<Violation>, field: &'static str, value: &str, max: usize) {
    // Byte length bounds the character count from above: skip the count in the common case.
    if value.len() > max {
        let len = value.chars().count();
        if len > max {
            out.push(Violation {
                field,
                kind: ViolationKind::TooLong { max, len },
            });
        }
    }
}

/// Records TooMany / TooFew violations for an array length.
pub fn check_count(
    out: &mut Vec<Violation>,
    field: &'static str,
    len: usize,
    min: usize,
    max: usize,
) {
    if len < min {
        out.push(Violation {
            field,
            kind: ViolationKind::TooFew { min },
        });
    } else if len > max {
        out.push(Violation {
            field,
            kind: ViolationKind::TooMany { max, len },
        });
    }
}

/// Records a Pattern violation when `ok` is false.
pub fn check_pattern(
    out: &mut Vec<Violation>,
    field: &'static str,
    ok: bool,
    pattern: &'static str,
) {
    if !ok {
        out.push(Violation {
            field,
            kind: ViolationKind::Pattern(pattern),
        });
    }
}

/// Whether `oui` is six upper-case hexadecimal digits.
///
/// ```
/// assert!(cwmp_core::limits::is_oui("00A0C9"));
/// assert!(!cwmp_core::limits::is_oui("00a0c9"));
/// ```
pub fn is_oui(oui: &str) -> bool {
    oui.len() == 6
        && oui
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(&b))
}

/// Whether `name` is an ObjectName: at most 256 characters, ending with a dot.
pub fn is_object_name(name: &str) -> bool {
    name.ends_with('.') && name.chars().count() <= PARAMETER_NAME
}

/// Whether `uuid` has the 8-4-4-4-12 hexadecimal shape of a DeploymentUnitUUID.
pub fn is_uuid(uuid: &str) -> bool {
    let groups = [8usize, 4, 4, 4, 12];
    let mut parts = uuid.split('-');
    groups.iter().all(|&n| {
        parts
            .next()
            .is_some_and(|p| p.len() == n && p.bytes().all(|b| b.is_ascii_hexdigit()))
    }) && parts.next().is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_accept_at_the_limit_and_refuse_one_past() {
        for (max, field) in [
            (COMMAND_KEY, "CommandKey"),
            (PARAMETER_KEY, "ParameterKey"),
            (PARAMETER_NAME, "Name"),
            (EVENT_CODE, "EventCode"),
            (URL, "URL"),
            (LONG_URL, "AnnounceURL"),
            (DU_VERSION, "Version"),
        ] {
            let mut out = Vec::new();
            check_len(&mut out, field, &"é".repeat(max), max);
            assert!(out.is_empty(), "{field} at its limit");
            check_len(&mut out, field, &"a".repeat(max + 1), max);
            assert_eq!(
                out,
                vec![Violation {
                    field,
                    kind: ViolationKind::TooLong { max, len: max + 1 }
                }]
            );
        }
    }

    #[test]
    fn patterns() {
        assert!(is_oui("00A0C9"));
        for bad in ["00a0c9", "00A0C", "00A0C9A", "00A0CG"] {
            assert!(!is_oui(bad), "{bad}");
        }
        assert!(is_object_name("Device.IP.Interface."));
        assert!(!is_object_name("Device.IP.Interface"));
        assert!(is_uuid("6ba7b810-9dad-11d1-80b4-00c04fd430c8"));
        assert!(!is_uuid("6ba7b810-9dad-11d1-80b4-00c04fd430c"));
        assert!(!is_uuid("6ba7b810-9dad-11d1-80b4-00c04fd430c8-1"));
    }

    #[test]
    fn counts() {
        let mut out = Vec::new();
        check_count(&mut out, "Event", MAX_EVENTS, 0, MAX_EVENTS);
        assert!(out.is_empty());
        check_count(&mut out, "Event", MAX_EVENTS + 1, 0, MAX_EVENTS);
        check_count(&mut out, "TimeWindowList", 0, 1, MAX_TIME_WINDOWS);
        assert_eq!(out.len(), 2);
    }
}
