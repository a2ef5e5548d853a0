//! What the benches feed the implementations: the wire bytes of the generated messages (our
//! encoder's output, in the CWMP 1.0 namespace most CPEs use) and a digest-verification fixture.

use cwmp_auth::digest::{DigestClient, DigestServer, MemoryNonceCounter, Request, Users};
use cwmp_auth::{Algorithm, RandomSource};
use cwmp_core::{CwmpVersion, Envelope};
use cwmp_soap::EncodeOptions;
use http::{HeaderValue, Method};

use crate::messages::XorShift;

/// The encoder options of the measured bytes: CWMP 1.0 (`urn:dslforum-org:cwmp-1-0`), what the
/// large installed base of CPEs sends; otherwise the defaults.
pub fn options() -> EncodeOptions {
    EncodeOptions::for_version(CwmpVersion::V1_0)
}

/// The wire bytes of `envelope`, as our encoder writes them.
pub fn encode(envelope: &Envelope<'_>) -> Vec<u8> {
    options().to_vec(envelope)
}

impl RandomSource for XorShift {
    fn fill(&mut self, buf: &mut [u8]) -> Result<(), cwmp_auth::Error> {
        for chunk in buf.chunks_mut(8) {
            let bytes = self.next_u64().to_le_bytes();
            for (b, r) in chunk.iter_mut().zip(bytes) {
                *b = r;
            }
        }
        Ok(())
    }
}

/// The request line target the fixture's CPE posts to.
pub const URI: &str = "/cwmp/acs";
/// The fixture's clock (Unix seconds): fixed, so nonces never expire during a run.
pub const NOW: u64 = 1_795_000_000;

/// `n` distinct `Authorization` values (nonce counts 1..=n, distinct cnonces) answering one
/// challenge, and the server that verifies them.
pub struct DigestBench {
    server: DigestServer,
    users: Users,
    authorizations: Vec<HeaderValue>,
}

/// Builds the fixture: a server challenge with `algorithm` and qop=auth, a CPE client answering
/// it `n` times.
pub fn digest_requests(algorithm: Algorithm, n: usize) -> Result<DigestBench, cwmp_auth::Error> {
    let mut rng = XorShift::new(0xD16E57);
    let server =
        DigestServer::new("cwmp-acs", b"0123456789abcdef0123456789abcdef").algorithms(&[algorithm]);
    let challenge = server.challenge(algorithm, NOW, &mut rng, false)?;
    let mut client = DigestClient::new("00256D-HGW3000-ACME3000A1B2C3", "s3cret-Pa55");
    client.handle_unauthorized([&challenge], false)?;
    let authorizations = (0..n)
        .map(|i| {
            client.authorization_with_cnonce(
                &Method::POST,
                URI,
                &[],
                &format!("{:016x}", i as u64 ^ 0x5A5A),
            )
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(DigestBench {
        server,
        users: Users::new().with("00256D-HGW3000-ACME3000A1B2C3", "s3cret-Pa55"),
        authorizations,
    })
}

impl DigestBench {
    /// How many `Authorization` values one [`verify_all`](Self::verify_all) verifies.
    pub fn len(&self) -> usize {
        self.authorizations.len()
    }

    /// Whether the fixture is empty.
    pub fn is_empty(&self) -> bool {
        self.authorizations.is_empty()
    }

    /// Verifies every value in order with a fresh nonce counter (so none is a replay); returns
    /// how many were accepted.
    pub fn verify_all(&self) -> usize {
        let mut counter = MemoryNonceCounter::new(16);
        let request = Request {
            method: &Method::POST,
            uri: URI,
            body: &[],
        };
        self.authorizations
            .iter()
            .filter(|a| {
                self.server
                    .verify(&request, a, NOW, &self.users, &mut counter)
                    .is_ok()
            })
            .count()
    }
}
