//! Parameter paths: full names, partial paths, instances, aliases and patterns.
//!
//! [`Path`] is the owned form (a slice of a shared text; cloning is a reference-count increment),
//! [`PathRef`] the borrowed form over a `&str`. Both are validated on construction, so every
//! accessor is infallible and [`Display`](std::fmt::Display) gives back exactly the parsed text.
//!
//! ```
//! use cwmp_datamodel::path::{Path, Segment};
//! let p: Path = "Device.IP.Interface.[wan].IPv4Address.2.IPAddress".parse()?;
//! let segs: Vec<Segment<'_>> = p.segments().collect();
//! assert_eq!(segs[3], Segment::Alias("wan"));
//! assert_eq!(segs[5], Segment::Instance(2));
//! assert_eq!(p.parent().unwrap().as_str(), "Device.IP.Interface.[wan].IPv4Address.2.");
//! let def: Path = "Device.IP.Interface.{i}.IPv4Address.{i}.IPAddress".parse()?;
//! assert!(p.matches(&def));
//! # Ok::<(), cwmp_datamodel::path::PathError>(())
//! ```

use std::borrow::Borrow;
use std::fmt;
use std::str::FromStr;
use std::sync::{Arc, OnceLock};

/// The longest path accepted, in characters (TR-106: a full vendor path is at most 256).
/// A `{i}` placeholder counts as one character (the shortest instance it stands for).
pub const MAX_PATH_LEN: usize = 256;

/// The longest instance alias accepted, in characters (TR-106 `Alias` is `string(64)`).
pub const MAX_ALIAS_LEN: usize = 64;

/// Why a path was rejected, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid path at byte {offset}: {kind}")]
pub struct PathError {
    /// Byte offset in the input where the problem was found.
    pub offset: usize,
    /// What is wrong.
    pub kind: PathErrorKind,
}

/// The kinds of [`PathError`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PathErrorKind {
    /// The input is empty.
    #[error("the path is empty")]
    Empty,
    /// The input is longer than [`MAX_PATH_LEN`] characters (`{i}` counting as one).
    #[error("the path is {len} characters long; the limit is {MAX_PATH_LEN}")]
    TooLong {
        /// Length of the input in characters.
        len: usize,
    },
    /// Two dots in a row, or a leading dot.
    #[error("empty segment")]
    EmptySegment,
    /// The first segment is not a name (e.g. an instance number or `{i}`).
    #[error("the first segment must be a name")]
    RootNotName,
    /// A name starts with a character other than a letter or `_` (e.g. `1abc`).
    #[error("a name cannot start with {0:?}")]
    BadNameStart(char),
    /// A name contains a character other than letters, digits, `_` and `-`.
    #[error("{0:?} is not allowed in a name")]
    BadNameChar(char),
    /// An instance number is 0, has a leading zero, or exceeds `u32`.
    #[error("invalid instance number (must be 1..=4294967295 without leading zeros)")]
    BadInstance,
    /// An `[alias]` segment is malformed.
    #[error("invalid alias: {0}")]
    BadAlias(AliasProblem),
    /// A `{...}` segment other than `{i}`.
    #[error("the only placeholder is {{i}}")]
    BadPlaceholder,
    /// [`Path::child`] on a path that names a parameter (no trailing dot).
    #[error("a parameter has no children")]
    NotAnObject,
    /// [`Path::child`] given more than one segment.
    #[error("expected exactly one segment")]
    NotOneSegment,
}

/// What is wrong with an `[alias]` segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum AliasProblem {
    /// No closing `]` at the end of the segment.
    Unterminated,
    /// `[]`.
    Empty,
    /// Longer than [`MAX_ALIAS_LEN`] characters.
    TooLong,
    /// The alias does not start with a letter.
    BadStart,
    /// The alias contains `[`, `]`, `.`, whitespace or a control character.
    BadChar,
}

