//! Model values of every CWMP message, made from bytes: for fuzzing, property tests and
//! benches, ours or a peer's.
//!
//! A [`Generator`] reads its choices from a byte string (a fuzzer's input, a property test's
//! random bytes, a seeded generator's output); the same bytes always give the same value, and
//! when the bytes run out every further choice is the first one. What each message holds
//! follows from the RPC descriptions the decoder and encoder are built from, so a field added to
//! a description is generated, encoded and decoded without another edit.
//!
//! The values are what the encoder can write and the decoder read back unchanged, so that
//! "encode, decode, compare" holds for each of them:
//!
//! 1. Text holds only characters XML 1.0 can carry: no C0 controls other than tab, line feed
//!    and carriage return, no U+FFFE / U+FFFF (the encoder replaces those with U+FFFD).
//! 2. `Header::no_more_requests` is `None`: no CWMP schema declares NoMoreRequests, so the
//!    encoder never writes it. Encode at CWMP 1.4 so that every other header element is written.
//! 3. [`Body::Unknown`] names are XML names that are not a known method, in a non-cwmp namespace
//!    or none; their content is well-formed XML, and they record the default-namespace
//!    declaration they are written with. [`Body::SoapFault`] has a code namespace only with a
//!    code, and text without surrounding whitespace (the decoder trims it).
//! 4. [`ValueType::Other`] names are XML names that are not one of the known xsd types.
//!
//! ```
//! use cwmp_soap::generate::Generator;
//!
//! let bytes: Vec<u8> = (0..4096u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
//! let envelope = Generator::new(&bytes).envelope();
//! let options = cwmp_soap::EncodeOptions::for_version(cwmp_core::CwmpVersion::V1_4);
//! let xml = options.to_vec(&envelope);
//! assert_eq!(cwmp_soap::decode(&xml).unwrap(), envelope);
//! ```

use std::borrow::Cow;

use cwmp_core::datetime::DateTimeText;
use cwmp_core::envelope::{METHODS, NamespaceBinding, UnknownMethod};
use cwmp_core::event::EventCode;
use cwmp_core::fault::{Fault, FaultCode, FaultType, SetParameterValuesFault, SoapFault};
use cwmp_core::filetype::{FileType, Notification, TimeWindowMode};
use cwmp_core::value::{Value, ValueType};
use cwmp_core::{Body, CwmpVersion, Envelope, Header};

use crate::describe::{Base64s, Each, Nested, Omissible, Opt, Plain, Strings, Structs};

/// Makes model values from a byte string (see the [module docs](self)).
#[derive(Debug, Clone)]
pub struct Generator<'b> {
    bytes: &'b [u8],
    pos: usize,
}

/// Text fragments the generator favours: XML specials, whitespace, non-ASCII, CDATA ends,
/// character references, parameter-path pieces.
const POOL: &[&str] = &[
    "a",
    "Z",
    "0",
    "9",
    ".",
    "_",
    "-",
    ":",
    "/",
    "?",
    "=",
    " ",
    "&",
    "<",
    ">",
    "\"",
    "'",
    ";",
    "#",
    "\t",
    "\n",
    "\r",
    "\r\n",
    "é",
    "中",
    "😀",
    "\u{a0}",
    "\u{85}",
    "\u{2028}",
    "]]>",
    "&amp;",
    "<![CDATA[",
    "&#13;",
    "Device.",
    "1",
    "{i}",
];

/// Whether XML 1.0 can carry `c` (restriction 1).
fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{fffe}' && c != '\u{ffff}')
}

impl<'b> Generator<'b> {
    /// A generator taking its choices from `bytes`.
    pub fn new(bytes: &'b [u8]) -> Self {
        Generator { bytes, pos: 0 }
    }

    /// Whether every byte has been used (further choices are all the first one).
    pub fn is_exhausted(&self) -> bool {
        self.pos >= self.bytes.len()
    }

