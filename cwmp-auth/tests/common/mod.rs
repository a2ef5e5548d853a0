//! Helpers shared by the integration tests.
#![allow(dead_code)]

use cwmp_auth::{Error, RandomSource};

/// A deterministic xorshift generator: reproducible tests, never for production.
pub struct TestRng(pub u64);

impl RandomSource for TestRng {
    fn fill(&mut self, buf: &mut [u8]) -> Result<(), Error> {
        for b in buf {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            *b = (self.0 >> 24) as u8;
        }
        Ok(())
    }
}

/// Extracts a parameter from an Authorization value by plain text search.
pub fn param<'a>(value: &'a str, name: &str) -> Option<&'a str> {
    let h = cwmp_auth::header::parse_credentials(value.as_bytes(), &Default::default()).ok()?;
    let found = h
        .params
        .iter()
        .find(|p| p.name.eq_ignore_ascii_case(name))?;
    // Find the slice of `value` holding the value text (values here are never escaped).
    let v = found.value.as_ref();
    value.find(v).and_then(|i| value.get(i..i + v.len()))
}