impl fmt::Display for AliasProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            AliasProblem::Unterminated => "missing closing `]`",
            AliasProblem::Empty => "empty alias",
            AliasProblem::TooLong => "longer than 64 characters",
            AliasProblem::BadStart => "must start with a letter",
            AliasProblem::BadChar => "contains `[`, `]`, `.`, whitespace or a control character",
        })
    }
}

/// One node of a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Segment<'a> {
    /// An object or parameter name (`IP`, `X_EXAMPLE-COM_Foo`).
    Name(&'a str),
    /// An instance number (≥ 1).
    Instance(u32),
    /// An Alias-Based Addressing instance (`[wan]`), without the brackets.
    Alias(&'a str),
    /// The `{i}` placeholder of definitions.
    Placeholder,
    /// The `*` instance wildcard.
    Wildcard,
}

impl Segment<'_> {
    /// Whether this segment stands for a table row (instance, alias, `{i}` or `*`).
    pub fn is_instance_like(&self) -> bool {
        !matches!(self, Segment::Name(_))
    }
}

impl fmt::Display for Segment<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Segment::Name(n) => f.write_str(n),
            Segment::Instance(i) => write!(f, "{i}"),
            Segment::Alias(a) => write!(f, "[{a}]"),
            Segment::Placeholder => f.write_str("{i}"),
            Segment::Wildcard => f.write_str("*"),
        }
    }
}

/// The root data model family a path belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Root<'a> {
    /// `Device.` (Device:2, TR-181).
    Device,
    /// `InternetGatewayDevice.` (InternetGatewayDevice:1, TR-098).
    InternetGatewayDevice,
    /// Any other first name, e.g. a service model root such as `VoiceService`.
    Other(&'a str),
}

fn is_name_start(c: char) -> bool {
    c == '_' || c.is_alphabetic()
}

fn is_name_char(c: char) -> bool {
    c == '_' || c == '-' || c.is_alphanumeric()
}

/// Classifies and validates one non-empty segment starting at byte `off`.
fn parse_segment(seg: &str, off: usize) -> Result<Segment<'_>, PathError> {
    let err = |offset: usize, kind| Err(PathError { offset, kind });
    let bytes = seg.as_bytes();
    match bytes.first() {
        None => err(off, PathErrorKind::EmptySegment),
        Some(b'0'..=b'9') => {
            if !seg.bytes().all(|b| b.is_ascii_digit()) {
                // a name where the first character is a digit
                let first = seg.chars().next().unwrap_or('0');
                return err(off, PathErrorKind::BadNameStart(first));
            }
            if bytes.len() > 1 && bytes.first() == Some(&b'0') {
                return err(off, PathErrorKind::BadInstance);
            }
            match seg.parse::<u32>() {
                Ok(0) | Err(_) => err(off, PathErrorKind::BadInstance),
                Ok(n) => Ok(Segment::Instance(n)),
            }
        }
        Some(b'[') => {
            let Some(inner) = seg.strip_prefix('[').and_then(|s| s.strip_suffix(']')) else {
                return err(off, PathErrorKind::BadAlias(AliasProblem::Unterminated));
            };
            let mut chars = inner.char_indices();
            let Some((_, first)) = chars.next() else {
                return err(off, PathErrorKind::BadAlias(AliasProblem::Empty));
            };
            if !first.is_alphabetic() {
                return err(off + 1, PathErrorKind::BadAlias(AliasProblem::BadStart));
            }
            let mut count = 1usize;
            for (i, c) in chars {
                count += 1;
                if matches!(c, '[' | ']' | '.') || c.is_whitespace() || c.is_control() {
                    return err(off + 1 + i, PathErrorKind::BadAlias(AliasProblem::BadChar));
                }
            }
            if count > MAX_ALIAS_LEN {
                return err(off, PathErrorKind::BadAlias(AliasProblem::TooLong));
            }
            Ok(Segment::Alias(inner))
        }
        Some(b'{') => {
            if seg == "{i}" {
                Ok(Segment::Placeholder)
            } else {
                err(off, PathErrorKind::BadPlaceholder)
            }
        }
        Some(b'*') if seg.len() == 1 => Ok(Segment::Wildcard),
        Some(b'A'..=b'Z' | b'a'..=b'z' | b'_')
            if bytes
                .iter()
                .all(|&b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-') =>
        {
            Ok(Segment::Name(seg))
        }
        Some(_) => {
            let mut chars = seg.char_indices();
            if let Some((_, c)) = chars.next() {
                if !is_name_start(c) {
                    return err(off, PathErrorKind::BadNameStart(c));
                }
            }
            for (i, c) in chars {
                if !is_name_char(c) {
                    return err(off + i, PathErrorKind::BadNameChar(c));
                }
            }
            Ok(Segment::Name(seg))
        }
    }
}

