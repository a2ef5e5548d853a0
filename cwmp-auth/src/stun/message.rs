//! STUN message framing (RFC 5389, and the classic RFC 3489 form TR-111 names).
//!
//! A message is a 20-byte header (type, length, magic cookie, transaction id) followed by
//! type-length-value attributes padded to four bytes. [`Message::parse`] borrows text and
//! unknown attribute values from the datagram; [`Message::encode`] writes the attributes as
//! they are, and [`Message::encode_with_integrity`] appends MESSAGE-INTEGRITY (and
//! FINGERPRINT) computed over what precedes them.
//!
//! The parser is lenient and lossless: a known attribute whose value is malformed (wrong
//! length, text that is not UTF-8, an unknown address family) is kept as
//! [`Attribute::Other`] with its raw bytes rather than refused, so `parse → encode → parse`
//! gives the same message. Only broken framing is an error.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use hmac::{Hmac, Mac};

use crate::Error;
use crate::util::ct_eq;

type HmacSha1 = Hmac<sha1::Sha1>;

/// The RFC 5389 magic cookie, bytes 4..8 of every RFC 5389 message.
pub const MAGIC_COOKIE: u32 = 0x2112_A442;

/// Length of the STUN header.
pub const HEADER_LEN: usize = 20;

/// Largest message [`Message::parse`] accepts (a STUN message must fit one UDP datagram; the
/// messages of a connection-request binding are under 200 bytes).
pub const MAX_MESSAGE: usize = 2048;

/// Most attributes [`Message::parse`] accepts in one message.
pub const MAX_ATTRIBUTES: usize = 64;

/// The Binding method (RFC 3489, RFC 5389).
pub const BINDING: u16 = 0x0001;

/// The value of CONNECTION-REQUEST-BINDING: the 20 bytes `dslforum.org/TR-111 ` (TR-111
/// Part 2; the trailing space is part of it).
pub const CONNECTION_REQUEST_BINDING_VALUE: &[u8; 20] = b"dslforum.org/TR-111 ";

const FINGERPRINT_XOR: u32 = 0x5354_554E;

/// Attribute type codes.
pub mod attr {
    /// MAPPED-ADDRESS (RFC 3489, RFC 5389).
    pub const MAPPED_ADDRESS: u16 = 0x0001;
    /// USERNAME.
    pub const USERNAME: u16 = 0x0006;
    /// MESSAGE-INTEGRITY (HMAC-SHA1).
    pub const MESSAGE_INTEGRITY: u16 = 0x0008;
    /// ERROR-CODE.
    pub const ERROR_CODE: u16 = 0x0009;
    /// UNKNOWN-ATTRIBUTES.
    pub const UNKNOWN_ATTRIBUTES: u16 = 0x000A;
    /// REALM (RFC 5389 long-term credentials).
    pub const REALM: u16 = 0x0014;
    /// NONCE (RFC 5389 long-term credentials).
    pub const NONCE: u16 = 0x0015;
    /// XOR-MAPPED-ADDRESS (RFC 5389).
    pub const XOR_MAPPED_ADDRESS: u16 = 0x0020;
    /// SOFTWARE.
    pub const SOFTWARE: u16 = 0x8022;
    /// FINGERPRINT (CRC-32 XOR 0x5354554E).
    pub const FINGERPRINT: u16 = 0x8028;
    /// CONNECTION-REQUEST-BINDING (TR-111): marks a Binding Request sent from the
    /// connection-request port.
    pub const CONNECTION_REQUEST_BINDING: u16 = 0xC001;
    /// BINDING-CHANGE (TR-111): the CPE saw its mapped address change.
    pub const BINDING_CHANGE: u16 = 0xC002;
}

/// The class of a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Class {
    /// A request (needs a response).
    Request,
    /// An indication (no response).
    Indication,
    /// A success response.
    SuccessResponse,
    /// An error response (carries ERROR-CODE).
    ErrorResponse,
}

impl Class {
    fn bits(self) -> u16 {
        match self {
            Class::Request => 0x0000,
            Class::Indication => 0x0010,
            Class::SuccessResponse => 0x0100,
            Class::ErrorResponse => 0x0110,
        }
    }

    fn from_type(t: u16) -> Class {
        match t & 0x0110 {
            0x0000 => Class::Request,
            0x0010 => Class::Indication,
            0x0100 => Class::SuccessResponse,
            _ => Class::ErrorResponse,
        }
    }
}

/// A transaction id: 96 bits after the magic cookie (RFC 5389), or the 128 bits of an
/// RFC 3489 message, which has no cookie.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TransactionId {
    /// RFC 5389: the message carries the magic cookie.
    Rfc5389([u8; 12]),
    /// RFC 3489: bytes 4..20 of the header, which are not the magic cookie.
    Rfc3489([u8; 16]),
}

impl TransactionId {
    /// Bytes 4..20 of the header.
    pub fn header_bytes(&self) -> [u8; 16] {
        match self {
            TransactionId::Rfc3489(b) => *b,
            TransactionId::Rfc5389(t) => {
                let mut out = [0u8; 16];
                let (cookie, rest) = out.split_at_mut(4);
                cookie.copy_from_slice(&MAGIC_COOKIE.to_be_bytes());
                rest.copy_from_slice(t);
                out
            }
        }
    }

