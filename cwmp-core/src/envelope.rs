//! The envelope: a [`Header`] and a [`Body`] holding exactly one message.

use std::borrow::Cow;

use crate::fault::{Fault, FaultCode, SoapFault};
use crate::header::Header;
use crate::limits::{Validate, Violation};
use crate::rpc::*;
use crate::version::CwmpVersion;

/// Which side a method is called on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Side {
    /// Methods the CPE implements (the ACS calls them).
    Cpe,
    /// Methods the ACS implements (the CPE calls them).
    Acs,
    /// GetRPCMethods, which both sides implement.
    Both,
}

/// A namespace declaration (`xmlns:prefix="uri"`; the prefix is empty for the default
/// namespace).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct NamespaceBinding<'a> {
    /// The prefix (empty: the default namespace).
    pub prefix: Cow<'a, str>,
    /// The namespace URI.
    pub uri: Cow<'a, str>,
}

impl NamespaceBinding<'_> {
    /// Converts every borrowed string into an owned one.
    pub fn into_owned(self) -> NamespaceBinding<'static> {
        NamespaceBinding {
            prefix: Cow::Owned(self.prefix.into_owned()),
            uri: Cow::Owned(self.uri.into_owned()),
        }
    }
}

/// A method this crate does not model (a vendor `X_...` RPC, or a newer one), kept whole: its
/// name and namespace, so that it can be answered with fault 8000 (by an ACS) or 9000 (by a
/// CPE), and its arguments, so that an application can implement it.
///
/// The arguments are the element's content exactly as received (`content`: raw XML, entities
/// and CDATA as they were), with the namespace declarations from outside the element that the
/// element's name, the content's element and attribute names, and the prefixes of its
/// attribute values rely on (`namespaces`; those the encoder always declares, `soap-env`,
/// `soap-enc`, `xsd` and `xsi` bound to their usual URIs, are left out). Written back, the
/// element carries those declarations, so the content means what it meant.
///
/// An application that implements a vendor RPC reads `content` with any XML reader (wrap it
/// in an element that declares `namespaces`), and answers with another `UnknownMethod`, named
/// `<Method>Response` in the same namespace, whose `content` it writes itself; that content
/// must be well-formed XML content (the encoder writes it unchanged, but for characters XML
/// cannot carry).
///
/// ```
/// use cwmp_core::envelope::UnknownMethod;
/// use cwmp_core::{Body, Envelope};
/// let answer = UnknownMethod {
///     name: "X_ACME_FrobnicateResponse".into(),
///     namespace: "urn:dslforum-org:cwmp-1-0".into(),
///     prefix: "cwmp".into(),
///     content: "<Status>0</Status>".into(),
///     ..UnknownMethod::default()
/// };
/// let env = Envelope::request("7", Body::Unknown(answer));
/// assert_eq!(env.body.name(), "X_ACME_FrobnicateResponse");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct UnknownMethod<'a> {
    /// The element's local name, e.g. `X_ACME_Frobnicate`.
    pub name: Cow<'a, str>,
    /// The element's namespace URI (empty when unqualified).
    pub namespace: Cow<'a, str>,
    /// The prefix the element was written with (empty: none).
    pub prefix: Cow<'a, str>,
    /// The namespace declarations from outside the element that it and its content use.
    pub namespaces: Vec<NamespaceBinding<'a>>,
    /// The element's content as raw, well-formed XML (empty for an empty element).
    pub content: Cow<'a, str>,
}

impl UnknownMethod<'_> {
    /// Converts every borrowed string into an owned one.
    pub fn into_owned(self) -> UnknownMethod<'static> {
        UnknownMethod {
            name: Cow::Owned(self.name.into_owned()),
            namespace: Cow::Owned(self.namespace.into_owned()),
            prefix: Cow::Owned(self.prefix.into_owned()),
            namespaces: self
                .namespaces
                .into_iter()
                .map(NamespaceBinding::into_owned)
                .collect(),
            content: Cow::Owned(self.content.into_owned()),
        }
    }
}