/// Whether `seg` is a valid instance number, `[alias]`, `{i}` or `*` segment.
pub(crate) fn is_valid_instance_segment(seg: &str) -> bool {
    parse_segment(seg, 0).is_ok_and(|s| s.is_instance_like())
}

/// Whether `s` exceeds [`MAX_PATH_LEN`] (with `{i}` counting as one character).
pub(crate) fn is_too_long(s: &str) -> bool {
    s.len() > MAX_PATH_LEN && validate_len(s).is_err()
}

/// Checks that `s` is at most [`MAX_PATH_LEN`] characters long (`{i}` counting as one).
pub(crate) fn validate_len(s: &str) -> Result<(), PathError> {
    if s.len() > MAX_PATH_LEN {
        // `{i}` stands for an instance of at least one character and counts as one, so the
        // definition form of every valid instance path is valid too
        let mut len = 0usize;
        let mut offset = None;
        let mut at = 0usize;
        while let Some(rest) = s.get(at..).filter(|r| !r.is_empty()) {
            let step = if rest.starts_with("{i}") {
                3
            } else {
                rest.chars().next().map_or(1, char::len_utf8)
            };
            len += 1;
            if len == MAX_PATH_LEN + 1 {
                offset = Some(at);
            }
            at += step;
        }
        if let Some(offset) = offset {
            return Err(PathError {
                offset,
                kind: PathErrorKind::TooLong { len },
            });
        }
    }
    Ok(())
}

/// Validates `s` as a path; returns nothing on success.
pub(crate) fn validate(s: &str) -> Result<(), PathError> {
    if s.is_empty() {
        return Err(PathError {
            offset: 0,
            kind: PathErrorKind::Empty,
        });
    }
    validate_len(s)?;
    validate_segments(s, 0)
}

/// Whether `rel` is one plain ASCII name (see [`ascii_name_len`]), with at most a `.`
/// after it: appended to a valid partial path, it makes a valid path if that is not too
/// long, and [`validate_after_one`] finds it is one name.
pub(crate) fn is_plain_name(rel: &[u8]) -> bool {
    let body = rel.strip_suffix(b".").unwrap_or(rel);
    !body.is_empty() && ascii_name_len(body) == Some(body.len())
}

/// The length of the first segment of `rest` when it is a plain ASCII name (starting with a
/// letter or `_`, then letters, digits, `_` and `-`) ending at a dot or at the end; `None`
/// for any other segment (checked in full by [`parse_segment`]).
#[inline]
fn ascii_name_len(rest: &[u8]) -> Option<usize> {
    let first = *rest.first()?;
    if !(first.is_ascii_alphabetic() || first == b'_') {
        return None;
    }
    for (i, &b) in rest.iter().enumerate() {
        match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'_' | b'-' => {}
            b'.' => return Some(i),
            _ => return None,
        }
    }
    Some(rest.len())
}

