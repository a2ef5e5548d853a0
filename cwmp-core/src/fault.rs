//! CWMP fault codes (TR-069 Annex A.5) and the SOAP/CWMP `Fault` message.
//!
//! [`FaultCode`] is an open code: every `u32` is representable, the defined codes have names,
//! and [`FaultCode::class`] says which range an undefined code falls in. Nothing is ever dropped.

use std::borrow::Cow;
use std::fmt;

/// Who is at fault, as carried in the SOAP `faultcode` element (`Client` or `Server`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum FaultType {
    /// The request was wrong (SOAP `Client`).
    Client,
    /// The receiver failed to process a valid request (SOAP `Server`).
    #[default]
    Server,
}

impl FaultType {
    /// The text written in the SOAP `faultcode` element.
    pub const fn as_str(self) -> &'static str {
        match self {
            FaultType::Client => "Client",
            FaultType::Server => "Server",
        }
    }
}

/// The range a fault code belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FaultClass {
    /// A code the CPE returns that TR-069 defines (9000–9032).
    Cpe,
    /// A CPE code reserved for future extension (9033–9799).
    CpeExtension,
    /// A CPE vendor-specific code (9800–9899).
    CpeVendor,
    /// A code the ACS returns that TR-069 defines (8000–8006).
    Acs,
    /// An ACS code reserved for future extension (8007–8799).
    AcsExtension,
    /// An ACS vendor-specific code (8800–8899).
    AcsVendor,
    /// Outside every CWMP range; `0` (success in TransferComplete) is also here.
    Other,
}

/// A CWMP fault code: any `u32`, with names for the defined ones.
///
/// ```
/// use cwmp_core::fault::{FaultCode, FaultClass, FaultType};
/// let code = FaultCode::INVALID_PARAMETER_VALUE;
/// assert_eq!(code.get(), 9007);
/// assert_eq!(code.name(), Some("Invalid parameter value"));
/// assert_eq!(code.fault_type(), FaultType::Client);
/// assert_eq!(FaultCode::new(9850).class(), FaultClass::CpeVendor);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(transparent))]
pub struct FaultCode(u32);