    fn from_header_bytes(b: [u8; 16]) -> TransactionId {
        let (cookie, rest) = b.split_at(4);
        match (<[u8; 4]>::try_from(cookie), <[u8; 12]>::try_from(rest)) {
            (Ok(c), Ok(t)) if u32::from_be_bytes(c) == MAGIC_COOKIE => TransactionId::Rfc5389(t),
            _ => TransactionId::Rfc3489(b),
        }
    }
}

/// One attribute. Text is borrowed from the datagram.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Attribute<'a> {
    /// MAPPED-ADDRESS: the source address the server saw (plain).
    MappedAddress(SocketAddr),
    /// XOR-MAPPED-ADDRESS: the same, obfuscated on the wire against rewriting NATs.
    XorMappedAddress(SocketAddr),
    /// USERNAME.
    Username(&'a str),
    /// REALM.
    Realm(&'a str),
    /// NONCE.
    Nonce(&'a str),
    /// SOFTWARE.
    Software(&'a str),
    /// ERROR-CODE: `code` is class × 100 + number (300..=699).
    ErrorCode {
        /// The error code, e.g. 401.
        code: u16,
        /// The reason phrase.
        reason: &'a str,
    },
    /// UNKNOWN-ATTRIBUTES: the types the server did not understand.
    UnknownAttributes(Vec<u16>),
    /// MESSAGE-INTEGRITY as found (see [`verify_integrity`] to check it).
    MessageIntegrity([u8; 20]),
    /// FINGERPRINT as found (see [`verify_fingerprint`] to check it).
    Fingerprint(u32),
    /// CONNECTION-REQUEST-BINDING with its fixed value.
    ConnectionRequestBinding,
    /// BINDING-CHANGE (empty).
    BindingChange,
    /// Any other attribute, or a known one whose value is malformed, with its raw value.
    Other {
        /// The attribute type.
        kind: u16,
        /// The value, without padding.
        value: &'a [u8],
    },
}

impl Attribute<'_> {
    /// The attribute type code.
    pub fn kind(&self) -> u16 {
        match self {
            Attribute::MappedAddress(_) => attr::MAPPED_ADDRESS,
            Attribute::XorMappedAddress(_) => attr::XOR_MAPPED_ADDRESS,
            Attribute::Username(_) => attr::USERNAME,
            Attribute::Realm(_) => attr::REALM,
            Attribute::Nonce(_) => attr::NONCE,
            Attribute::Software(_) => attr::SOFTWARE,
            Attribute::ErrorCode { .. } => attr::ERROR_CODE,
            Attribute::UnknownAttributes(_) => attr::UNKNOWN_ATTRIBUTES,
            Attribute::MessageIntegrity(_) => attr::MESSAGE_INTEGRITY,
            Attribute::Fingerprint(_) => attr::FINGERPRINT,
            Attribute::ConnectionRequestBinding => attr::CONNECTION_REQUEST_BINDING,
            Attribute::BindingChange => attr::BINDING_CHANGE,
            Attribute::Other { kind, .. } => *kind,
        }
    }
}

/// A STUN message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message<'a> {
    /// Request, indication, success or error response.
    pub class: Class,
    /// The method (12 bits); [`BINDING`] for everything TR-111 uses.
    pub method: u16,
    /// The transaction id.
    pub transaction_id: TransactionId,
    /// The attributes in wire order.
    pub attributes: Vec<Attribute<'a>>,
}

fn err(offset: usize, reason: &'static str) -> Error {
    Error::Stun { offset, reason }
}

fn be16(b: &[u8], at: usize) -> Option<u16> {
    let s = b.get(at..at.checked_add(2)?)?;
    Some(u16::from_be_bytes(<[u8; 2]>::try_from(s).ok()?))
}

fn pad4(n: usize) -> usize {
    (n + 3) & !3
}

/// Whether `datagram` looks like a STUN message (first two bits zero, length field matching
/// the datagram, a multiple of four): how a socket shared with the UDP connection request
/// tells the two apart (a connection request starts with `G`, `0x47`).
pub fn is_stun(datagram: &[u8]) -> bool {
    match (datagram.first(), be16(datagram, 2)) {
        (Some(first), Some(len)) => {
            first & 0xC0 == 0
                && datagram.len() >= HEADER_LEN
                && usize::from(len) + HEADER_LEN == datagram.len()
                && len % 4 == 0
        }
        _ => false,
    }
}

/// Raw attributes of a framed message: (offset of the attribute header, type, value).
struct RawAttributes<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Iterator for RawAttributes<'a> {
    type Item = Result<(usize, u16, &'a [u8]), Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.at >= self.bytes.len() {
            return None;
        }
        let at = self.at;
        let (Some(kind), Some(len)) = (be16(self.bytes, at), be16(self.bytes, at + 2)) else {
            self.at = self.bytes.len();
            return Some(Err(err(at, "truncated attribute header")));
        };
        let start = at + 4;
        let end = start + usize::from(len);
        let Some(value) = self.bytes.get(start..end) else {
            self.at = self.bytes.len();
            return Some(Err(err(at, "attribute value runs past the message")));
        };
        let next = start + pad4(usize::from(len));
        if next > self.bytes.len() {
            self.at = self.bytes.len();
            return Some(Err(err(at, "attribute padding runs past the message")));
        }
        self.at = next;
        Some(Ok((at, kind, value)))
    }
}