/// Validates the segments of `s` from byte `off` on (the start of a segment); the segments
/// before are known to be valid.
fn validate_segments(s: &str, mut off: usize) -> Result<(), PathError> {
    let body = s.strip_suffix('.').unwrap_or(s);
    // the segments of `body`, split at dots byte by byte (a dot is never part of a
    // multi-byte character)
    loop {
        let rest = body.get(off..).unwrap_or("");
        if let Some(len) = ascii_name_len(rest.as_bytes()) {
            // the common case, a plain ASCII name, checked in the same pass that finds its end
            if len >= rest.len() {
                return Ok(());
            }
            off += len + 1;
            continue;
        }
        let len = rest.bytes().position(|b| b == b'.').unwrap_or(rest.len());
        let seg = rest.get(..len).unwrap_or("");
        let parsed = parse_segment(seg, off)?;
        if off == 0 && !matches!(parsed, Segment::Name(_)) {
            return Err(PathError {
                offset: 0,
                kind: PathErrorKind::RootNotName,
            });
        }
        if len >= rest.len() {
            return Ok(());
        }
        off += len + 1;
    }
}

fn classify(seg: &str) -> Segment<'_> {
    match seg.as_bytes().first() {
        Some(b'0'..=b'9') => Segment::Instance(seg.parse().unwrap_or(0)),
        Some(b'[') => Segment::Alias(seg.get(1..seg.len().saturating_sub(1)).unwrap_or("")),
        Some(b'{') => Segment::Placeholder,
        Some(b'*') => Segment::Wildcard,
        _ => Segment::Name(seg),
    }
}

/// Iterator over the [`Segment`]s of a path.
#[derive(Debug, Clone)]
pub struct Segments<'a> {
    inner: std::str::Split<'a, char>,
}

impl<'a> Iterator for Segments<'a> {
    type Item = Segment<'a>;
    fn next(&mut self) -> Option<Segment<'a>> {
        self.inner.next().map(classify)
    }
}

impl DoubleEndedIterator for Segments<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.inner.next_back().map(classify)
    }
}

/// A validated path borrowed from a `&str`. `Copy`, no allocation.
///
/// ```
/// use cwmp_datamodel::path::{PathRef, Root};
/// let p = PathRef::parse("InternetGatewayDevice.LANDevice.1.")?;
/// assert!(p.is_partial());
/// assert_eq!(p.root(), Root::InternetGatewayDevice);
/// assert_eq!(p.segments().count(), 3);
/// # Ok::<(), cwmp_datamodel::path::PathError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PathRef<'a> {
    text: &'a str,
}

impl<'a> PathRef<'a> {
    /// Validates `text` as a full or partial path.
    pub fn parse(text: &'a str) -> Result<Self, PathError> {
        validate(text)?;
        Ok(PathRef { text })
    }