macro_rules! fault_codes {
    ($($(#[$doc:meta])* $name:ident = $code:literal, $text:literal, $ty:ident;)*) => {
        impl FaultCode {
            $($(#[$doc])* pub const $name: FaultCode = FaultCode($code);)*

            /// Every code TR-069 defines, CPE codes first, in numeric order.
            pub const DEFINED: &'static [FaultCode] = &[$(FaultCode::$name),*];

            /// The name TR-069 gives the code, if it is a defined one.
            pub const fn name(self) -> Option<&'static str> {
                match self.0 {
                    $($code => Some($text),)*
                    _ => None,
                }
            }

            const fn defined_type(self) -> Option<FaultType> {
                match self.0 {
                    $($code => Some(FaultType::$ty),)*
                    _ => None,
                }
            }
        }
    };
}

fault_codes! {
    /// 9000 Method not supported.
    METHOD_NOT_SUPPORTED = 9000, "Method not supported", Server;
    /// 9001 Request denied (no reason specified).
    REQUEST_DENIED = 9001, "Request denied (no reason specified)", Server;
    /// 9002 Internal error.
    INTERNAL_ERROR = 9002, "Internal error", Server;
    /// 9003 Invalid arguments.
    INVALID_ARGUMENTS = 9003, "Invalid arguments", Client;
    /// 9004 Resources exceeded.
    RESOURCES_EXCEEDED = 9004, "Resources exceeded", Server;
    /// 9005 Invalid parameter name.
    INVALID_PARAMETER_NAME = 9005, "Invalid parameter name", Client;
    /// 9006 Invalid parameter type.
    INVALID_PARAMETER_TYPE = 9006, "Invalid parameter type", Client;
    /// 9007 Invalid parameter value.
    INVALID_PARAMETER_VALUE = 9007, "Invalid parameter value", Client;
    /// 9008 Attempt to set a non-writable parameter.
    NON_WRITABLE_PARAMETER = 9008, "Attempt to set a non-writable parameter", Client;
    /// 9009 Notification request rejected.
    NOTIFICATION_REQUEST_REJECTED = 9009, "Notification request rejected", Server;
    /// 9010 File transfer failure ("Download failure" in CWMP 1.0 and 1.1).
    FILE_TRANSFER_FAILURE = 9010, "File transfer failure", Server;
    /// 9011 Upload failure.
    UPLOAD_FAILURE = 9011, "Upload failure", Server;
    /// 9012 File transfer server authentication failure.
    FILE_TRANSFER_AUTHENTICATION_FAILURE = 9012, "File transfer server authentication failure", Server;
    /// 9013 Unsupported protocol for file transfer.
    UNSUPPORTED_TRANSFER_PROTOCOL = 9013, "Unsupported protocol for file transfer", Server;
    /// 9014 File transfer failure: unable to join multicast group (1.1).
    TRANSFER_MULTICAST_JOIN_FAILED = 9014, "File transfer failure: unable to join multicast group", Server;
    /// 9015 File transfer failure: unable to contact file server (1.1).
    TRANSFER_SERVER_UNREACHABLE = 9015, "File transfer failure: unable to contact file server", Server;
    /// 9016 File transfer failure: unable to access file (1.1).
    TRANSFER_FILE_INACCESSIBLE = 9016, "File transfer failure: unable to access file", Server;
    /// 9017 File transfer failure: unable to complete download (1.1).
    TRANSFER_INCOMPLETE = 9017, "File transfer failure: unable to complete download", Server;
    /// 9018 File transfer failure: file corrupted (1.1).
    TRANSFER_FILE_CORRUPTED = 9018, "File transfer failure: file corrupted", Server;
    /// 9019 File transfer failure: file authentication failure (1.1).
    TRANSFER_FILE_AUTHENTICATION_FAILED = 9019, "File transfer failure: file authentication failure", Server;
    /// 9020 File transfer failure: unable to complete download within specified time windows (1.2).
    TRANSFER_OUTSIDE_TIME_WINDOWS = 9020, "File transfer failure: unable to complete download within specified time windows", Client;
    /// 9021 Cancelation of file transfer not permitted in current transfer state (1.2).
    CANCEL_NOT_PERMITTED = 9021, "Cancelation of file transfer not permitted in current transfer state", Client;
    /// 9022 Invalid UUID Format (1.2).
    INVALID_UUID_FORMAT = 9022, "Invalid UUID Format", Server;
    /// 9023 Unknown Execution Environment (1.2).
    UNKNOWN_EXECUTION_ENVIRONMENT = 9023, "Unknown Execution Environment", Server;
    /// 9024 Disabled Execution Environment (1.2).
    DISABLED_EXECUTION_ENVIRONMENT = 9024, "Disabled Execution Environment", Server;
    /// 9025 Deployment Unit to Execution Environment Mismatch (1.2).
    DU_EE_MISMATCH = 9025, "Deployment Unit to Execution Environment Mismatch", Server;
    /// 9026 Duplicate Deployment Unit (1.2).
    DUPLICATE_DU = 9026, "Duplicate Deployment Unit", Server;
    /// 9027 System Resources Exceeded (1.2).
    SYSTEM_RESOURCES_EXCEEDED = 9027, "System Resources Exceeded", Server;
    /// 9028 Unknown Deployment Unit (1.2).
    UNKNOWN_DU = 9028, "Unknown Deployment Unit", Server;
    /// 9029 Invalid Deployment Unit State (1.2).
    INVALID_DU_STATE = 9029, "Invalid Deployment Unit State", Server;
    /// 9030 Invalid Deployment Unit Update – Downgrade not permitted (1.2).
    DU_DOWNGRADE_NOT_PERMITTED = 9030, "Invalid Deployment Unit Update – Downgrade not permitted", Server;
    /// 9031 Invalid Deployment Unit Update – Version not specified (1.2).
    DU_VERSION_NOT_SPECIFIED = 9031, "Invalid Deployment Unit Update – Version not specified", Server;
    /// 9032 Invalid Deployment Unit Update – Version already exists (1.2).
    DU_VERSION_EXISTS = 9032, "Invalid Deployment Unit Update – Version already exists", Server;
    /// 8000 Method not supported (ACS).
    ACS_METHOD_NOT_SUPPORTED = 8000, "Method not supported", Server;
    /// 8001 Request denied (no reason specified) (ACS).
    ACS_REQUEST_DENIED = 8001, "Request denied (no reason specified)", Server;
    /// 8002 Internal error (ACS).
    ACS_INTERNAL_ERROR = 8002, "Internal error", Server;
    /// 8003 Invalid arguments (ACS).
    ACS_INVALID_ARGUMENTS = 8003, "Invalid arguments", Client;
    /// 8004 Resources exceeded (ACS).
    ACS_RESOURCES_EXCEEDED = 8004, "Resources exceeded", Server;
    /// 8005 Retry request: the CPE re-sends the identical request (ACS).
    ACS_RETRY_REQUEST = 8005, "Retry request", Server;
    /// 8006 ACS version incompatible with CPE (1.4).
    ACS_VERSION_INCOMPATIBLE = 8006, "ACS version incompatible with CPE", Server;
}

impl FaultCode {
    /// Wraps any numeric code.
    pub const fn new(code: u32) -> Self {
        FaultCode(code)
    }

    /// The numeric code.
    pub const fn get(self) -> u32 {
        self.0
    }

    /// The range the code falls in.
    pub const fn class(self) -> FaultClass {
        match self.0 {
            9000..=9032 => FaultClass::Cpe,
            9033..=9799 => FaultClass::CpeExtension,
            9800..=9899 => FaultClass::CpeVendor,
            8000..=8006 => FaultClass::Acs,
            8007..=8799 => FaultClass::AcsExtension,
            8800..=8899 => FaultClass::AcsVendor,
            _ => FaultClass::Other,
        }
    }

    /// Whether TR-069 defines this code.
    pub const fn is_defined(self) -> bool {
        self.name().is_some()
    }

    /// Whether a CPE may send this code (defined, extension or vendor CPE range).
    pub const fn is_cpe_code(self) -> bool {
        matches!(
            self.class(),
            FaultClass::Cpe | FaultClass::CpeExtension | FaultClass::CpeVendor
        )
    }

    /// Whether an ACS may send this code (defined, extension or vendor ACS range).
    pub const fn is_acs_code(self) -> bool {
        matches!(
            self.class(),
            FaultClass::Acs | FaultClass::AcsExtension | FaultClass::AcsVendor
        )
    }

    /// The SOAP `faultcode` the code is sent with: the table value for defined codes,
    /// `Server` for every other code.
    pub const fn fault_type(self) -> FaultType {
        match self.defined_type() {
            Some(t) => t,
            None => FaultType::Server,
        }
    }

    /// Whether the code may stand in a TransferComplete or AutonomousTransferComplete
    /// `FaultStruct`: 0, 9001, 9002, 9010–9012, 9014–9020, extension and vendor.
    pub const fn allowed_in_transfer_complete(self) -> bool {
        matches!(self.0, 0 | 9001 | 9002 | 9010 | 9011 | 9012 | 9014..=9020 | 9033..=9899)
    }

    /// Whether the code may stand in a `DeploymentUnitFaultStruct`: 0, 9001,
    /// 9003, 9012, 9013, 9015–9018, 9022–9032, extension and vendor.
    pub const fn allowed_in_du_fault(self) -> bool {
        matches!(
            self.0,
            0 | 9001 | 9003 | 9012 | 9013 | 9015..=9018 | 9022..=9032 | 9033..=9899
        )
    }

    /// Whether the code may stand in a `SetParameterValuesFault` entry: a CPE code.
    pub const fn allowed_in_set_parameter_values_fault(self) -> bool {
        self.is_cpe_code()
    }
}

impl From<u32> for FaultCode {
    fn from(code: u32) -> Self {
        FaultCode(code)
    }
}

impl From<FaultCode> for u32 {
    fn from(code: FaultCode) -> Self {
        code.0
    }
}

impl fmt::Debug for FaultCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(name) => write!(f, "FaultCode({} {name})", self.0),
            None => write!(f, "FaultCode({})", self.0),
        }
    }
}