    /// An envelope: a header and any message (see [`Generator::body`]).
    pub fn envelope(&mut self) -> Envelope<'static> {
        Envelope {
            header: self.header(),
            body: self.body(),
        }
    }

    /// Any message: every RPC request and response of CWMP 1.0–1.4, a CWMP Fault, a SOAP
    /// Fault without CWMP detail, or an unknown (vendor) method.
    pub fn body(&mut self) -> Body<'static> {
        match self.below(RPCS + 3) {
            n if n == RPCS => Body::Fault(self.fault()),
            n if n == RPCS + 1 => Body::SoapFault(self.soap_fault()),
            n if n == RPCS + 2 => Body::Unknown(self.unknown()),
            n => rpc(self, n),
        }
    }

    /// An envelope holding the RPC `name` (its element name, e.g. `"Inform"`), or `None` for a
    /// name that is not an RPC of CWMP 1.0–1.4.
    pub fn message(&mut self, name: &str) -> Option<Envelope<'static>> {
        let n = METHODS.iter().position(|m| m.0 == name)?;
        Some(Envelope {
            header: self.header(),
            body: rpc(self, n),
        })
    }

    /// A header (restriction 2).
    pub fn header(&mut self) -> Header<'static> {
        Header {
            id: self.opt_text(),
            hold_requests: self.option(Self::bool),
            no_more_requests: None,
            session_timeout: self.option(Self::u32),
            supported_cwmp_versions: self.option(|g| {
                if g.bool() {
                    Cow::Borrowed("1.0,1.1,1.2,1.3,1.4")
                } else {
                    g.text()
                }
            }),
            use_cwmp_version: self.option(|g| {
                let n = g.below(CwmpVersion::ALL.len());
                CwmpVersion::ALL
                    .get(n)
                    .copied()
                    .unwrap_or(CwmpVersion::V1_0)
            }),
        }
    }

    /// The next byte, or 0 when they are used up.
    pub fn byte(&mut self) -> u8 {
        let b = self.bytes.get(self.pos).copied().unwrap_or(0);
        self.pos = self.pos.saturating_add(1);
        b
    }

    /// A number below `n` (0 for `n` 0 or 1), from one or two bytes.
    pub fn below(&mut self, n: usize) -> usize {
        if n <= 1 {
            return 0;
        }
        let v = if n <= 256 {
            usize::from(self.byte())
        } else {
            usize::from(u16::from_le_bytes([self.byte(), self.byte()]))
        };
        v % n
    }

    /// A boolean.
    pub fn bool(&mut self) -> bool {
        self.byte() & 1 == 1
    }

    /// A `u32`, favouring the bounds.
    pub fn u32(&mut self) -> u32 {
        match self.byte() % 4 {
            0 => 0,
            1 => u32::MAX,
            _ => u32::from_le_bytes([self.byte(), self.byte(), self.byte(), self.byte()]),
        }
    }

    /// An `i32`, favouring the bounds.
    pub fn i32(&mut self) -> i32 {
        match self.byte() % 4 {
            0 => i32::MIN,
            1 => -1,
            _ => i32::from_le_bytes([self.byte(), self.byte(), self.byte(), self.byte()]),
        }
    }

    /// One of `items` (the first when the bytes are used up; the default for an empty
    /// slice).
    pub fn pick<T: Copy + Default>(&mut self, items: &[T]) -> T {
        let n = self.below(items.len());
        items.get(n).copied().unwrap_or_default()
    }

    /// `Some` of a value, or `None`.
    pub fn option<T>(&mut self, f: impl FnOnce(&mut Self) -> T) -> Option<T> {
        if self.bool() { Some(f(self)) } else { None }
    }

    /// Up to four values.
    pub fn vec<T>(&mut self, mut f: impl FnMut(&mut Self) -> T) -> Vec<T> {
        let n = self.below(5);
        (0..n).map(|_| f(self)).collect()
    }

    /// Text of up to twelve pieces, each a fragment the generator favours (XML specials,
    /// whitespace, non-ASCII, CDATA ends, references) or any character XML can carry
    /// (restriction 1).
    pub fn text(&mut self) -> Cow<'static, str> {
        let n = self.below(13);
        let mut s = String::new();
        for _ in 0..n {
            if self.byte() % 4 != 0 {
                s.push_str(self.pick(POOL));
            } else {
                let v = u32::from_le_bytes([self.byte(), self.byte(), self.byte() % 0x11, 0]);
                match char::from_u32(v) {
                    Some(c) if xml_char(c) => s.push(c),
                    _ => s.push('x'),
                }
            }
        }
        Cow::Owned(s)
    }

    /// Optional text.
    pub fn opt_text(&mut self) -> Option<Cow<'static, str>> {
        self.option(Self::text)
    }

    /// An XML NCName (restrictions 3 and 4).
    pub fn ncname(&mut self) -> String {
        const START: &[char] = &['a', 'B', 'x', 'X', '_', 'é', 'Ω'];
        const REST: &[char] = &['a', 'B', 'x', '_', '-', '.', '0', '7', 'é'];
        let mut s = String::new();
        s.push(self.pick(START));
        for _ in 0..self.below(9) {
            s.push(self.pick(REST));
        }
        s
    }

    /// A dateTime: a valid one in one of the forms seen in the field, or any text.
    pub fn datetime(&mut self) -> DateTimeText<'static> {
        const FORMS: &[&str] = &[
            "0001-01-01T00:00:00Z",
            "9999-12-31T23:59:59Z",
            "2024-02-29T12:34:56.789+05:30",
            "2024-02-29T12:34:56",
            "1970-01-01T00:00:00.000000001-12:00",
            "0000-00-00T00:00:00",
        ];
        if self.byte() % 4 != 0 {
            DateTimeText(Cow::Borrowed(self.pick(FORMS)))
        } else {
            DateTimeText(self.text())
        }
    }

    /// A fault code: a defined one or any number.
    pub fn fault_code(&mut self) -> FaultCode {
        const CODES: &[u32] = &[
            8000, 8005, 9000, 9001, 9002, 9003, 9005, 9007, 9010, 9019, 9800, 9899, 0, 1,
        ];
        FaultCode::new(if self.bool() {
            self.pick(CODES)
        } else {
            self.u32()
        })
    }

    /// A parameter value: any type (restriction 4 for other names) with text typical of the
    /// types, or any text.
    pub fn value(&mut self) -> Value<'static> {
        let ty = match self.below(11) {
            0 => ValueType::String,
            1 => ValueType::Int,
            2 => ValueType::UnsignedInt,
            3 => ValueType::Long,
            4 => ValueType::UnsignedLong,
            5 => ValueType::Boolean,
            6 => ValueType::DateTime,
            7 => ValueType::Base64,
            8 => ValueType::HexBinary,
            9 => ValueType::Decimal,
            _ => {
                let name = self.ncname();
                match ValueType::from_xsd_name(&name) {
                    ValueType::Other(_) => ValueType::Other(Cow::Owned(name)),
                    _ => ValueType::String,
                }
            }
        };
        const TEXTS: &[&str] = &[
            "0",
            "-1",
            "4294967295",
            "true",
            "false",
            "1",
            "AAAA",
            "00ff",
            "1.5",
            "2024-01-01T00:00:00Z",
        ];
        let text = if self.bool() {
            Cow::Borrowed(self.pick(TEXTS))
        } else {
            self.text()
        };
        Value { ty, text }
    }

    /// A CWMP Fault, with up to four SetParameterValuesFault entries.
    pub fn fault(&mut self) -> Fault<'static> {
        Fault {
            fault_type: if self.bool() {
                FaultType::Client
            } else {
                FaultType::Server
            },
            fault_string: self.text(),
            code: self.fault_code(),
            message: self.text(),
            set_parameter_values_faults: self.vec(SetParameterValuesFault::generate),
        }
    }

    /// A SOAP Fault without CWMP detail (restriction 3).
    pub fn soap_fault(&mut self) -> SoapFault<'static> {
        let code = self.option(|g| g.pick(&["Client", "Server", "Server.Busy"]));
        // A namespace only with a code: without one nothing carries it.
        let code_namespace = match code {
            Some(_) => self.pick(&["", "http://schemas.xmlsoap.org/soap/envelope/", "urn:x&y"]),
            None => "",
        };
        SoapFault {
            code: code.map(Cow::Borrowed),
            code_namespace: Cow::Borrowed(code_namespace),
            string: self.opt_text(),
            actor: self.opt_text(),
            text: self
                .option(|g| g.pick(&["Internal error", "a & <b>"]))
                .map(Cow::Borrowed),
        }
    }

    /// An unknown (vendor) method with raw content (restriction 3).
    pub fn unknown(&mut self) -> UnknownMethod<'static> {
        let mut name = self.ncname();
        if name == "Fault" || METHODS.iter().any(|m| m.0 == name) {
            name.push_str("_X");
        }
        const NAMESPACES: &[&str] = &[
            "",
            "urn:example-com:vendor",
            "http://example.com/x?a=1&b=<2>",
        ];
        // Arguments as raw content; unprefixed, so in the method's namespace when it has one
        // (declared as the default namespace, which the decoder records).
        const CONTENT: &[&str] = &[
            "",
            "<Arg>1</Arg>",
            "<List><string>a &amp; b</string><string/></List>",
            "<a:B xmlns:a=\"urn:x\" a:c=\"q\">t<![CDATA[<&>]]></a:B>",
        ];
        let namespace = self.pick(NAMESPACES);
        let namespaces = if namespace.is_empty() {
            Vec::new()
        } else {
            vec![NamespaceBinding {
                prefix: Cow::Borrowed(""),
                uri: Cow::Borrowed(namespace),
            }]
        };
        UnknownMethod {
            name: Cow::Owned(name),
            namespace: Cow::Borrowed(namespace),
            prefix: Cow::Borrowed(""),
            namespaces,
            content: Cow::Borrowed(self.pick(CONTENT)),
        }
    }
}