    /// The path as text, exactly as parsed.
    pub fn as_str(&self) -> &'a str {
        self.text
    }

    /// Whether this is a partial path (ends with `.`, names an object).
    pub fn is_partial(&self) -> bool {
        self.text.ends_with('.')
    }

    /// The segments, root first (the trailing dot of a partial path yields no segment).
    pub fn segments(&self) -> Segments<'a> {
        let body = self.text.strip_suffix('.').unwrap_or(self.text);
        Segments {
            inner: body.split('.'),
        }
    }

    /// The number of segments.
    pub fn depth(&self) -> usize {
        self.segments().count()
    }

    /// The last segment.
    pub fn last(&self) -> Segment<'a> {
        self.segments().next_back().unwrap_or(Segment::Name(""))
    }

    /// The root family of the path.
    pub fn root(&self) -> Root<'a> {
        match self.segments().next() {
            Some(Segment::Name("Device")) => Root::Device,
            Some(Segment::Name("InternetGatewayDevice")) => Root::InternetGatewayDevice,
            Some(Segment::Name(other)) => Root::Other(other),
            _ => Root::Other(""),
        }
    }

    /// The partial path of the enclosing object, `None` for a root object such as `Device.`.
    pub fn parent(&self) -> Option<PathRef<'a>> {
        let body = self.text.strip_suffix('.').unwrap_or(self.text);
        let dot = body.rfind('.')?;
        self.text.get(..=dot).map(|text| PathRef { text })
    }

    /// Whether `self` equals `prefix` or lies below the object `prefix` names.
    ///
    /// A non-partial `prefix` (a parameter) is a prefix only of itself.
    pub fn starts_with(&self, prefix: PathRef<'_>) -> bool {
        if prefix.is_partial() {
            self.text.starts_with(prefix.text)
        } else {
            self.text == prefix.text
        }
    }

    /// Whether the path contains an instance number, an alias, `{i}` or `*`.
    pub fn has_instance_segments(&self) -> bool {
        self.segments().any(|s| s.is_instance_like())
    }

    /// Whether the path contains `{i}` or `*` (is a pattern rather than an instance path).
    pub fn is_pattern(&self) -> bool {
        self.segments()
            .any(|s| matches!(s, Segment::Placeholder | Segment::Wildcard))
    }

    /// Whether any name segment is vendor-specific (`X_...`).
    pub fn is_vendor_specific(&self) -> bool {
        self.segments()
            .any(|s| matches!(s, Segment::Name(n) if n.starts_with("X_")))
    }

    /// Whether this path matches `pattern`: same names and shape; `{i}` and `*` in the pattern
    /// match any instance number, alias, `{i}` or `*`; numbers and aliases match themselves.
    ///
    /// ```
    /// use cwmp_datamodel::path::PathRef;
    /// let p = PathRef::parse("Device.IP.Interface.3.Name")?;
    /// assert!(p.matches(PathRef::parse("Device.IP.Interface.{i}.Name")?));
    /// assert!(p.matches(PathRef::parse("Device.IP.Interface.*.Name")?));
    /// assert!(!p.matches(PathRef::parse("Device.IP.Interface.{i}.")?));
    /// # Ok::<(), cwmp_datamodel::path::PathError>(())
    /// ```
    pub fn matches(&self, pattern: PathRef<'_>) -> bool {
        if self.is_partial() != pattern.is_partial() {
            return false;
        }
        let mut a = self.segments();
        let mut b = pattern.segments();
        loop {
            match (a.next(), b.next()) {
                (None, None) => return true,
                (Some(x), Some(y)) => {
                    let ok = match (x, y) {
                        (Segment::Name(m), Segment::Name(n)) => m == n,
                        (Segment::Name(_), _) | (_, Segment::Name(_)) => false,
                        (_, Segment::Placeholder | Segment::Wildcard) => true,
                        (x, y) => x == y,
                    };
                    if !ok {
                        return false;
                    }
                }
                _ => return false,
            }
        }
    }

    /// Appends the definition form of this path to `out`: every instance number, alias and `*`
    /// becomes `{i}` (`Device.IP.Interface.3.Name` → `Device.IP.Interface.{i}.Name`).
    pub fn write_definition_key(&self, out: &mut String) {
        for (i, seg) in self.segments().enumerate() {
            if i > 0 {
                out.push('.');
            }
            match seg {
                Segment::Name(n) => out.push_str(n),
                _ => out.push_str("{i}"),
            }
        }
        if self.is_partial() {
            out.push('.');
        }
    }

    /// The definition form as a new [`Path`] (see [`PathRef::write_definition_key`]).
    pub fn definition_key(&self) -> Path {
        let mut s = String::with_capacity(self.text.len() + 8);
        self.write_definition_key(&mut s);
        Path::own(&s)
    }

    /// An owned copy.
    pub fn to_path(&self) -> Path {
        Path::own(self.text)
    }
}

impl fmt::Display for PathRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.text)
    }
}