/// Checks the header and returns the attribute walker.
fn frame(datagram: &[u8]) -> Result<(u16, TransactionId, RawAttributes<'_>), Error> {
    if datagram.len() > MAX_MESSAGE {
        return Err(err(0, "message longer than the limit"));
    }
    let (Some(msg_type), Some(len)) = (be16(datagram, 0), be16(datagram, 2)) else {
        return Err(err(0, "shorter than the 20-byte header"));
    };
    let header = datagram
        .get(4..HEADER_LEN)
        .and_then(|s| <[u8; 16]>::try_from(s).ok())
        .ok_or_else(|| err(0, "shorter than the 20-byte header"))?;
    if msg_type & 0xC000 != 0 {
        return Err(err(0, "first two bits are not zero"));
    }
    if usize::from(len) + HEADER_LEN != datagram.len() {
        return Err(err(2, "length field does not match the datagram"));
    }
    if len % 4 != 0 {
        return Err(err(2, "length is not a multiple of four"));
    }
    Ok((
        msg_type,
        TransactionId::from_header_bytes(header),
        RawAttributes {
            bytes: datagram,
            at: HEADER_LEN,
        },
    ))
}

fn xor_key(tid: &TransactionId) -> [u8; 16] {
    tid.header_bytes()
}

fn parse_address(value: &[u8], xor: Option<&[u8; 16]>) -> Option<SocketAddr> {
    let family = *value.get(1)?;
    let mut port = be16(value, 2)?;
    let cookie = MAGIC_COOKIE.to_be_bytes();
    if xor.is_some() {
        port ^= (MAGIC_COOKIE >> 16) as u16;
    }
    match (family, value.len()) {
        (0x01, 8) => {
            let mut ip = <[u8; 4]>::try_from(value.get(4..8)?).ok()?;
            if xor.is_some() {
                for (b, k) in ip.iter_mut().zip(cookie) {
                    *b ^= k;
                }
            }
            Some(SocketAddr::new(IpAddr::V4(Ipv4Addr::from(ip)), port))
        }
        (0x02, 20) => {
            let mut ip = <[u8; 16]>::try_from(value.get(4..20)?).ok()?;
            if let Some(key) = xor {
                for (b, k) in ip.iter_mut().zip(key) {
                    *b ^= k;
                }
            }
            Some(SocketAddr::new(IpAddr::V6(Ipv6Addr::from(ip)), port))
        }
        _ => None,
    }
}

fn write_address(out: &mut Vec<u8>, addr: &SocketAddr, xor: Option<&[u8; 16]>) {
    let mut port = addr.port();
    if xor.is_some() {
        port ^= (MAGIC_COOKIE >> 16) as u16;
    }
    match addr.ip() {
        IpAddr::V4(ip) => {
            out.extend_from_slice(&[0, 0x01]);
            out.extend_from_slice(&port.to_be_bytes());
            let mut b = ip.octets();
            if xor.is_some() {
                for (x, k) in b.iter_mut().zip(MAGIC_COOKIE.to_be_bytes()) {
                    *x ^= k;
                }
            }
            out.extend_from_slice(&b);
        }
        IpAddr::V6(ip) => {
            out.extend_from_slice(&[0, 0x02]);
            out.extend_from_slice(&port.to_be_bytes());
            let mut b = ip.octets();
            if let Some(key) = xor {
                for (x, k) in b.iter_mut().zip(key) {
                    *x ^= k;
                }
            }
            out.extend_from_slice(&b);
        }
    }
}

fn parse_attribute<'a>(kind: u16, value: &'a [u8], key: &[u8; 16]) -> Attribute<'a> {
    let text = || std::str::from_utf8(value).ok();
    let typed = match kind {
        attr::MAPPED_ADDRESS => parse_address(value, None).map(Attribute::MappedAddress),
        attr::XOR_MAPPED_ADDRESS => {
            parse_address(value, Some(key)).map(Attribute::XorMappedAddress)
        }
        attr::USERNAME => text().map(Attribute::Username),
        attr::REALM => text().map(Attribute::Realm),
        attr::NONCE => text().map(Attribute::Nonce),
        attr::SOFTWARE => text().map(Attribute::Software),
        attr::ERROR_CODE => match (value.get(2), value.get(3), value.get(4..)) {
            (Some(class), Some(number), Some(reason)) => {
                let class = u16::from(class & 0x07);
                let number = u16::from(*number);
                let reason = std::str::from_utf8(reason).ok();
                match reason {
                    Some(reason) if (3..=6).contains(&class) && number < 100 => {
                        Some(Attribute::ErrorCode {
                            code: class * 100 + number,
                            reason,
                        })
                    }
                    _ => None,
                }
            }
            _ => None,
        },
        attr::UNKNOWN_ATTRIBUTES if value.len() % 2 == 0 => Some(Attribute::UnknownAttributes(
            value
                .chunks_exact(2)
                .map(|c| {
                    u16::from_be_bytes([
                        c.first().copied().unwrap_or(0),
                        c.get(1).copied().unwrap_or(0),
                    ])
                })
                .collect(),
        )),
        attr::MESSAGE_INTEGRITY => <[u8; 20]>::try_from(value)
            .ok()
            .map(Attribute::MessageIntegrity),
        attr::FINGERPRINT => <[u8; 4]>::try_from(value)
            .ok()
            .map(|b| Attribute::Fingerprint(u32::from_be_bytes(b))),
        attr::CONNECTION_REQUEST_BINDING if value == CONNECTION_REQUEST_BINDING_VALUE => {
            Some(Attribute::ConnectionRequestBinding)
        }
        attr::BINDING_CHANGE if value.is_empty() => Some(Attribute::BindingChange),
        _ => None,
    };
    typed.unwrap_or(Attribute::Other { kind, value })
}