/// A described struct or message made by a [`Generator`].
pub(crate) trait GenStruct<'a>: Sized {
    /// Makes a value, each field with its codec.
    fn generate(g: &mut Generator<'_>) -> Self;
}

/// How a codec makes a field of type `T`.
pub(crate) trait GenField<'a, T> {
    /// Makes a value of the field.
    fn generate(g: &mut Generator<'_>) -> T;
}

/// A leaf value made by a [`Generator`].
pub(crate) trait GenLeaf: Sized {
    /// Makes a value.
    fn leaf(g: &mut Generator<'_>) -> Self;
}

impl GenLeaf for Cow<'_, str> {
    fn leaf(g: &mut Generator<'_>) -> Self {
        g.text()
    }
}

impl GenLeaf for bool {
    fn leaf(g: &mut Generator<'_>) -> Self {
        g.bool()
    }
}

impl GenLeaf for u32 {
    fn leaf(g: &mut Generator<'_>) -> Self {
        g.u32()
    }
}

impl GenLeaf for i32 {
    fn leaf(g: &mut Generator<'_>) -> Self {
        g.i32()
    }
}

impl GenLeaf for DateTimeText<'_> {
    fn leaf(g: &mut Generator<'_>) -> Self {
        g.datetime()
    }
}

impl GenLeaf for FileType<'_> {
    fn leaf(g: &mut Generator<'_>) -> Self {
        const TYPES: &[&str] = &[
            "1 Firmware Upgrade Image",
            "3 Vendor Configuration File",
            "X 00256D Vendor Thing",
            "4 Tone File",
        ];
        FileType(if g.bool() {
            Cow::Borrowed(g.pick(TYPES))
        } else {
            g.text()
        })
    }
}