impl fmt::Display for FaultCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

/// The body of a SOAP Fault carrying a CWMP fault (`soap:Fault/detail/cwmp:Fault`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Fault<'a> {
    /// The SOAP `faultcode`: `Client` or `Server`.
    pub fault_type: FaultType,
    /// The SOAP `faultstring`, conventionally `CWMP fault`.
    pub fault_string: Cow<'a, str>,
    /// The CWMP `FaultCode`.
    pub code: FaultCode,
    /// The CWMP `FaultString` (optional in the schema; empty when absent).
    pub message: Cow<'a, str>,
    /// One entry per failing parameter; used only with SetParameterValues (under 9003).
    pub set_parameter_values_faults: Vec<SetParameterValuesFault<'a>>,
}

/// One failing parameter of a SetParameterValues, inside a [`Fault`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct SetParameterValuesFault<'a> {
    /// The parameter's name as sent in the request.
    pub parameter_name: Cow<'a, str>,
    /// The per-parameter code (9005–9008 usually).
    pub code: FaultCode,
    /// A human-readable explanation (may be empty).
    pub message: Cow<'a, str>,
}

/// The conventional SOAP `faultstring` of a CWMP fault.
pub const CWMP_FAULT_STRING: &str = "CWMP fault";

impl<'a> Fault<'a> {
    /// A fault with the given code, its SOAP fault type, and its TR-069 name as message.
    ///
    /// ```
    /// use cwmp_core::fault::{Fault, FaultCode, FaultType};
    /// let f = Fault::new(FaultCode::METHOD_NOT_SUPPORTED);
    /// assert_eq!(f.fault_type, FaultType::Server);
    /// assert_eq!(f.message, "Method not supported");
    /// ```
    pub fn new(code: FaultCode) -> Self {
        Fault {
            fault_type: code.fault_type(),
            fault_string: Cow::Borrowed(CWMP_FAULT_STRING),
            code,
            message: Cow::Borrowed(code.name().unwrap_or("")),
            set_parameter_values_faults: Vec::new(),
        }
    }

