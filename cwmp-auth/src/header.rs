//! Lenient parser for `WWW-Authenticate` and `Authorization` values (RFC 7235 §2.1 / §4.1).
//!
//! Accepts what real devices send: token or quoted values, parameters in any order, odd or
//! missing spacing, empty list elements, case-insensitive names, several challenges in one
//! header. Results borrow from the input; a quoted value is copied only when it contains a
//! backslash escape.

use std::borrow::Cow;

use crate::Error;

/// Bounds on what the parser accepts; a hostile header costs at most these.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Longest header value accepted, in bytes. Default 8192.
    pub max_len: usize,
    /// Most parameters in one challenge or credentials. Default 32.
    pub max_params: usize,
    /// Most challenges in one header value. Default 16.
    pub max_challenges: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_len: 8192,
            max_params: 32,
            max_challenges: 16,
        }
    }
}

/// One `name=value` authentication parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Param<'a> {
    /// Parameter name as written (compare with `eq_ignore_ascii_case`).
    pub name: &'a str,
    /// Value with quotes removed and escapes resolved.
    pub value: Cow<'a, str>,
}

/// One challenge (or the credentials of an `Authorization` header): a scheme and either a
/// token68 or a list of parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Challenge<'a> {
    /// Scheme name as written, e.g. `Digest` (compare case-insensitively).
    pub scheme: &'a str,
    /// The token68 form (`Basic dXNlcjpwdw==`), if the challenge uses it.
    pub token68: Option<&'a str>,
    /// Parameters in the order received.
    pub params: Vec<Param<'a>>,
}

impl<'a> Challenge<'a> {
    /// The value of the first parameter named `name` (ASCII case-insensitive).
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|p| p.name.eq_ignore_ascii_case(name))
            .map(|p| p.value.as_ref())
    }

    /// Whether the scheme is `scheme` (ASCII case-insensitive).
    pub fn is(&self, scheme: &str) -> bool {
        self.scheme.eq_ignore_ascii_case(scheme)
    }
}

fn is_tchar(c: u8) -> bool {
    c.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&c)
}

fn is_token68_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || b"-._~+/".contains(&c)
}

struct Cursor<'a> {
    s: &'a str,
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn peek(&self) -> Option<u8> {
        self.s.as_bytes().get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\r' | b'\n')) {
            self.pos += 1;
        }
    }

    fn skip_ws_and_commas(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\r' | b'\n' | b',')) {
            self.pos += 1;
        }
    }

    fn take_while(&mut self, f: impl Fn(u8) -> bool) -> &'a str {
        let start = self.pos;
        while self.peek().is_some_and(&f) {
            self.pos += 1;
        }
        self.s.get(start..self.pos).unwrap_or("")
    }

    fn err(&self, reason: &'static str) -> Error {
        Error::Syntax {
            offset: self.pos,
            reason,
        }
    }

    /// Quoted string starting at the opening quote.
    fn quoted(&mut self) -> Result<Cow<'a, str>, Error> {
        let open = self.pos;
        self.pos += 1;
        let start = self.pos;
        let mut owned: Option<String> = None;
        loop {
            match self.peek() {
                None => {
                    return Err(Error::Syntax {
                        offset: open,
                        reason: "unterminated quoted string",
                    });
                }
                Some(b'"') => {
                    let end = self.pos;
                    self.pos += 1;
                    return Ok(match owned {
                        Some(o) => Cow::Owned(o),
                        None => Cow::Borrowed(self.s.get(start..end).unwrap_or("")),
                    });
                }
                Some(b'\\') => {
                    let o = owned.get_or_insert_with(|| {
                        self.s.get(start..self.pos).unwrap_or("").to_owned()
                    });
                    self.pos += 1;
                    // The escaped character may be multi-byte: copy one whole char.
                    let rest = self.s.get(self.pos..).unwrap_or("");
                    match rest.chars().next() {
                        Some(c) => {
                            o.push(c);
                            self.pos += c.len_utf8();
                        }
                        None => return Err(self.err("backslash at end of input")),
                    }
                }
                Some(_) => {
                    let rest = self.s.get(self.pos..).unwrap_or("");
                    let c = rest.chars().next().unwrap_or('\u{fffd}');
                    if let Some(o) = owned.as_mut() {
                        o.push(c);
                    }
                    self.pos += c.len_utf8().max(1);
                }
            }
        }
    }
}

fn check_len<'a>(input: &'a [u8], limits: &Limits) -> Result<&'a str, Error> {
    if input.len() > limits.max_len {
        return Err(Error::TooLong {
            len: input.len(),
            limit: limits.max_len,
        });
    }
    std::str::from_utf8(input).map_err(|e| Error::Syntax {
        offset: e.valid_up_to(),
        reason: "not UTF-8",
    })
}