/// A validated, owned path: a slice of a shared text; clone and hash are cheap.
///
/// Parse with [`Path::parse`] or [`str::parse`]; [`Display`](fmt::Display) returns the same text.
///
/// ```
/// use cwmp_datamodel::path::{Path, PathErrorKind};
/// let p = Path::parse("Device.X_EXAMPLE-COM_Foo.Bar")?;
/// assert!(p.is_vendor_specific());
/// assert_eq!(p.to_string(), "Device.X_EXAMPLE-COM_Foo.Bar");
/// let e = Path::parse("Device..X").unwrap_err();
/// assert_eq!((e.offset, e.kind), (7, PathErrorKind::EmptySegment));
/// let e = Path::parse("Device.1abc.").unwrap_err();
/// assert_eq!((e.offset, e.kind), (7, PathErrorKind::BadNameStart('1')));
/// # Ok::<(), cwmp_datamodel::path::PathError>(())
/// ```
///
/// A path is a shared text: cloning it never copies. The paths of a
/// [`Schema`](crate::Schema)'s definitions are all slices of one text.
#[derive(Clone)]
pub struct Path {
    /// The text of this path, and in a schema those of the other definitions. A schema's
    /// definitions share it from their creation on, and the text is set once, when the
    /// assembly of the schema ends (it moves in, it is not copied); the pointer is thin, so
    /// a path is 16 bytes.
    buf: Arc<OnceLock<String>>,
    /// Where the path is in `buf`.
    start: u32,
    end: u32,
}

/// Validates `text`, whose first `valid` bytes are a valid partial path (or empty): only
/// the rest is validated (with the length of the whole). Tells also whether that rest is
/// one plain ASCII name (letters, digits, `_` and `-`), alone or followed by a `.`.
pub(crate) fn validate_after_one(text: &str, valid: usize) -> Result<bool, PathError> {
    let prefix_ok =
        valid > 0 && text.is_char_boundary(valid) && text.as_bytes().get(valid - 1) == Some(&b'.');
    if !prefix_ok || valid >= text.len() {
        return validate(text).map(|()| false);
    }
    validate_len(text)?;
    if is_plain_name(text.as_bytes().get(valid..).unwrap_or(&[])) {
        return Ok(true);
    }
    validate_segments(text, valid).map(|()| false)
}

impl Path {
    /// A path of its own text (already validated).
    fn own(text: &str) -> Path {
        Path {
            buf: Arc::new(OnceLock::from(text.to_owned())),
            start: 0,
            end: u32::try_from(text.len()).unwrap_or(0),
        }
    }

    /// The path at `range` of the text `buf` will hold once set: a valid path (the path
    /// is empty until `buf` is set, and if `range` is not within its text).
    pub(crate) fn shared(buf: &Arc<OnceLock<String>>, range: std::ops::Range<u32>) -> Path {
        Path {
            buf: Arc::clone(buf),
            start: range.start,
            end: range.end,
        }
    }

    /// Validates and stores `text`.
    pub fn parse(text: &str) -> Result<Self, PathError> {
        validate(text)?;
        Ok(Path::own(text))
    }

