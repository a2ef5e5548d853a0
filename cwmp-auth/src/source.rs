//! Randomness and time supplied by the caller, with OS defaults behind `std-rand`.

use crate::Error;

/// A source of unpredictable bytes, for cnonces and nonces.
///
/// Implement it over your runtime's CSPRNG, or use [`OsRandom`] (feature `std-rand`).
pub trait RandomSource {
    /// Fills `buf` with random bytes.
    fn fill(&mut self, buf: &mut [u8]) -> Result<(), Error>;
}

impl<R: RandomSource + ?Sized> RandomSource for &mut R {
    fn fill(&mut self, buf: &mut [u8]) -> Result<(), Error> {
        (**self).fill(buf)
    }
}

/// The operating system's random number generator (via `getrandom`).
#[cfg(feature = "std-rand")]
#[derive(Debug, Clone, Copy, Default)]
pub struct OsRandom;

#[cfg(feature = "std-rand")]
impl RandomSource for OsRandom {
    fn fill(&mut self, buf: &mut [u8]) -> Result<(), Error> {
        getrandom::fill(buf).map_err(|_| Error::Random)
    }
}

/// Seconds since the Unix epoch from `SystemTime` (0 if the clock is before 1970).
#[cfg(feature = "std-rand")]
pub fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// A fresh client nonce: 16 random bytes in hex.
pub(crate) fn cnonce(rng: &mut impl RandomSource) -> Result<String, Error> {
    let mut b = [0u8; 16];
    rng.fill(&mut b)?;
    Ok(crate::util::hex(&b))
}