    /// The same fault with another message.
    pub fn with_message(mut self, message: impl Into<Cow<'a, str>>) -> Self {
        self.message = message.into();
        self
    }

    /// A 9003 fault listing one [`SetParameterValuesFault`] per bad parameter, the answer a CPE
    /// gives to a SetParameterValues it refuses.
    pub fn set_parameter_values(faults: Vec<SetParameterValuesFault<'a>>) -> Self {
        let mut fault = Fault::new(FaultCode::INVALID_ARGUMENTS);
        fault.set_parameter_values_faults = faults;
        fault
    }

    /// Converts every borrowed string into an owned one.
    pub fn into_owned(self) -> Fault<'static> {
        Fault {
            fault_type: self.fault_type,
            fault_string: Cow::Owned(self.fault_string.into_owned()),
            code: self.code,
            message: Cow::Owned(self.message.into_owned()),
            set_parameter_values_faults: self
                .set_parameter_values_faults
                .into_iter()
                .map(SetParameterValuesFault::into_owned)
                .collect(),
        }
    }
}

impl<'a> SetParameterValuesFault<'a> {
    /// A parameter fault with the code's TR-069 name as message.
    pub fn new(parameter_name: impl Into<Cow<'a, str>>, code: FaultCode) -> Self {
        SetParameterValuesFault {
            parameter_name: parameter_name.into(),
            code,
            message: Cow::Borrowed(code.name().unwrap_or("")),
        }
    }