impl<'a> Message<'a> {
    /// A Binding Request with a new RFC 5389 transaction id and no attributes.
    pub fn binding_request(transaction_id: [u8; 12]) -> Message<'a> {
        Message {
            class: Class::Request,
            method: BINDING,
            transaction_id: TransactionId::Rfc5389(transaction_id),
            attributes: Vec::new(),
        }
    }

    /// Parses one datagram.
    ///
    /// Errors ([`Error::Stun`], with the byte offset) only for broken framing: shorter than
    /// the header, first two bits set, a length field that disagrees with the datagram or is
    /// not a multiple of four, an attribute running past the end, more than
    /// [`MAX_ATTRIBUTES`] attributes, or a datagram over [`MAX_MESSAGE`] bytes.
    pub fn parse(datagram: &'a [u8]) -> Result<Message<'a>, Error> {
        let (msg_type, transaction_id, raw) = frame(datagram)?;
        let key = xor_key(&transaction_id);
        let mut attributes = Vec::new();
        for item in raw {
            let (at, kind, value) = item?;
            if attributes.len() == MAX_ATTRIBUTES {
                return Err(err(at, "more attributes than the limit"));
            }
            attributes.push(parse_attribute(kind, value, &key));
        }
        Ok(Message {
            class: Class::from_type(msg_type),
            method: method_from_type(msg_type),
            transaction_id,
            attributes,
        })
    }

    /// The message type field: method bits interleaved with the class bits.
    pub fn message_type(&self) -> u16 {
        let m = self.method & 0x0FFF;
        (m & 0x000F) | ((m & 0x0070) << 1) | ((m & 0x0F80) << 2) | self.class.bits()
    }

    /// The first attribute of type `kind`.
    pub fn attribute(&self, kind: u16) -> Option<&Attribute<'a>> {
        self.attributes.iter().find(|a| a.kind() == kind)
    }

    /// The mapped address: XOR-MAPPED-ADDRESS when present, else MAPPED-ADDRESS.
    pub fn mapped_address(&self) -> Option<SocketAddr> {
        let xor = self.attributes.iter().find_map(|a| match a {
            Attribute::XorMappedAddress(addr) => Some(*addr),
            _ => None,
        });
        xor.or_else(|| {
            self.attributes.iter().find_map(|a| match a {
                Attribute::MappedAddress(addr) => Some(*addr),
                _ => None,
            })
        })
    }

    /// The ERROR-CODE of an error response.
    pub fn error_code(&self) -> Option<(u16, &'a str)> {
        self.attributes.iter().find_map(|a| match a {
            Attribute::ErrorCode { code, reason } => Some((*code, *reason)),
            _ => None,
        })
    }

    /// Writes the message with its attributes exactly as they are.
    ///
    /// Fails with [`Error::Stun`] when an attribute value or the whole message is too long
    /// for the 16-bit length fields or over [`MAX_MESSAGE`].
    pub fn encode(&self, out: &mut Vec<u8>) -> Result<(), Error> {
        let start = out.len();
        self.encode_header_and_attributes(out, false)?;
        finish_length(out, start, 0)
    }

    /// Writes the message followed by MESSAGE-INTEGRITY computed with `key` (see
    /// [`short_term_key`] and [`long_term_key`]) and, when `fingerprint` is set, FINGERPRINT.
    /// MESSAGE-INTEGRITY and FINGERPRINT attributes already in the list are not written: the
    /// computed ones replace them.
    pub fn encode_with_integrity(
        &self,
        key: &[u8],
        fingerprint: bool,
        out: &mut Vec<u8>,
    ) -> Result<(), Error> {
        let start = out.len();
        self.encode_header_and_attributes(out, true)?;
        // The length covers the MESSAGE-INTEGRITY attribute while the HMAC is computed.
        finish_length(out, start, 24)?;
        let mac = hmac_sha1(key, out.get(start..).unwrap_or_default());
        out.extend_from_slice(&attr::MESSAGE_INTEGRITY.to_be_bytes());
        out.extend_from_slice(&20u16.to_be_bytes());
        out.extend_from_slice(&mac);
        if fingerprint {
            finish_length(out, start, 8)?;
            let crc = crc32(out.get(start..).unwrap_or_default()) ^ FINGERPRINT_XOR;
            out.extend_from_slice(&attr::FINGERPRINT.to_be_bytes());
            out.extend_from_slice(&4u16.to_be_bytes());
            out.extend_from_slice(&crc.to_be_bytes());
        }
        finish_length(out, start, 0)
    }

    fn encode_header_and_attributes(
        &self,
        out: &mut Vec<u8>,
        skip_integrity: bool,
    ) -> Result<(), Error> {
        out.extend_from_slice(&self.message_type().to_be_bytes());
        out.extend_from_slice(&[0, 0]);
        out.extend_from_slice(&self.transaction_id.header_bytes());
        let key = xor_key(&self.transaction_id);
        for a in &self.attributes {
            if skip_integrity && matches!(a.kind(), attr::MESSAGE_INTEGRITY | attr::FINGERPRINT) {
                continue;
            }
            let at = out.len();
            out.extend_from_slice(&a.kind().to_be_bytes());
            out.extend_from_slice(&[0, 0]);
            match a {
                Attribute::MappedAddress(addr) => write_address(out, addr, None),
                Attribute::XorMappedAddress(addr) => write_address(out, addr, Some(&key)),
                Attribute::Username(s)
                | Attribute::Realm(s)
                | Attribute::Nonce(s)
                | Attribute::Software(s) => out.extend_from_slice(s.as_bytes()),
                Attribute::ErrorCode { code, reason } => {
                    if !(300..700).contains(code) {
                        return Err(err(at, "error code outside 300..=699"));
                    }
                    // Both fit a byte: class 3..=6, number 0..=99.
                    let class = u8::try_from(code / 100).unwrap_or(0);
                    let number = u8::try_from(code % 100).unwrap_or(0);
                    out.extend_from_slice(&[0, 0, class, number]);
                    out.extend_from_slice(reason.as_bytes());
                }
                Attribute::UnknownAttributes(kinds) => {
                    for k in kinds {
                        out.extend_from_slice(&k.to_be_bytes());
                    }
                }
                Attribute::MessageIntegrity(mac) => out.extend_from_slice(mac),
                Attribute::Fingerprint(crc) => out.extend_from_slice(&crc.to_be_bytes()),
                Attribute::ConnectionRequestBinding => {
                    out.extend_from_slice(CONNECTION_REQUEST_BINDING_VALUE);
                }
                Attribute::BindingChange => {}
                Attribute::Other { value, .. } => out.extend_from_slice(value),
            }
            let len = u16::try_from(out.len() - at - 4)
                .map_err(|_| err(at, "attribute value longer than 65535 bytes"))?;
            if let Some(slot) = out.get_mut(at + 2..at + 4) {
                slot.copy_from_slice(&len.to_be_bytes());
            }
            while out.len() % 4 != 0 {
                out.push(0);
            }
            if out.len() > MAX_MESSAGE + at {
                return Err(err(at, "message longer than the limit"));
            }
        }
        Ok(())
    }
}