impl GenLeaf for TimeWindowMode<'_> {
    fn leaf(g: &mut Generator<'_>) -> Self {
        TimeWindowMode(if g.bool() {
            Cow::Borrowed(g.pick(&["1 At Any Time", "2 Immediately", "3 When Idle"]))
        } else {
            g.text()
        })
    }
}

impl GenLeaf for EventCode<'_> {
    fn leaf(g: &mut Generator<'_>) -> Self {
        const CODES: &[&str] = &[
            "0 BOOTSTRAP",
            "1 BOOT",
            "2 PERIODIC",
            "6 CONNECTION REQUEST",
            "M Reboot",
            "X 00256D Thing",
        ];
        EventCode(if g.bool() {
            Cow::Borrowed(g.pick(CODES))
        } else {
            g.text()
        })
    }
}

impl GenLeaf for Notification {
    fn leaf(g: &mut Generator<'_>) -> Self {
        Notification::new(if g.bool() {
            g.pick(&[0, 1, 2, 3, 4, 5, 6])
        } else {
            g.i32()
        })
    }
}

impl GenLeaf for FaultCode {
    fn leaf(g: &mut Generator<'_>) -> Self {
        g.fault_code()
    }
}

impl GenLeaf for Value<'_> {
    fn leaf(g: &mut Generator<'_>) -> Self {
        g.value()
    }
}