    /// The borrowed view.
    pub fn as_path_ref(&self) -> PathRef<'_> {
        PathRef {
            text: self.as_str(),
        }
    }

    /// The path as text.
    pub fn as_str(&self) -> &str {
        self.buf
            .get()
            .and_then(|b| b.get(self.start as usize..self.end as usize))
            .unwrap_or("")
    }

    /// Whether this is a partial path (ends with `.`).
    pub fn is_partial(&self) -> bool {
        self.as_path_ref().is_partial()
    }

    /// The segments, root first.
    pub fn segments(&self) -> Segments<'_> {
        self.as_path_ref().segments()
    }

    /// The number of segments.
    pub fn depth(&self) -> usize {
        self.as_path_ref().depth()
    }

    /// The last segment.
    pub fn last(&self) -> Segment<'_> {
        self.as_path_ref().last()
    }

    /// The root family.
    pub fn root(&self) -> Root<'_> {
        self.as_path_ref().root()
    }

    /// The partial path of the enclosing object; `None` for a root object.
    pub fn parent(&self) -> Option<Path> {
        self.as_path_ref().parent().map(|p| p.to_path())
    }

    /// A child of this partial path: `segment` is one segment (`Name`, `3`, `[alias]`, `{i}`,
    /// `*`), optionally followed by `.` to name an object.
    ///
    /// ```
    /// use cwmp_datamodel::path::Path;
    /// let p = Path::parse("Device.IP.Interface.")?;
    /// assert_eq!(p.child("2.")?.child("Name")?.as_str(), "Device.IP.Interface.2.Name");
    /// assert!(Path::parse("Device.Name")?.child("X").is_err());
    /// # Ok::<(), cwmp_datamodel::path::PathError>(())
    /// ```
    pub fn child(&self, segment: &str) -> Result<Path, PathError> {
        if !self.is_partial() {
            return Err(PathError {
                offset: self.as_str().len(),
                kind: PathErrorKind::NotAnObject,
            });
        }
        let s = segment.strip_suffix('.').unwrap_or(segment);
        if s.contains('.') {
            let at = s.find('.').unwrap_or(0);
            return Err(PathError {
                offset: self.as_str().len() + at,
                kind: PathErrorKind::NotOneSegment,
            });
        }
        let mut text = String::with_capacity(self.as_str().len() + segment.len());
        text.push_str(self.as_str());
        text.push_str(segment);
        Path::parse(&text)
    }

    /// Whether `self` equals `prefix` or lies below the object `prefix` names.
    pub fn starts_with(&self, prefix: &Path) -> bool {
        self.as_path_ref().starts_with(prefix.as_path_ref())
    }

    /// Whether the path contains an instance number, an alias, `{i}` or `*`.
    pub fn has_instance_segments(&self) -> bool {
        self.as_path_ref().has_instance_segments()
    }

    /// Whether the path contains `{i}` or `*`.
    pub fn is_pattern(&self) -> bool {
        self.as_path_ref().is_pattern()
    }

    /// Whether any name segment is vendor-specific (`X_...`).
    pub fn is_vendor_specific(&self) -> bool {
        self.as_path_ref().is_vendor_specific()
    }

    /// Whether this path matches the definition or wildcard `pattern` (see [`PathRef::matches`]).
    pub fn matches(&self, pattern: &Path) -> bool {
        self.as_path_ref().matches(pattern.as_path_ref())
    }

    /// The definition form (instances, aliases and `*` replaced by `{i}`).
    pub fn definition_key(&self) -> Path {
        self.as_path_ref().definition_key()
    }
}

impl PartialEq for Path {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Path {}

impl std::hash::Hash for Path {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        // as the text (`Borrow<str>`)
        self.as_str().hash(state);
    }
}