fn method_from_type(t: u16) -> u16 {
    (t & 0x000F) | ((t & 0x00E0) >> 1) | ((t & 0x3E00) >> 2)
}

/// Writes the length field of the message starting at `start`, counting `extra` bytes that
/// are not written yet.
fn finish_length(out: &mut [u8], start: usize, extra: usize) -> Result<(), Error> {
    let body = out.len() - start - HEADER_LEN + extra;
    if body + HEADER_LEN > MAX_MESSAGE {
        return Err(err(0, "message longer than the limit"));
    }
    let len = u16::try_from(body).map_err(|_| err(0, "message longer than the limit"))?;
    if let Some(slot) = out.get_mut(start + 2..start + 4) {
        slot.copy_from_slice(&len.to_be_bytes());
    }
    Ok(())
}

fn hmac_sha1(key: &[u8], data: &[u8]) -> [u8; 20] {
    match HmacSha1::new_from_slice(key) {
        Ok(mut m) => {
            m.update(data);
            m.finalize().into_bytes().into()
        }
        // HMAC takes keys of any length.
        Err(_) => [0; 20],
    }
}

/// CRC-32 (ISO-HDLC, the one of zlib and Ethernet), bit by bit: messages are tiny.
fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for b in data {
        crc ^= u32::from(*b);
        for _ in 0..8 {
            let mask = (crc & 1).wrapping_neg();
            crc = (crc >> 1) ^ (0xEDB8_8320 & mask);
        }
    }
    !crc
}

/// The short-term credential key: the password itself (RFC 5389 §15.4; SASLprep is not
/// applied, so use ASCII passwords).
pub fn short_term_key(password: &str) -> Vec<u8> {
    password.as_bytes().to_vec()
}

/// The long-term credential key: `MD5(username ":" realm ":" password)` (RFC 5389 §15.4).
pub fn long_term_key(username: &str, realm: &str, password: &str) -> [u8; 16] {
    use md5::Digest;
    let mut h = md5::Md5::new();
    h.update(username.as_bytes());
    h.update(b":");
    h.update(realm.as_bytes());
    h.update(b":");
    h.update(password.as_bytes());
    h.finalize().into()
}

/// What [`verify_integrity`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Integrity {
    /// The message has no MESSAGE-INTEGRITY.
    Absent,
    /// MESSAGE-INTEGRITY matches the key.
    Valid,
    /// MESSAGE-INTEGRITY does not match (or is malformed).
    Invalid,
}

/// Checks the MESSAGE-INTEGRITY of a received datagram with `key` (RFC 5389 §15.4: HMAC-SHA1
/// over the message up to the attribute, the length field counting up to its end). Compared
/// in constant time.
pub fn verify_integrity(datagram: &[u8], key: &[u8]) -> Result<Integrity, Error> {
    let (_, _, raw) = frame(datagram)?;
    for item in raw {
        let (at, kind, value) = item?;
        if kind != attr::MESSAGE_INTEGRITY {
            continue;
        }
        let Ok(mac) = <[u8; 20]>::try_from(value) else {
            return Ok(Integrity::Invalid);
        };
        let mut text = datagram.get(..at).unwrap_or_default().to_vec();
        let len = u16::try_from(at + 24 - HEADER_LEN).unwrap_or(u16::MAX);
        if let Some(slot) = text.get_mut(2..4) {
            slot.copy_from_slice(&len.to_be_bytes());
        }
        let expected = hmac_sha1(key, &text);
        return Ok(if ct_eq(&expected, &mac) {
            Integrity::Valid
        } else {
            Integrity::Invalid
        });
    }
    Ok(Integrity::Absent)
}