/// Parses a `WWW-Authenticate` (or `Proxy-Authenticate`) value into its challenges.
///
/// Call once per header line and concatenate the results when a response has several.
pub fn parse_challenges<'a>(input: &'a [u8], limits: &Limits) -> Result<Vec<Challenge<'a>>, Error> {
    let s = check_len(input, limits)?;
    let mut c = Cursor { s, pos: 0 };
    let mut out = Vec::new();
    loop {
        c.skip_ws_and_commas();
        if c.peek().is_none() {
            break;
        }
        if out.len() >= limits.max_challenges {
            return Err(Error::TooMany {
                what: "challenges",
                limit: limits.max_challenges,
            });
        }
        out.push(parse_one(&mut c, limits, true)?);
    }
    Ok(out)
}

/// Parses an `Authorization` (or `Proxy-Authorization`) value: exactly one scheme with its
/// parameters or token68.
pub fn parse_credentials<'a>(input: &'a [u8], limits: &Limits) -> Result<Challenge<'a>, Error> {
    let s = check_len(input, limits)?;
    let mut c = Cursor { s, pos: 0 };
    c.skip_ws_and_commas();
    let ch = parse_one(&mut c, limits, false)?;
    c.skip_ws_and_commas();
    if c.peek().is_some() {
        return Err(c.err("unexpected text after credentials"));
    }
    Ok(ch)
}

/// Parses one scheme and what follows it. In a challenge list (`multi`), a bare token that is
/// not followed by `=` starts the next challenge; in credentials it is an error.
fn parse_one<'a>(c: &mut Cursor<'a>, limits: &Limits, multi: bool) -> Result<Challenge<'a>, Error> {
    let scheme = c.take_while(is_tchar);
    if scheme.is_empty() {
        return Err(c.err("expected an authentication scheme"));
    }
    let mut ch = Challenge {
        scheme,
        token68: None,
        params: Vec::new(),
    };
    match c.peek() {
        None | Some(b',') => return Ok(ch),
        Some(b' ' | b'\t' | b'\r' | b'\n') => {}
        Some(_) => return Err(c.err("unexpected character after scheme")),
    }
    c.skip_ws();
    // token68? A run of token68 chars, then '='s, then end or a comma.
    let save = c.pos;
    let t = c.take_while(is_token68_char);
    if !t.is_empty() {
        c.take_while(|b| b == b'=');
        let end = c.pos;
        c.skip_ws();
        if matches!(c.peek(), None | Some(b',')) {
            // "realm=x" would also match a token followed by '=' and end: that is a param with
            // an empty value only if there was exactly one '=' and the run is a token; prefer
            // token68 only when the scheme expects it (Basic, Negotiate ...), which we cannot
            // know, so keep both readings: token68 unless the text is `name=` form and the
            // scheme is Digest.
            let text = c.s.get(save..end).unwrap_or("");
            if !(scheme.eq_ignore_ascii_case("digest")
                && text.ends_with('=')
                && !text.ends_with("=="))
            {
                ch.token68 = Some(text);
                return Ok(ch);
            }
        }
    }
    c.pos = save;
    parse_param_list(c, limits, multi, &mut ch.params)?;
    Ok(ch)
}

/// Parses a bare parameter list, as in `Authentication-Info`.
pub fn parse_params<'a>(input: &'a [u8], limits: &Limits) -> Result<Vec<Param<'a>>, Error> {
    let s = check_len(input, limits)?;
    let mut c = Cursor { s, pos: 0 };
    let mut out = Vec::new();
    parse_param_list(&mut c, limits, false, &mut out)?;
    Ok(out)
}

fn parse_param_list<'a>(
    c: &mut Cursor<'a>,
    limits: &Limits,
    multi: bool,
    params: &mut Vec<Param<'a>>,
) -> Result<(), Error> {
    loop {
        c.skip_ws_and_commas();
        let item_start = c.pos;
        if c.peek().is_none() {
            break;
        }
        let name = c.take_while(is_tchar);
        if name.is_empty() {
            return Err(c.err("expected a parameter name"));
        }
        c.skip_ws();
        if c.peek() != Some(b'=') {
            if multi {
                // Start of the next challenge.
                c.pos = item_start;
                break;
            }
            return Err(c.err("expected '=' after parameter name"));
        }
        c.pos += 1;
        c.skip_ws();
        let value = match c.peek() {
            Some(b'"') => c.quoted()?,
            // Lenient token: anything up to a comma or whitespace.
            _ => Cow::Borrowed(c.take_while(|b| !matches!(b, b',' | b' ' | b'\t' | b'\r' | b'\n'))),
        };
        if params.len() >= limits.max_params {
            return Err(Error::TooMany {
                what: "parameters",
                limit: limits.max_params,
            });
        }
        params.push(Param { name, value });
        c.skip_ws();
        // A missing comma between parameters is tolerated (seen in the wild) as long as what
        // follows can start a name.
        if let Some(b) = c.peek() {
            if b != b',' && !is_tchar(b) {
                return Err(c.err("expected ',' between parameters"));
            }
        }
    }
    Ok(())
}