impl<'a, T: GenLeaf> GenField<'a, T> for Plain {
    fn generate(g: &mut Generator<'_>) -> T {
        T::leaf(g)
    }
}

/// Made like [`Plain`].
impl<'a, T: GenLeaf> GenField<'a, T> for Omissible {
    fn generate(g: &mut Generator<'_>) -> T {
        <Plain as GenField<'a, T>>::generate(g)
    }
}

impl<'a, T: GenLeaf> GenField<'a, Option<T>> for Opt {
    fn generate(g: &mut Generator<'_>) -> Option<T> {
        g.option(T::leaf)
    }
}

impl<'a, T: GenStruct<'a>> GenField<'a, T> for Nested {
    fn generate(g: &mut Generator<'_>) -> T {
        T::generate(g)
    }
}

impl<'a, T: GenStruct<'a>> GenField<'a, Vec<T>> for Structs {
    fn generate(g: &mut Generator<'_>) -> Vec<T> {
        g.vec(T::generate)
    }
}

impl<'a, T: GenStruct<'a>> GenField<'a, Vec<T>> for Each {
    fn generate(g: &mut Generator<'_>) -> Vec<T> {
        g.vec(T::generate)
    }
}

impl<'a> GenField<'a, Vec<Cow<'a, str>>> for Strings {
    fn generate(g: &mut Generator<'_>) -> Vec<Cow<'a, str>> {
        g.vec(Generator::text)
    }
}

impl<'a> GenField<'a, Vec<Cow<'a, str>>> for Base64s {
    fn generate(g: &mut Generator<'_>) -> Vec<Cow<'a, str>> {
        g.vec(Generator::text)
    }
}

/// The RPCs of `cwmp_core`'s list, by position: `RPCS` of them, and `rpc` making the `n`th.
macro_rules! rpcs {
    ($($(#[$doc:meta])* $variant:ident($ty:ty) = $wire:literal, $since:ident, $side:ident, $response:literal;)*) => {
        /// How many RPCs there are.
        const RPCS: usize = [$($wire),*].len();

        /// Makes the `n`th RPC of the list (`n` below [`RPCS`]; the first beyond).
        fn rpc<'a>(g: &mut Generator<'_>, n: usize) -> Body<'a> {
            #[allow(non_camel_case_types)]
            #[derive(Clone, Copy)]
            enum R { $($variant),* }
            const ORDER: &[R] = &[$(R::$variant),*];
            match ORDER.get(n).copied().unwrap_or(R::GetRpcMethods) {
                $(R::$variant => Body::$variant(GenStruct::generate(g)),)*
            }
        }
    };
}

cwmp_core::with_rpcs!(rpcs);

/// What [`BoolFormat::Digits`](crate::BoolFormat::Digits) does to a model, by design: parameter
/// values of type `xsd:boolean` whose text is a valid boolean are written `1` / `0`. Apply it to
/// the expected value of a round trip encoded with that option.
pub fn booleans_as_digits(envelope: &mut Envelope<'_>) {
    let params = match &mut envelope.body {
        Body::SetParameterValues(m) => &mut m.parameters,
        Body::GetParameterValuesResponse(m) => &mut m.parameters,
        Body::Inform(m) => &mut m.parameters,
        _ => return,
    };
    for p in params {
        if p.value.ty == ValueType::Boolean {
            if let Some(b) = cwmp_core::value::parse_bool(&p.value.text) {
                p.value.text = Cow::Borrowed(if b { "1" } else { "0" });
            }
        }
    }
}