impl PartialOrd for Path {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Path {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl fmt::Debug for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Path({:?})", self.as_str())
    }
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Path {
    type Err = PathError;
    fn from_str(s: &str) -> Result<Self, PathError> {
        Path::parse(s)
    }
}

impl TryFrom<&str> for Path {
    type Error = PathError;
    fn try_from(s: &str) -> Result<Self, PathError> {
        Path::parse(s)
    }
}

impl AsRef<str> for Path {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl Borrow<str> for Path {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl<'a> From<PathRef<'a>> for Path {
    fn from(p: PathRef<'a>) -> Self {
        p.to_path()
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Path {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Path {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Path::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dm01_round_trips() {
        for s in [
            "Device.",
            "Device.IP.Interface.1.",
            "Device.IP.Interface.[wan].IPv4Address.2.IPAddress",
            "Device.X_EXAMPLE-COM_Foo.Bar",
            "InternetGatewayDevice.WANDevice.{i}.WANConnectionDevice.*.",
            "VoiceService.{i}.Capabilities.SIP.",
            "Device.X_012345_AdBanner",
        ] {
            let p = Path::parse(s).unwrap();
            assert_eq!(p.to_string(), s);
            assert_eq!(p.is_partial(), s.ends_with('.'));
        }
    }

    #[test]
    fn dm01_rejects() {
        let cases: &[(&str, usize, PathErrorKind)] = &[
            ("Device..X", 7, PathErrorKind::EmptySegment),
            ("Device.1abc.", 7, PathErrorKind::BadNameStart('1')),
            ("", 0, PathErrorKind::Empty),
            (".", 0, PathErrorKind::EmptySegment),
            ("Device.IP.Interface.0.", 20, PathErrorKind::BadInstance),
            ("Device.IP.Interface.01.", 20, PathErrorKind::BadInstance),
            (
                "Device.IP.Interface.99999999999.",
                20,
                PathErrorKind::BadInstance,
            ),
            (
                "Device.IP.Interface.[wan.",
                20,
                PathErrorKind::BadAlias(AliasProblem::Unterminated),
            ),
            (
                "Device.IP.Interface.[].",
                20,
                PathErrorKind::BadAlias(AliasProblem::Empty),
            ),
            (
                "Device.IP.Interface.[1a].",
                21,
                PathErrorKind::BadAlias(AliasProblem::BadStart),
            ),
            (
                "Device.IP.Interface.[a b].",
                22,
                PathErrorKind::BadAlias(AliasProblem::BadChar),
            ),
            (
                "Device.IP.Interface.{j}.",
                20,
                PathErrorKind::BadPlaceholder,
            ),
            ("Device.I P", 8, PathErrorKind::BadNameChar(' ')),
            ("1.Device", 0, PathErrorKind::RootNotName),
            ("1abc.X", 0, PathErrorKind::BadNameStart('1')),
            ("{i}.X", 0, PathErrorKind::RootNotName),
            ("Device.**", 7, PathErrorKind::BadNameStart('*')),
        ];
        for (s, off, kind) in cases {
            let e = Path::parse(s).unwrap_err();
            assert_eq!((e.offset, &e.kind), (*off, kind), "{s}");
        }
        let long = format!("Device.{}", "A".repeat(250));
        let e = Path::parse(&long).unwrap_err();
        assert_eq!(e.kind, PathErrorKind::TooLong { len: 257 });
        assert_eq!(e.offset, 256);
        assert!(Path::parse(&long[..256]).is_ok());
        let alias = format!("Device.A.[{}].", "a".repeat(65));
        assert_eq!(
            Path::parse(&alias).unwrap_err().kind,
            PathErrorKind::BadAlias(AliasProblem::TooLong)
        );
    }

    #[test]
    fn parent_prefix_match() {
        let p = Path::parse("Device.IP.Interface.3.Name").unwrap();
        let parents: Vec<String> = std::iter::successors(p.parent(), |p| p.parent())
            .map(|p| p.to_string())
            .collect();
        assert_eq!(
            parents,
            [
                "Device.IP.Interface.3.",
                "Device.IP.Interface.",
                "Device.IP.",
                "Device."
            ]
        );
        assert!(p.starts_with(&Path::parse("Device.IP.").unwrap()));
        assert!(!p.starts_with(&Path::parse("Device.I").unwrap()));
        assert!(!p.starts_with(&Path::parse("Device.IPv6.").unwrap()));
        assert!(p.starts_with(&p));
        assert_eq!(p.root(), Root::Device);
        assert_eq!(p.last(), Segment::Name("Name"));
        assert_eq!(p.definition_key().as_str(), "Device.IP.Interface.{i}.Name");
        let a = Path::parse("Device.IP.Interface.[wan].").unwrap();
        assert!(a.matches(&Path::parse("Device.IP.Interface.{i}.").unwrap()));
        assert!(!a.matches(&Path::parse("Device.IP.Interface.1.").unwrap()));
        assert!(!p.matches(&Path::parse("Device.IP.Interface.{i}.Status").unwrap()));
        assert!(!p.matches(&Path::parse("Device.IP.{i}.{i}.Name").unwrap()));
    }
}