/// Checks the FINGERPRINT of a received datagram: `None` when it has none (or a malformed
/// one), else whether the CRC matches.
pub fn verify_fingerprint(datagram: &[u8]) -> Result<Option<bool>, Error> {
    let (_, _, raw) = frame(datagram)?;
    for item in raw {
        let (at, kind, value) = item?;
        if kind != attr::FINGERPRINT {
            continue;
        }
        let Ok(b) = <[u8; 4]>::try_from(value) else {
            return Ok(None);
        };
        let mut text = datagram.get(..at).unwrap_or_default().to_vec();
        let len = u16::try_from(at + 8 - HEADER_LEN).unwrap_or(u16::MAX);
        if let Some(slot) = text.get_mut(2..4) {
            slot.copy_from_slice(&len.to_be_bytes());
        }
        return Ok(Some(
            crc32(&text) ^ FINGERPRINT_XOR == u32::from_be_bytes(b),
        ));
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 5769 §2.1 sample request (software "STUN test client", short-term password
    /// "VOkJxbRl1RmTxUk/WvJxBt", username "evtj:h6vY").
    const RFC5769_REQUEST: &[u8] = &[
        0x00, 0x01, 0x00, 0x58, 0x21, 0x12, 0xa4, 0x42, 0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6,
        0x86, 0xfa, 0x87, 0xdf, 0xae, 0x80, 0x22, 0x00, 0x10, 0x53, 0x54, 0x55, 0x4e, 0x20, 0x74,
        0x65, 0x73, 0x74, 0x20, 0x63, 0x6c, 0x69, 0x65, 0x6e, 0x74, 0x00, 0x24, 0x00, 0x04, 0x6e,
        0x00, 0x01, 0xff, 0x80, 0x29, 0x00, 0x08, 0x93, 0x2f, 0xf9, 0xb1, 0x51, 0x26, 0x3b, 0x36,
        0x00, 0x06, 0x00, 0x09, 0x65, 0x76, 0x74, 0x6a, 0x3a, 0x68, 0x36, 0x76, 0x59, 0x20, 0x20,
        0x20, 0x00, 0x08, 0x00, 0x14, 0x9a, 0xea, 0xa7, 0x0c, 0xbf, 0xd8, 0xcb, 0x56, 0x78, 0x1e,
        0xf2, 0xb5, 0xb2, 0xd3, 0xf2, 0x49, 0xc1, 0xb5, 0x71, 0xa2, 0x80, 0x28, 0x00, 0x04, 0xe5,
        0x7a, 0x3b, 0xcf,
    ];

    /// RFC 5769 §2.2 sample IPv4 response: XOR-MAPPED-ADDRESS 192.0.2.1:32853.
    const RFC5769_RESPONSE_V4: &[u8] = &[
        0x01, 0x01, 0x00, 0x3c, 0x21, 0x12, 0xa4, 0x42, 0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6,
        0x86, 0xfa, 0x87, 0xdf, 0xae, 0x80, 0x22, 0x00, 0x0b, 0x74, 0x65, 0x73, 0x74, 0x20, 0x76,
        0x65, 0x63, 0x74, 0x6f, 0x72, 0x20, 0x00, 0x20, 0x00, 0x08, 0x00, 0x01, 0xa1, 0x47, 0xe1,
        0x12, 0xa6, 0x43, 0x00, 0x08, 0x00, 0x14, 0x2b, 0x91, 0xf5, 0x99, 0xfd, 0x9e, 0x90, 0xc3,
        0x8c, 0x74, 0x89, 0xf9, 0x2a, 0xf9, 0xba, 0x53, 0xf0, 0x6b, 0xe7, 0xd7, 0x80, 0x28, 0x00,
        0x04, 0xc0, 0x7d, 0x4c, 0x96,
    ];

    /// RFC 5769 §2.3 sample IPv6 response: XOR-MAPPED-ADDRESS [2001:db8:1234:5678:11:2233:4455:6677]:32853.
    const RFC5769_RESPONSE_V6: &[u8] = &[
        0x01, 0x01, 0x00, 0x48, 0x21, 0x12, 0xa4, 0x42, 0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6,
        0x86, 0xfa, 0x87, 0xdf, 0xae, 0x80, 0x22, 0x00, 0x0b, 0x74, 0x65, 0x73, 0x74, 0x20, 0x76,
        0x65, 0x63, 0x74, 0x6f, 0x72, 0x20, 0x00, 0x20, 0x00, 0x14, 0x00, 0x02, 0xa1, 0x47, 0x01,
        0x13, 0xa9, 0xfa, 0xa5, 0xd3, 0xf1, 0x79, 0xbc, 0x25, 0xf4, 0xb5, 0xbe, 0xd2, 0xb9, 0xd9,
        0x00, 0x08, 0x00, 0x14, 0xa3, 0x82, 0x95, 0x4e, 0x4b, 0xe6, 0x7b, 0xf1, 0x17, 0x84, 0xc9,
        0x7c, 0x82, 0x92, 0xc2, 0x75, 0xbf, 0xe3, 0xed, 0x41, 0x80, 0x28, 0x00, 0x04, 0xc8, 0xfb,
        0x0b, 0x4c,
    ];

    const RFC5769_PASSWORD: &str = "VOkJxbRl1RmTxUk/WvJxBt";

    #[test]
    fn rfc5769_request_vector() {
        let m = Message::parse(RFC5769_REQUEST).unwrap();
        assert_eq!(m.class, Class::Request);
        assert_eq!(m.method, BINDING);
        assert_eq!(
            m.transaction_id,
            TransactionId::Rfc5389([
                0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae
            ])
        );
        assert_eq!(
            m.attributes.first(),
            Some(&Attribute::Software("STUN test client"))
        );
        // Username "evtj:h6vY" padded with spaces to 4-byte alignment by the RFC's sample.
        assert!(m.attributes.contains(&Attribute::Username("evtj:h6vY")));
        assert_eq!(
            verify_integrity(RFC5769_REQUEST, &short_term_key(RFC5769_PASSWORD)).unwrap(),
            Integrity::Valid
        );
        assert_eq!(
            verify_integrity(RFC5769_REQUEST, b"wrong").unwrap(),
            Integrity::Invalid
        );
        assert_eq!(verify_fingerprint(RFC5769_REQUEST).unwrap(), Some(true));
    }

    #[test]
    fn rfc5769_responses_vectors() {
        let m = Message::parse(RFC5769_RESPONSE_V4).unwrap();
        assert_eq!(m.class, Class::SuccessResponse);
        assert_eq!(m.mapped_address(), Some("192.0.2.1:32853".parse().unwrap()));
        assert_eq!(
            verify_integrity(RFC5769_RESPONSE_V4, &short_term_key(RFC5769_PASSWORD)).unwrap(),
            Integrity::Valid
        );
        assert_eq!(verify_fingerprint(RFC5769_RESPONSE_V4).unwrap(), Some(true));

        let m = Message::parse(RFC5769_RESPONSE_V6).unwrap();
        assert_eq!(
            m.mapped_address(),
            Some(
                "[2001:db8:1234:5678:11:2233:4455:6677]:32853"
                    .parse()
                    .unwrap()
            )
        );
        assert_eq!(
            verify_integrity(RFC5769_RESPONSE_V6, &short_term_key(RFC5769_PASSWORD)).unwrap(),
            Integrity::Valid
        );
        assert_eq!(verify_fingerprint(RFC5769_RESPONSE_V6).unwrap(), Some(true));
    }

    #[test]
    fn our_integrity_and_fingerprint_verify() {
        // Rebuild the RFC 5769 request from its model and let the encoder compute
        // MESSAGE-INTEGRITY and FINGERPRINT; the checks that accept the RFC's own bytes must
        // accept ours, and refuse them once a byte is changed.
        let mut m = Message::parse(RFC5769_REQUEST).unwrap();
        m.attributes.retain(|a| {
            !matches!(
                a,
                Attribute::MessageIntegrity(_) | Attribute::Fingerprint(_)
            )
        });
        let key = short_term_key(RFC5769_PASSWORD);
        let mut out = Vec::new();
        m.encode_with_integrity(&key, true, &mut out).unwrap();
        assert_eq!(out.len(), RFC5769_REQUEST.len());
        // Same bytes as the RFC up to the username's padding (the RFC pads with spaces, we
        // with zeros).
        assert_eq!(out.get(..73), RFC5769_REQUEST.get(..73));
        assert_eq!(verify_integrity(&out, &key).unwrap(), Integrity::Valid);
        assert_eq!(verify_fingerprint(&out).unwrap(), Some(true));
        let back = Message::parse(&out).unwrap();
        assert_eq!(back.attributes.len(), m.attributes.len() + 2);
        let mut tampered = out.clone();
        if let Some(b) = tampered.get_mut(30) {
            *b ^= 1;
        }
        assert_eq!(
            verify_integrity(&tampered, &key).unwrap(),
            Integrity::Invalid
        );
        assert_eq!(verify_fingerprint(&tampered).unwrap(), Some(false));
        // Without fingerprint: MESSAGE-INTEGRITY last, length covering it.
        let mut out = Vec::new();
        m.encode_with_integrity(&key, false, &mut out).unwrap();
        assert_eq!(verify_integrity(&out, &key).unwrap(), Integrity::Valid);
        assert_eq!(verify_fingerprint(&out).unwrap(), None);
        assert_eq!(
            verify_integrity(RFC5769_RESPONSE_V4, b"").unwrap(),
            Integrity::Invalid
        );
        let mut plain = Vec::new();
        Message::binding_request([0; 12])
            .encode(&mut plain)
            .unwrap();
        assert_eq!(verify_integrity(&plain, &key).unwrap(), Integrity::Absent);
        // Integrity attributes already in the message are replaced, not duplicated.
        let parsed = Message::parse(RFC5769_REQUEST).unwrap();
        let mut again = Vec::new();
        parsed
            .encode_with_integrity(&key, true, &mut again)
            .unwrap();
        assert_eq!(again.len(), RFC5769_REQUEST.len());
        assert_eq!(
            verify_integrity(&again, b"other").unwrap(),
            Integrity::Invalid
        );
        assert_eq!(verify_integrity(&again, &key).unwrap(), Integrity::Valid);
    }

    #[test]
    fn tr111_attribute_bytes() {
        let mut m = Message::binding_request([1; 12]);
        m.attributes.push(Attribute::ConnectionRequestBinding);
        m.attributes.push(Attribute::BindingChange);
        let mut out = Vec::new();
        m.encode(&mut out).unwrap();
        let mut expected = vec![0x00, 0x01, 0x00, 0x1C, 0x21, 0x12, 0xA4, 0x42];
        expected.extend_from_slice(&[1; 12]);
        // CONNECTION-REQUEST-BINDING: type 0xC001, length 0x0014, "dslforum.org/TR-111 ".
        expected.extend_from_slice(&[0xC0, 0x01, 0x00, 0x14]);
        expected.extend_from_slice(b"dslforum.org/TR-111 ");
        // BINDING-CHANGE: type 0xC002, length 0.
        expected.extend_from_slice(&[0xC0, 0x02, 0x00, 0x00]);
        assert_eq!(out, expected);
        assert!(is_stun(&out));
        assert_eq!(Message::parse(&out).unwrap(), m);
    }

    #[test]
    fn rfc3489_message_without_cookie() {
        // A classic RFC 3489 Binding Response: 128-bit transaction id, MAPPED-ADDRESS.
        let mut d = vec![0x01, 0x01, 0x00, 0x0C];
        d.extend_from_slice(&[0xAB; 16]);
        d.extend_from_slice(&[0x00, 0x01, 0x00, 0x08, 0x00, 0x01, 0x1F, 0x90, 10, 0, 0, 7]);
        let m = Message::parse(&d).unwrap();
        assert_eq!(m.transaction_id, TransactionId::Rfc3489([0xAB; 16]));
        assert_eq!(m.class, Class::SuccessResponse);
        assert_eq!(m.mapped_address(), Some("10.0.0.7:8080".parse().unwrap()));
        let mut out = Vec::new();
        m.encode(&mut out).unwrap();
        assert_eq!(out, d);
    }

    #[test]
    fn error_code_and_unknown_attributes() {
        let mut m = Message {
            class: Class::ErrorResponse,
            method: BINDING,
            transaction_id: TransactionId::Rfc5389([9; 12]),
            attributes: vec![
                Attribute::ErrorCode {
                    code: 401,
                    reason: "Unauthorized",
                },
                Attribute::UnknownAttributes(vec![0x0003, 0xC003]),
                Attribute::Realm("example.org"),
                Attribute::Nonce("f//499k954d6OL34oL9FSTvy64sA"),
            ],
        };
        let mut out = Vec::new();
        m.encode(&mut out).unwrap();
        assert_eq!(out.get(..2), Some(&[0x01, 0x11][..]));
        // ERROR-CODE value: 2 reserved bytes, class 4, number 1, reason.
        assert_eq!(
            out.get(20..28),
            Some(&[0x00, 0x09, 0x00, 0x10, 0, 0, 4, 1][..])
        );
        let back = Message::parse(&out).unwrap();
        assert_eq!(back, m);
        assert_eq!(back.error_code(), Some((401, "Unauthorized")));
        m.attributes = vec![Attribute::ErrorCode {
            code: 200,
            reason: "",
        }];
        assert!(matches!(m.encode(&mut Vec::new()), Err(Error::Stun { .. })));
    }

    #[test]
    fn malformed_known_attributes_are_kept_raw() {
        let mut d = vec![0x01, 0x01, 0x00, 0x10, 0x21, 0x12, 0xA4, 0x42];
        d.extend_from_slice(&[0; 12]);
        // CONNECTION-REQUEST-BINDING with another value; USERNAME not UTF-8.
        d.extend_from_slice(&[0xC0, 0x01, 0x00, 0x04, b'a', b'b', b'c', b'd']);
        d.extend_from_slice(&[0x00, 0x06, 0x00, 0x02, 0xFF, 0xFE, 0, 0]);
        let m = Message::parse(&d).unwrap();
        assert_eq!(
            m.attributes,
            vec![
                Attribute::Other {
                    kind: attr::CONNECTION_REQUEST_BINDING,
                    value: b"abcd"
                },
                Attribute::Other {
                    kind: attr::USERNAME,
                    value: &[0xFF, 0xFE]
                },
            ]
        );
        let mut out = Vec::new();
        m.encode(&mut out).unwrap();
        assert_eq!(out, d);
    }

    #[test]
    fn framing_errors_are_located() {
        assert!(matches!(
            Message::parse(&[0; 10]),
            Err(Error::Stun { offset: 0, .. })
        ));
        let mut d = vec![0x00, 0x01, 0x00, 0x08, 0x21, 0x12, 0xA4, 0x42];
        d.extend_from_slice(&[0; 12]);
        d.extend_from_slice(&[0x80, 0x22, 0x00, 0x08, 1, 2, 3, 4]);
        assert!(matches!(
            Message::parse(&d),
            Err(Error::Stun { offset: 20, .. })
        ));
        assert!(matches!(
            Message::parse(b"GET http://x?ts=1 HTTP/1.1\r\n\r\n"),
            Err(Error::Stun { .. })
        ));
        assert!(!is_stun(
            b"GET http://10.0.0.1:7547?ts=1&id=1 HTTP/1.1\r\n\r\n"
        ));
        let mut too_long = vec![0x00, 0x01, 0x00, 0x04];
        too_long.extend_from_slice(&[0; 16]);
        too_long.extend_from_slice(&[0, 0, 0, 0, 0]);
        assert!(Message::parse(&too_long).is_err());
    }

    #[test]
    fn method_and_class_bits() {
        for t in [0x0001u16, 0x0111, 0x0011, 0x0101, 0x3EEF] {
            let m = Message {
                class: Class::from_type(t),
                method: method_from_type(t),
                transaction_id: TransactionId::Rfc5389([0; 12]),
                attributes: Vec::new(),
            };
            assert_eq!(m.message_type(), t);
        }
    }

    #[test]
    fn long_term_key_is_md5_of_user_realm_password() {
        let key2 = long_term_key("user", "realm", "pass");
        // MD5("user:realm:pass") computed with coreutils md5sum.
        assert_eq!(crate::util::hex(&key2), "8493fbc53ba582fb4c044c456bdc40eb");
    }
}