    /// Converts every borrowed string into an owned one.
    pub fn into_owned(self) -> SetParameterValuesFault<'static> {
        SetParameterValuesFault {
            parameter_name: Cow::Owned(self.parameter_name.into_owned()),
            code: self.code,
            message: Cow::Owned(self.message.into_owned()),
        }
    }
}

crate::owned::message! {
    /// A SOAP Fault that carries no CWMP fault: no `detail/cwmp:Fault`, only the SOAP
    /// `faultcode` and `faultstring` (as some HTTP stacks and proxies answer), or only text.
    ///
    /// Nothing is invented for what was not sent: there is no CWMP fault code here (compare
    /// [`Fault`], whose code is always a CWMP one). Every part that came is kept, so that the
    /// encoder writes the fault back as it came.
    ///
    /// ```
    /// use cwmp_core::fault::SoapFault;
    /// let f = SoapFault {
    ///     code: Some("Server".into()),
    ///     code_namespace: "http://schemas.xmlsoap.org/soap/envelope/".into(),
    ///     string: Some("Service unavailable".into()),
    ///     ..SoapFault::default()
    /// };
    /// assert_eq!(f.code.as_deref(), Some("Server"));
    /// assert!(f.actor.is_none() && f.text.is_none());
    /// ```
    pub struct SoapFault<'a> {
        /// The `faultcode` without its prefix (`Client`, `Server.Busy` ...), or the whole
        /// trimmed text when it is not a qualified name whose prefix is declared; `None` when
        /// the element is absent.
        pub code: Option<Cow<'a, str>>,
        /// The namespace URI of the `faultcode`'s prefix (empty when it had none).
        pub code_namespace: Cow<'a, str>,
        /// The `faultstring`, when present.
        pub string: Option<Cow<'a, str>>,
        /// The `faultactor`, when present.
        pub actor: Option<Cow<'a, str>>,
        /// Text written directly inside the Fault element (trimmed), when there is any.
        pub text: Option<Cow<'a, str>>,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_defined_code_has_name_and_type_from_the_tables() {
        let table: &[(u32, &str, FaultType)] = &[
            (9000, "Method not supported", FaultType::Server),
            (
                9001,
                "Request denied (no reason specified)",
                FaultType::Server,
            ),
            (9002, "Internal error", FaultType::Server),
            (9003, "Invalid arguments", FaultType::Client),
            (9004, "Resources exceeded", FaultType::Server),
            (9005, "Invalid parameter name", FaultType::Client),
            (9006, "Invalid parameter type", FaultType::Client),
            (9007, "Invalid parameter value", FaultType::Client),
            (
                9008,
                "Attempt to set a non-writable parameter",
                FaultType::Client,
            ),
            (9009, "Notification request rejected", FaultType::Server),
            (9010, "File transfer failure", FaultType::Server),
            (9011, "Upload failure", FaultType::Server),
            (
                9012,
                "File transfer server authentication failure",
                FaultType::Server,
            ),
            (
                9013,
                "Unsupported protocol for file transfer",
                FaultType::Server,
            ),
            (
                9014,
                "File transfer failure: unable to join multicast group",
                FaultType::Server,
            ),
            (
                9015,
                "File transfer failure: unable to contact file server",
                FaultType::Server,
            ),
            (
                9016,
                "File transfer failure: unable to access file",
                FaultType::Server,
            ),
            (
                9017,
                "File transfer failure: unable to complete download",
                FaultType::Server,
            ),
            (
                9018,
                "File transfer failure: file corrupted",
                FaultType::Server,
            ),
            (
                9019,
                "File transfer failure: file authentication failure",
                FaultType::Server,
            ),
            (
                9020,
                "File transfer failure: unable to complete download within specified time windows",
                FaultType::Client,
            ),
            (
                9021,
                "Cancelation of file transfer not permitted in current transfer state",
                FaultType::Client,
            ),
            (9022, "Invalid UUID Format", FaultType::Server),
            (9023, "Unknown Execution Environment", FaultType::Server),
            (9024, "Disabled Execution Environment", FaultType::Server),
            (
                9025,
                "Deployment Unit to Execution Environment Mismatch",
                FaultType::Server,
            ),
            (9026, "Duplicate Deployment Unit", FaultType::Server),
            (9027, "System Resources Exceeded", FaultType::Server),
            (9028, "Unknown Deployment Unit", FaultType::Server),
            (9029, "Invalid Deployment Unit State", FaultType::Server),
            (
                9030,
                "Invalid Deployment Unit Update – Downgrade not permitted",
                FaultType::Server,
            ),
            (
                9031,
                "Invalid Deployment Unit Update – Version not specified",
                FaultType::Server,
            ),
            (
                9032,
                "Invalid Deployment Unit Update – Version already exists",
                FaultType::Server,
            ),
            (8000, "Method not supported", FaultType::Server),
            (
                8001,
                "Request denied (no reason specified)",
                FaultType::Server,
            ),
            (8002, "Internal error", FaultType::Server),
            (8003, "Invalid arguments", FaultType::Client),
            (8004, "Resources exceeded", FaultType::Server),
            (8005, "Retry request", FaultType::Server),
            (8006, "ACS version incompatible with CPE", FaultType::Server),
        ];
        assert_eq!(FaultCode::DEFINED.len(), table.len());
        for &(code, name, ty) in table {
            let c = FaultCode::new(code);
            assert_eq!(c.name(), Some(name), "{code}");
            assert_eq!(c.fault_type(), ty, "{code}");
            assert!(c.is_defined());
        }
    }

    #[test]
    fn ranges_classify_undefined_codes_without_losing_them() {
        assert_eq!(FaultCode::new(9032).class(), FaultClass::Cpe);
        assert_eq!(FaultCode::new(9033).class(), FaultClass::CpeExtension);
        assert_eq!(FaultCode::new(9799).class(), FaultClass::CpeExtension);
        assert_eq!(FaultCode::new(9800).class(), FaultClass::CpeVendor);
        assert_eq!(FaultCode::new(9899).class(), FaultClass::CpeVendor);
        assert_eq!(FaultCode::new(9900).class(), FaultClass::Other);
        assert_eq!(FaultCode::new(8006).class(), FaultClass::Acs);
        assert_eq!(FaultCode::new(8007).class(), FaultClass::AcsExtension);
        assert_eq!(FaultCode::new(8850).class(), FaultClass::AcsVendor);
        assert_eq!(FaultCode::new(0).class(), FaultClass::Other);
        assert_eq!(FaultCode::new(8007).name(), None);
        assert_eq!(FaultCode::new(123_456).get(), 123_456);
        assert_eq!(FaultCode::new(9850).fault_type(), FaultType::Server);
    }

    #[test]
    fn subsets_of_flt_04() {
        assert!(FaultCode::new(0).allowed_in_transfer_complete());
        assert!(FaultCode::new(9010).allowed_in_transfer_complete());
        assert!(!FaultCode::INVALID_PARAMETER_NAME.allowed_in_transfer_complete());
        assert!(!FaultCode::new(9013).allowed_in_transfer_complete());
        assert!(FaultCode::new(9013).allowed_in_du_fault());
        assert!(!FaultCode::new(9010).allowed_in_du_fault());
        assert!(FaultCode::new(9850).allowed_in_du_fault());
        assert!(!FaultCode::new(8005).allowed_in_set_parameter_values_fault());
    }

    #[test]
    fn spv_fault_is_9003_client() {
        let f = Fault::set_parameter_values(vec![SetParameterValuesFault::new(
            "Device.X",
            FaultCode::INVALID_PARAMETER_NAME,
        )]);
        assert_eq!(f.code, FaultCode::INVALID_ARGUMENTS);
        assert_eq!(f.fault_type, FaultType::Client);
        assert_eq!(f.set_parameter_values_faults.len(), 1);
        let owned: Fault<'static> = f.clone().into_owned();
        assert_eq!(owned, f);
    }
}