macro_rules! bodies {
    ($($(#[$doc:meta])* $variant:ident($ty:ty) = $wire:literal, $since:ident, $side:ident, $response:literal;)*) => {
        /// The message in an envelope's Body: one variant per RPC request and response, the
        /// fault, and unknown methods.
        #[derive(Debug, Clone, PartialEq, Eq)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
        #[non_exhaustive]
        pub enum Body<'a> {
            $($(#[$doc])* $variant($ty),)*
            /// A SOAP Fault carrying a CWMP fault.
            Fault(Fault<'a>),
            /// A SOAP Fault without a CWMP fault in its detail.
            SoapFault(SoapFault<'a>),
            /// A method this crate does not know.
            Unknown(UnknownMethod<'a>),
        }

        /// Every method element name this crate knows, with its version, side, and whether it
        /// is a response.
        pub const METHODS: &[(&str, CwmpVersion, Side, bool)] = &[
            $(($wire, CwmpVersion::$since, Side::$side, $response),)*
        ];

        impl<'a> Body<'a> {
            /// The element's local name (`GetParameterValues`, `InformResponse`, `Fault` (for
            /// both kinds of fault), or
            /// the unknown method's name).
            pub fn name(&self) -> &str {
                match self {
                    $(Body::$variant(_) => $wire,)*
                    Body::Fault(_) | Body::SoapFault(_) => "Fault",
                    Body::Unknown(m) => &m.name,
                }
            }

            /// The version that introduced the method (1.0 for Fault and unknown methods).
            pub fn since(&self) -> CwmpVersion {
                match self {
                    $(Body::$variant(_) => CwmpVersion::$since,)*
                    Body::Fault(_) | Body::SoapFault(_) | Body::Unknown(_) => CwmpVersion::V1_0,
                }
            }

            /// Which side implements the method (for a response: which side sends it).
            pub fn side(&self) -> Option<Side> {
                match self {
                    $(Body::$variant(_) => Some(Side::$side),)*
                    Body::Fault(_) | Body::SoapFault(_) | Body::Unknown(_) => None,
                }
            }

            /// Whether the body is a response (a Fault is not counted as one).
            pub fn is_response(&self) -> bool {
                match self {
                    $(Body::$variant(_) => $response,)*
                    Body::Fault(_) | Body::SoapFault(_) | Body::Unknown(_) => false,
                }
            }

            /// Converts every borrowed string into an owned one.
            pub fn into_owned(self) -> Body<'static> {
                match self {
                    $(Body::$variant(m) => Body::$variant(m.into_owned()),)*
                    Body::Fault(f) => Body::Fault(f.into_owned()),
                    Body::SoapFault(f) => Body::SoapFault(f.into_owned()),
                    Body::Unknown(m) => Body::Unknown(m.into_owned()),
                }
            }
        }

        impl Validate for Body<'_> {
            fn validate(&self, out: &mut Vec<Violation>) {
                match self {
                    $(Body::$variant(m) => m.validate(out),)*
                    Body::Fault(f) => f.validate(out),
                    Body::SoapFault(_) | Body::Unknown(_) => {}
                }
            }
        }

        $(
            impl<'a> From<$ty> for Body<'a> {
                fn from(m: $ty) -> Self {
                    Body::$variant(m)
                }
            }
        )*
    };
}

/// The one list of RPCs: for each, its `Body` variant and message type, its element name, the
/// version that introduced it, the side that implements it, and whether it is a response.
///
/// `with_rpcs!(callback)` invokes `callback! { ... }` with the list, one entry per RPC in the
/// form `Variant(Type) = "ElementName", V1_x, Side, is_response;` (with its doc comment).
/// [`Body`] and [`METHODS`] are built from it here, and a codec builds its dispatch from it, so
/// that an RPC added to the model and not taught to the codec does not compile.
#[macro_export]
macro_rules! with_rpcs {
    ($callback:ident) => {
        $callback! {
                /// `GetRPCMethods`.
                GetRpcMethods(GetRpcMethods) = "GetRPCMethods", V1_0, Both, false;
                /// `GetRPCMethodsResponse`.
                GetRpcMethodsResponse(GetRpcMethodsResponse<'a>) = "GetRPCMethodsResponse", V1_0, Both, true;
                /// `SetParameterValues`.
                SetParameterValues(SetParameterValues<'a>) = "SetParameterValues", V1_0, Cpe, false;
                /// `SetParameterValuesResponse`.
                SetParameterValuesResponse(SetParameterValuesResponse) = "SetParameterValuesResponse", V1_0, Cpe, true;
                /// `GetParameterValues`.
                GetParameterValues(GetParameterValues<'a>) = "GetParameterValues", V1_0, Cpe, false;
                /// `GetParameterValuesResponse`.
                GetParameterValuesResponse(GetParameterValuesResponse<'a>) = "GetParameterValuesResponse", V1_0, Cpe, true;
                /// `GetParameterNames`.
                GetParameterNames(GetParameterNames<'a>) = "GetParameterNames", V1_0, Cpe, false;
                /// `GetParameterNamesResponse`.
                GetParameterNamesResponse(GetParameterNamesResponse<'a>) = "GetParameterNamesResponse", V1_0, Cpe, true;
                /// `SetParameterAttributes`.
                SetParameterAttributes(SetParameterAttributes<'a>) = "SetParameterAttributes", V1_0, Cpe, false;
                /// `SetParameterAttributesResponse`.
                SetParameterAttributesResponse(SetParameterAttributesResponse) = "SetParameterAttributesResponse", V1_0, Cpe, true;
                /// `GetParameterAttributes`.
                GetParameterAttributes(GetParameterAttributes<'a>) = "GetParameterAttributes", V1_0, Cpe, false;
                /// `GetParameterAttributesResponse`.
                GetParameterAttributesResponse(GetParameterAttributesResponse<'a>) = "GetParameterAttributesResponse", V1_0, Cpe, true;
                /// `AddObject`.
                AddObject(AddObject<'a>) = "AddObject", V1_0, Cpe, false;
                /// `AddObjectResponse`.
                AddObjectResponse(AddObjectResponse) = "AddObjectResponse", V1_0, Cpe, true;
                /// `DeleteObject`.
                DeleteObject(DeleteObject<'a>) = "DeleteObject", V1_0, Cpe, false;
                /// `DeleteObjectResponse`.
                DeleteObjectResponse(DeleteObjectResponse) = "DeleteObjectResponse", V1_0, Cpe, true;
                /// `Reboot`.
                Reboot(Reboot<'a>) = "Reboot", V1_0, Cpe, false;
                /// `RebootResponse`.
                RebootResponse(RebootResponse) = "RebootResponse", V1_0, Cpe, true;
                /// `Download`.
                Download(Download<'a>) = "Download", V1_0, Cpe, false;
                /// `DownloadResponse`.
                DownloadResponse(DownloadResponse<'a>) = "DownloadResponse", V1_0, Cpe, true;
                /// `Upload`.
                Upload(Upload<'a>) = "Upload", V1_0, Cpe, false;
                /// `UploadResponse`.
                UploadResponse(UploadResponse<'a>) = "UploadResponse", V1_0, Cpe, true;
                /// `FactoryReset`.
                FactoryReset(FactoryReset) = "FactoryReset", V1_0, Cpe, false;
                /// `FactoryResetResponse`.
                FactoryResetResponse(FactoryResetResponse) = "FactoryResetResponse", V1_0, Cpe, true;
                /// `GetQueuedTransfers`.
                GetQueuedTransfers(GetQueuedTransfers) = "GetQueuedTransfers", V1_0, Cpe, false;
                /// `GetQueuedTransfersResponse`.
                GetQueuedTransfersResponse(GetQueuedTransfersResponse<'a>) = "GetQueuedTransfersResponse", V1_0, Cpe, true;
                /// `GetAllQueuedTransfers`.
                GetAllQueuedTransfers(GetAllQueuedTransfers) = "GetAllQueuedTransfers", V1_1, Cpe, false;
                /// `GetAllQueuedTransfersResponse`.
                GetAllQueuedTransfersResponse(GetAllQueuedTransfersResponse<'a>) = "GetAllQueuedTransfersResponse", V1_1, Cpe, true;
                /// `ScheduleInform`.
                ScheduleInform(ScheduleInform<'a>) = "ScheduleInform", V1_0, Cpe, false;
                /// `ScheduleInformResponse`.
                ScheduleInformResponse(ScheduleInformResponse) = "ScheduleInformResponse", V1_0, Cpe, true;
                /// `SetVouchers`.
                SetVouchers(SetVouchers<'a>) = "SetVouchers", V1_0, Cpe, false;
                /// `SetVouchersResponse`.
                SetVouchersResponse(SetVouchersResponse) = "SetVouchersResponse", V1_0, Cpe, true;
                /// `GetOptions`.
                GetOptions(GetOptions<'a>) = "GetOptions", V1_0, Cpe, false;
                /// `GetOptionsResponse`.
                GetOptionsResponse(GetOptionsResponse<'a>) = "GetOptionsResponse", V1_0, Cpe, true;
                /// `CancelTransfer`.
                CancelTransfer(CancelTransfer<'a>) = "CancelTransfer", V1_2, Cpe, false;
                /// `CancelTransferResponse`.
                CancelTransferResponse(CancelTransferResponse) = "CancelTransferResponse", V1_2, Cpe, true;
                /// `ChangeDUState`.
                ChangeDuState(ChangeDuState<'a>) = "ChangeDUState", V1_2, Cpe, false;
                /// `ChangeDUStateResponse`.
                ChangeDuStateResponse(ChangeDuStateResponse) = "ChangeDUStateResponse", V1_2, Cpe, true;
                /// `ScheduleDownload`.
                ScheduleDownload(ScheduleDownload<'a>) = "ScheduleDownload", V1_2, Cpe, false;
                /// `ScheduleDownloadResponse`.
                ScheduleDownloadResponse(ScheduleDownloadResponse) = "ScheduleDownloadResponse", V1_2, Cpe, true;
                /// `Inform`.
                Inform(Inform<'a>) = "Inform", V1_0, Acs, false;
                /// `InformResponse`.
                InformResponse(InformResponse) = "InformResponse", V1_0, Acs, true;
                /// `TransferComplete`.
                TransferComplete(TransferComplete<'a>) = "TransferComplete", V1_0, Acs, false;
                /// `TransferCompleteResponse`.
                TransferCompleteResponse(TransferCompleteResponse) = "TransferCompleteResponse", V1_0, Acs, true;
                /// `AutonomousTransferComplete`.
                AutonomousTransferComplete(AutonomousTransferComplete<'a>) = "AutonomousTransferComplete", V1_1, Acs, false;
                /// `AutonomousTransferCompleteResponse`.
                AutonomousTransferCompleteResponse(AutonomousTransferCompleteResponse) = "AutonomousTransferCompleteResponse", V1_1, Acs, true;
                /// `RequestDownload`.
                RequestDownload(RequestDownload<'a>) = "RequestDownload", V1_0, Acs, false;
                /// `RequestDownloadResponse`.
                RequestDownloadResponse(RequestDownloadResponse) = "RequestDownloadResponse", V1_0, Acs, true;
                /// `Kicked`.
                Kicked(Kicked<'a>) = "Kicked", V1_0, Acs, false;
                /// `KickedResponse`.
                KickedResponse(KickedResponse<'a>) = "KickedResponse", V1_0, Acs, true;
                /// `DUStateChangeComplete`.
                DuStateChangeComplete(DuStateChangeComplete<'a>) = "DUStateChangeComplete", V1_2, Acs, false;
                /// `DUStateChangeCompleteResponse`.
                DuStateChangeCompleteResponse(DuStateChangeCompleteResponse) = "DUStateChangeCompleteResponse", V1_2, Acs, true;
                /// `AutonomousDUStateChangeComplete`.
                AutonomousDuStateChangeComplete(AutonomousDuStateChangeComplete<'a>) = "AutonomousDUStateChangeComplete", V1_2, Acs, false;
                /// `AutonomousDUStateChangeCompleteResponse`.
                AutonomousDuStateChangeCompleteResponse(AutonomousDuStateChangeCompleteResponse) = "AutonomousDUStateChangeCompleteResponse", V1_2, Acs, true;

        }
    };
}

with_rpcs!(bodies);

impl<'a> From<Fault<'a>> for Body<'a> {
    fn from(f: Fault<'a>) -> Self {
        Body::Fault(f)
    }
}

impl<'a> From<SoapFault<'a>> for Body<'a> {
    fn from(f: SoapFault<'a>) -> Self {
        Body::SoapFault(f)
    }
}

impl Validate for Fault<'_> {
    fn validate(&self, out: &mut Vec<Violation>) {
        for f in &self.set_parameter_values_faults {
            crate::limits::check_len(
                out,
                "ParameterName",
                &f.parameter_name,
                crate::limits::PARAMETER_NAME,
            );
            if !f.code.allowed_in_set_parameter_values_fault() {
                out.push(Violation {
                    field: "SetParameterValuesFault",
                    kind: crate::limits::ViolationKind::FaultCodeNotAllowed(f.code),
                });
            }
        }
    }
}

impl Body<'_> {
    /// Whether the body is a request (not a response, not a fault; unknown methods count as
    /// requests since they must be answered).
    pub fn is_request(&self) -> bool {
        !self.is_response() && !self.is_fault()
    }

    /// The newest version any version-dependent value in the body needs (1.0 when there is
    /// none): Inform event codes ([`EventCode::since`](crate::event::EventCode::since)) and
    /// the notification values of the attribute RPCs
    /// ([`Notification::since`](crate::filetype::Notification::since)). The method itself
    /// is [`Body::since`].
    ///
    /// ```
    /// use cwmp_core::{Body, CwmpVersion, rpc::Inform, event::{EventCode, EventStruct}};
    /// let inform = Inform {
    ///     events: vec![EventStruct::new(EventCode::AUTONOMOUS_TRANSFER_COMPLETE)],
    ///     ..Inform::default()
    /// };
    /// assert_eq!(Body::from(inform).content_since(), CwmpVersion::V1_1);
    /// ```
    pub fn content_since(&self) -> CwmpVersion {
        let notification =
            |n: crate::filetype::Notification| n.since().unwrap_or(CwmpVersion::V1_0);
        let newest = match self {
            Body::Inform(m) => m.events.iter().map(|e| e.code.since()).max(),
            Body::SetParameterAttributes(m) => m
                .parameters
                .iter()
                .filter(|p| p.notification_change)
                .map(|p| notification(p.notification))
                .max(),
            Body::GetParameterAttributesResponse(m) => m
                .parameters
                .iter()
                .map(|p| notification(p.notification))
                .max(),
            _ => None,
        };
        newest.unwrap_or(CwmpVersion::V1_0)
    }

    /// Whether the body is a SOAP Fault, with or without a CWMP fault.
    pub fn is_fault(&self) -> bool {
        matches!(self, Body::Fault(_) | Body::SoapFault(_))
    }

    /// The element name of the response to this request (`<Method>Response`), if it is one.
    pub fn response_name(&self) -> Option<String> {
        self.is_request()
            .then(|| format!("{}Response", self.name()))
    }
}

/// A whole CWMP message: header and body.
///
/// ```
/// use cwmp_core::{Envelope, Body, rpc::GetParameterValues};
/// let env = Envelope::request("1", GetParameterValues::new(["Device.DeviceInfo."]));
/// assert_eq!(env.body.name(), "GetParameterValues");
/// assert_eq!(env.header.id.as_deref(), Some("1"));
/// let fault = env.method_not_supported(cwmp_core::envelope::Side::Cpe);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Envelope<'a> {
    /// The CWMP header elements.
    pub header: Header<'a>,
    /// The message.
    pub body: Body<'a>,
}

impl<'a> Envelope<'a> {
    /// An envelope with the given ID and body.
    pub fn request(id: impl Into<Cow<'a, str>>, body: impl Into<Body<'a>>) -> Self {
        Envelope {
            header: Header::with_id(id),
            body: body.into(),
        }
    }

    /// An envelope answering `request`: same ID.
    pub fn response_to(request: &Envelope<'_>, body: impl Into<Body<'a>>) -> Envelope<'a> {
        let id = request
            .header
            .id
            .as_deref()
            .map(|s| Cow::Owned(s.to_owned()));
        Envelope {
            header: Header {
                id,
                ..Header::default()
            },
            body: body.into(),
        }
    }

    /// The fault that answers a method the receiver does not support: 9000 from a CPE, 8000
    /// from an ACS, echoing the ID.
    pub fn method_not_supported(&self, receiver: Side) -> Envelope<'static> {
        let code = match receiver {
            Side::Acs => FaultCode::ACS_METHOD_NOT_SUPPORTED,
            Side::Cpe | Side::Both => FaultCode::METHOD_NOT_SUPPORTED,
        };
        Envelope::response_to(self, Fault::new(code))
    }

    /// Converts every borrowed string into an owned one.
    pub fn into_owned(self) -> Envelope<'static> {
        Envelope {
            header: self.header.into_owned(),
            body: self.body.into_owned(),
        }
    }
}

impl Validate for Envelope<'_> {
    fn validate(&self, out: &mut Vec<Violation>) {
        self.body.validate(out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_method_is_listed_once_with_its_response() {
        let names: Vec<&str> = METHODS.iter().map(|m| m.0).collect();
        assert_eq!(names.len(), 54);
        for &(name, _, _, response) in METHODS {
            if !response {
                assert!(
                    names.contains(&format!("{name}Response").as_str()),
                    "{name}"
                );
            }
        }
    }

    #[test]
    fn unknown_methods_get_8000_or_9000_with_the_id() {
        let env = Envelope {
            header: Header::with_id("SAGEM_ID_7589"),
            body: Body::Unknown(UnknownMethod {
                name: "X_Foo".into(),
                ..UnknownMethod::default()
            }),
        };
        assert!(env.body.is_request());
        let acs = env.method_not_supported(Side::Acs);
        assert_eq!(acs.header.id.as_deref(), Some("SAGEM_ID_7589"));
        match acs.body {
            Body::Fault(f) => assert_eq!(f.code.get(), 8000),
            other => panic!("{other:?}"),
        }
        match env.method_not_supported(Side::Cpe).body {
            Body::Fault(f) => assert_eq!(f.code.get(), 9000),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn names_and_versions() {
        let b: Body<'_> = ChangeDuState::default().into();
        assert_eq!(b.name(), "ChangeDUState");
        assert_eq!(b.since(), CwmpVersion::V1_2);
        assert_eq!(b.response_name().as_deref(), Some("ChangeDUStateResponse"));
        let r: Body<'_> = InformResponse { max_envelopes: 1 }.into();
        assert!(r.is_response());
        assert_eq!(r.side(), Some(Side::Acs));
    }
}
