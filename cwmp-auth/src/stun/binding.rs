//! The CPE's STUN binding client (TR-111 Part 2), as a sans-IO state machine.
//!
//! It sends Binding Requests carrying CONNECTION-REQUEST-BINDING from the connection-request
//! port to the STUN server, retransmits them (RFC 5389 §7.2.1: RTO doubling, a bounded number
//! of transmissions), learns the mapped address from the responses, keeps the binding alive on
//! the schedule of [`KeepAlive`], and when the mapped address changes reports it and sends a
//! Binding Request with BINDING-CHANGE at once. When the server answers 401 and credentials
//! (STUNUsername / STUNPassword) are configured it authenticates from then on with USERNAME and
//! MESSAGE-INTEGRITY (short-term credentials, or long-term when the 401 carries REALM and
//! NONCE), and it only accepts authenticated responses whose MESSAGE-INTEGRITY verifies.
//!
//! Time is a [`Duration`] since any fixed origin the caller chooses (a monotonic clock);
//! randomness (transaction ids) comes from a [`RandomSource`]. The driving loop:
//!
//! ```
//! use std::time::Duration;
//! use cwmp_auth::stun::{BindingClient, BindingConfig, BindingEvent, KeepAlive};
//!
//! # fn main() -> Result<(), cwmp_auth::Error> {
//! let mut client = BindingClient::new(BindingConfig::new(KeepAlive::new(30, Some(300))?));
//! let mut rng = cwmp_auth::OsRandom;
//! let now = Duration::ZERO; // your monotonic clock
//! client.handle_timeout(now, &mut rng)?;
//! while let Some(datagram) = client.poll_transmit() {
//!     // socket.send_to(&datagram, stun_server) from the connection-request port
//!     # let _ = datagram;
//! }
//! // When a datagram arrives from the STUN server: client.handle_datagram(now, &bytes);
//! // then drain events:
//! while let Some(event) = client.poll_event() {
//!     if let BindingEvent::MappedAddress { address, previous } = event {
//!         // report UDPConnectionRequestAddress (and a value change when `previous` is Some)
//!         # let _ = (address, previous);
//!     }
//! }
//! // Sleep until client.poll_timeout(), then call handle_timeout again.
//! assert_eq!(client.poll_timeout(), Duration::from_millis(500));
//! # Ok(())
//! # }
//! ```

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::time::Duration;

use super::message::{
    Attribute, Class, Integrity, Message, TransactionId, long_term_key, short_term_key,
    verify_integrity,
};
use crate::util::Secret;
use crate::{Error, RandomSource};

/// The keep-alive period bounds of `ManagementServer.STUNMinimumKeepAlivePeriod` and
/// `STUNMaximumKeepAlivePeriod`, and the period chosen between them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeepAlive {
    min: Duration,
    max: Option<Duration>,
    period: Duration,
}

impl KeepAlive {
    /// Bounds in seconds; `max` `None` is the parameter's `-1` (no maximum). The period starts
    /// at the minimum, the most conservative choice for keeping a NAT binding open.
    ///
    /// Fails with [`Error::InvalidParam`] when `min` is 0 or `max` is below `min`.
    pub fn new(min_secs: u32, max_secs: Option<u32>) -> Result<KeepAlive, Error> {
        if min_secs == 0 {
            return Err(Error::InvalidParam("STUNMinimumKeepAlivePeriod"));
        }
        if max_secs.is_some_and(|m| m < min_secs) {
            return Err(Error::InvalidParam("STUNMaximumKeepAlivePeriod"));
        }
        let min = Duration::from_secs(u64::from(min_secs));
        Ok(KeepAlive {
            min,
            max: max_secs.map(|m| Duration::from_secs(u64::from(m))),
            period: min,
        })
    }

    /// From the data-model values: `max` is an int where `-1` means no maximum.
    pub fn from_parameters(min: u32, max: i64) -> Result<KeepAlive, Error> {
        let max = match max {
            -1 => None,
            m => Some(
                u32::try_from(m).map_err(|_| Error::InvalidParam("STUNMaximumKeepAlivePeriod"))?,
            ),
        };
        KeepAlive::new(min, max)
    }

    /// Chooses another period (e.g. after measuring the NAT binding's lifetime), clamped into
    /// the bounds.
    pub fn with_period(mut self, period: Duration) -> KeepAlive {
        let p = period.max(self.min);
        self.period = match self.max {
            Some(max) => p.min(max),
            None => p,
        };
        self
    }

    /// The minimum period.
    pub fn min(&self) -> Duration {
        self.min
    }

    /// The maximum period, if any.
    pub fn max(&self) -> Option<Duration> {
        self.max
    }

    /// The period between two keep-alive Binding Requests.
    pub fn period(&self) -> Duration {
        self.period
    }
}

/// Configuration of a [`BindingClient`].
#[derive(Debug, Clone)]
pub struct BindingConfig {
    keep_alive: KeepAlive,
    credentials: Option<(String, Secret)>,
    rto: Duration,
    max_transmits: u32,
}

impl BindingConfig {
    /// Defaults: no credentials, RTO 500 ms, 7 transmissions (RFC 5389 §7.2.1).
    pub fn new(keep_alive: KeepAlive) -> BindingConfig {
        BindingConfig {
            keep_alive,
            credentials: None,
            rto: Duration::from_millis(500),
            max_transmits: 7,
        }
    }

    /// STUNUsername / STUNPassword, used only once the server asks (401).
    pub fn with_credentials(
        mut self,
        username: impl Into<String>,
        password: impl Into<String>,
    ) -> BindingConfig {
        self.credentials = Some((username.into(), Secret(password.into())));
        self
    }

    /// Initial retransmission timeout (doubled after each transmission) and the number of
    /// transmissions before the request is given up (at least 1).
    pub fn with_retransmission(mut self, rto: Duration, max_transmits: u32) -> BindingConfig {
        self.rto = rto;
        self.max_transmits = max_transmits.max(1);
        self
    }
}

/// What the client reports.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum BindingEvent {
    /// The first mapped address, or a new one (`previous` is the old one): report it as
    /// `UDPConnectionRequestAddress` (with a value-change notification when it changed).
    MappedAddress {
        /// The address the STUN server saw.
        address: SocketAddr,
        /// The address before, when this is a change.
        previous: Option<SocketAddr>,
    },
    /// A Binding Request got no usable answer; the next is sent after the keep-alive period.
    Failed(BindingFailure),
}

/// Why a binding attempt failed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum BindingFailure {
    /// No response after all transmissions.
    Timeout,
    /// The server asked for credentials (401) and none are configured, or refused them.
    Unauthorized,
    /// Another error response (code, e.g. 420 or 500).
    ErrorResponse(u16),
    /// A success response without a mapped address.
    NoMappedAddress,
}

#[derive(Debug, Clone)]
struct Outstanding {
    tid: [u8; 12],
    datagram: Vec<u8>,
    transmits: u32,
    next_at: Duration,
    rto: Duration,
    authenticated: bool,
    binding_change: bool,
}

#[derive(Debug, Clone)]
enum Auth {
    /// The server has not asked.
    None,
    /// Short-term credentials (401 without REALM/NONCE).
    ShortTerm,
    /// Long-term credentials with the server's realm and nonce.
    LongTerm { realm: String, nonce: String },
}

/// The binding client. See the [module documentation](self) for the driving loop.
#[derive(Debug, Clone)]
pub struct BindingClient {
    config: BindingConfig,
    outstanding: Option<Outstanding>,
    next_request_at: Duration,
    mapped: Option<SocketAddr>,
    binding_change_pending: bool,
    auth: Auth,
    transmits: VecDeque<Vec<u8>>,
    events: VecDeque<BindingEvent>,
}

impl BindingClient {
    /// A client whose first Binding Request is due at time zero.
    pub fn new(config: BindingConfig) -> BindingClient {
        BindingClient {
            config,
            outstanding: None,
            next_request_at: Duration::ZERO,
            mapped: None,
            binding_change_pending: false,
            auth: Auth::None,
            transmits: VecDeque::new(),
            events: VecDeque::new(),
        }
    }

    /// The mapped address last learned.
    pub fn mapped_address(&self) -> Option<SocketAddr> {
        self.mapped
    }

    /// The keep-alive schedule in force.
    pub fn keep_alive(&self) -> KeepAlive {
        self.config.keep_alive
    }

    /// When [`handle_timeout`](Self::handle_timeout) must be called next.
    pub fn poll_timeout(&self) -> Duration {
        match &self.outstanding {
            Some(o) => o.next_at,
            None => self.next_request_at,
        }
    }

    /// Sends what is due at `now`: a new Binding Request, or a retransmission, or gives up an
    /// unanswered request ([`BindingFailure::Timeout`]).
    pub fn handle_timeout(
        &mut self,
        now: Duration,
        rng: &mut impl RandomSource,
    ) -> Result<(), Error> {
        if let Some(o) = &mut self.outstanding {
            if now < o.next_at {
                return Ok(());
            }
            if o.transmits >= self.config.max_transmits {
                self.outstanding = None;
                self.events
                    .push_back(BindingEvent::Failed(BindingFailure::Timeout));
                self.next_request_at = now + self.config.keep_alive.period();
                return Ok(());
            }
            o.transmits += 1;
            o.rto = o.rto.saturating_mul(2);
            // RFC 5389: after the last transmission wait 16 × the initial RTO.
            o.next_at = if o.transmits >= self.config.max_transmits {
                now + self.config.rto.saturating_mul(16)
            } else {
                now + o.rto
            };
            self.transmits.push_back(o.datagram.clone());
            return Ok(());
        }
        if now >= self.next_request_at {
            self.send_request(now, rng)?;
        }
        Ok(())
    }

    /// Asks for a Binding Request now (e.g. the local address changed).
    pub fn refresh(&mut self, now: Duration) {
        if self.outstanding.is_none() {
            self.next_request_at = now;
        }
    }

    fn send_request(&mut self, now: Duration, rng: &mut impl RandomSource) -> Result<(), Error> {
        let mut tid = [0u8; 12];
        rng.fill(&mut tid)?;
        let mut m = Message::binding_request(tid);
        m.attributes.push(Attribute::ConnectionRequestBinding);
        if self.binding_change_pending {
            m.attributes.push(Attribute::BindingChange);
        }
        let mut datagram = Vec::new();
        let authenticated = match (&self.auth, &self.config.credentials) {
            (Auth::None, _) | (_, None) => {
                m.encode(&mut datagram)?;
                false
            }
            (Auth::ShortTerm, Some((user, pass))) => {
                m.attributes.push(Attribute::Username(user));
                m.encode_with_integrity(&short_term_key(&pass.0), false, &mut datagram)?;
                true
            }
            (Auth::LongTerm { realm, nonce }, Some((user, pass))) => {
                m.attributes.push(Attribute::Username(user));
                m.attributes.push(Attribute::Realm(realm));
                m.attributes.push(Attribute::Nonce(nonce));
                let key = long_term_key(user, realm, &pass.0);
                m.encode_with_integrity(&key, false, &mut datagram)?;
                true
            }
        };
        self.transmits.push_back(datagram.clone());
        self.outstanding = Some(Outstanding {
            tid,
            datagram,
            transmits: 1,
            next_at: now + self.config.rto,
            rto: self.config.rto,
            authenticated,
            binding_change: self.binding_change_pending,
        });
        Ok(())
    }

    fn key(&self) -> Option<Vec<u8>> {
        let (user, pass) = self.config.credentials.as_ref()?;
        match &self.auth {
            Auth::None => None,
            Auth::ShortTerm => Some(short_term_key(&pass.0)),
            Auth::LongTerm { realm, .. } => Some(long_term_key(user, realm, &pass.0).to_vec()),
        }
    }

    /// Feeds a datagram received on the binding's socket from the STUN server.
    ///
    /// Returns `Ok(true)` when it answered the outstanding request, `Ok(false)` when it is not
    /// for this client (another transaction, a request, a response whose MESSAGE-INTEGRITY
    /// does not verify or is missing when the request was authenticated), and
    /// [`Error::Stun`] when it is not a STUN message at all.
    pub fn handle_datagram(
        &mut self,
        now: Duration,
        datagram: &[u8],
        rng: &mut impl RandomSource,
    ) -> Result<bool, Error> {
        let m = Message::parse(datagram)?;
        let Some(o) = &self.outstanding else {
            return Ok(false);
        };
        if m.transaction_id != TransactionId::Rfc5389(o.tid)
            || !matches!(m.class, Class::SuccessResponse | Class::ErrorResponse)
        {
            return Ok(false);
        }
        let authenticated = o.authenticated;
        let binding_change = o.binding_change;
        if authenticated {
            let ok = match self.key() {
                Some(key) => verify_integrity(datagram, &key)? == Integrity::Valid,
                None => false,
            };
            // A 401 / 438 answer to an authenticated request may come without integrity
            // (RFC 5389 §10.2.3); everything else must verify.
            let unauthenticated_error =
                m.class == Class::ErrorResponse && matches!(m.error_code(), Some((401 | 438, _)));
            if !ok && !unauthenticated_error {
                return Ok(false);
            }
        }
        self.outstanding = None;
        self.next_request_at = now + self.config.keep_alive.period();
        if m.class == Class::ErrorResponse {
            let code = m.error_code().map(|(c, _)| c).unwrap_or(0);
            let realm_nonce = m.attributes.iter().find_map(|a| match a {
                Attribute::Realm(r) => Some(*r),
                _ => None,
            });
            let nonce = m.attributes.iter().find_map(|a| match a {
                Attribute::Nonce(n) => Some(*n),
                _ => None,
            });
            let retry_with = match (code, realm_nonce, nonce) {
                (401, Some(r), Some(n)) if !authenticated => Some(Auth::LongTerm {
                    realm: r.to_owned(),
                    nonce: n.to_owned(),
                }),
                (401, _, _) if !authenticated => Some(Auth::ShortTerm),
                // Stale nonce: same realm, the new nonce.
                (438, Some(r), Some(n)) => Some(Auth::LongTerm {
                    realm: r.to_owned(),
                    nonce: n.to_owned(),
                }),
                _ => None,
            };
            match retry_with {
                Some(auth) if self.config.credentials.is_some() => {
                    self.auth = auth;
                    self.send_request(now, rng)?;
                }
                _ => {
                    let failure = if code == 401 {
                        BindingFailure::Unauthorized
                    } else {
                        BindingFailure::ErrorResponse(code)
                    };
                    self.events.push_back(BindingEvent::Failed(failure));
                }
            }
            return Ok(true);
        }
        let Some(address) = m.mapped_address() else {
            self.events
                .push_back(BindingEvent::Failed(BindingFailure::NoMappedAddress));
            return Ok(true);
        };
        if binding_change {
            self.binding_change_pending = false;
        }
        match self.mapped {
            Some(old) if old == address => {}
            previous => {
                self.mapped = Some(address);
                self.events
                    .push_back(BindingEvent::MappedAddress { address, previous });
                if previous.is_some() {
                    // TR-111: tell the server at once with BINDING-CHANGE.
                    self.binding_change_pending = true;
                    self.send_request(now, rng)?;
                }
            }
        }
        Ok(true)
    }

    /// The next datagram to send to the STUN server from the connection-request port.
    pub fn poll_transmit(&mut self) -> Option<Vec<u8>> {
        self.transmits.pop_front()
    }

    /// The next event.
    pub fn poll_event(&mut self) -> Option<BindingEvent> {
        self.events.pop_front()
    }
}

/// Whether a NAT sits between the CPE and the STUN server: the mapped address differs from
/// the local address of the socket (`ManagementServer.NATDetected`).
pub fn nat_detected(local: SocketAddr, mapped: SocketAddr) -> bool {
    local != mapped
}

/// `UDPConnectionRequestAddress` for a mapped address: `host:port`, IPv6 in brackets.
pub fn udp_connection_request_address(mapped: SocketAddr) -> String {
    mapped.to_string()
}

#[cfg(test)]
mod tests {
    use super::super::message::{attr, verify_integrity};
    use super::*;

    struct Counter(u8);
    impl RandomSource for Counter {
        fn fill(&mut self, buf: &mut [u8]) -> Result<(), Error> {
            self.0 = self.0.wrapping_add(1);
            buf.fill(self.0);
            Ok(())
        }
    }

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    /// A server's answer to `request` (parsed) with a mapped address.
    fn success(request: &[u8], mapped: &str, key: Option<&[u8]>) -> Vec<u8> {
        let req = Message::parse(request).unwrap();
        let resp = Message {
            class: Class::SuccessResponse,
            method: req.method,
            transaction_id: req.transaction_id,
            attributes: vec![Attribute::XorMappedAddress(mapped.parse().unwrap())],
        };
        let mut out = Vec::new();
        match key {
            Some(k) => resp.encode_with_integrity(k, true, &mut out).unwrap(),
            None => resp.encode(&mut out).unwrap(),
        }
        out
    }

    fn error(request: &[u8], code: u16, extra: Vec<Attribute<'_>>) -> Vec<u8> {
        let req = Message::parse(request).unwrap();
        let mut attributes = vec![Attribute::ErrorCode { code, reason: "x" }];
        attributes.extend(extra);
        let resp = Message {
            class: Class::ErrorResponse,
            method: req.method,
            transaction_id: req.transaction_id,
            attributes,
        };
        let mut out = Vec::new();
        resp.encode(&mut out).unwrap();
        out
    }

    #[test]
    fn keep_alive_bounds() {
        assert_eq!(
            KeepAlive::new(0, None),
            Err(Error::InvalidParam("STUNMinimumKeepAlivePeriod"))
        );
        assert_eq!(
            KeepAlive::new(60, Some(30)),
            Err(Error::InvalidParam("STUNMaximumKeepAlivePeriod"))
        );
        let k = KeepAlive::from_parameters(30, -1).unwrap();
        assert_eq!(
            (k.min(), k.max(), k.period()),
            (Duration::from_secs(30), None, Duration::from_secs(30))
        );
        let k = KeepAlive::from_parameters(30, 120).unwrap();
        assert_eq!(
            k.with_period(Duration::from_secs(500)).period(),
            Duration::from_secs(120)
        );
        assert_eq!(
            k.with_period(Duration::from_secs(5)).period(),
            Duration::from_secs(30)
        );
        assert_eq!(
            k.with_period(Duration::from_secs(90)).period(),
            Duration::from_secs(90)
        );
        assert!(KeepAlive::from_parameters(30, -2).is_err());
    }

    #[test]
    fn learns_keeps_and_detects_a_changed_binding() {
        let mut rng = Counter(0);
        let mut c = BindingClient::new(BindingConfig::new(KeepAlive::new(30, Some(60)).unwrap()));
        c.handle_timeout(ms(0), &mut rng).unwrap();
        let req = c.poll_transmit().unwrap();
        assert!(c.poll_transmit().is_none());
        let parsed = Message::parse(&req).unwrap();
        assert_eq!(parsed.attributes, vec![Attribute::ConnectionRequestBinding]);
        assert_eq!(parsed.class, Class::Request);

        // Retransmission after the RTO, same bytes.
        assert_eq!(c.poll_timeout(), ms(500));
        c.handle_timeout(ms(500), &mut rng).unwrap();
        assert_eq!(c.poll_transmit().unwrap(), req);
        assert_eq!(c.poll_timeout(), ms(1500));

        // A response to another transaction is not ours.
        let mut other = req.clone();
        if let Some(b) = other.get_mut(10) {
            *b ^= 0xFF;
        }
        assert!(
            !c.handle_datagram(
                ms(600),
                &success(&other, "198.51.100.7:40000", None),
                &mut rng
            )
            .unwrap()
        );

        assert!(
            c.handle_datagram(
                ms(600),
                &success(&req, "198.51.100.7:40000", None),
                &mut rng
            )
            .unwrap()
        );
        assert_eq!(
            c.poll_event(),
            Some(BindingEvent::MappedAddress {
                address: "198.51.100.7:40000".parse().unwrap(),
                previous: None
            })
        );
        assert_eq!(
            c.mapped_address(),
            Some("198.51.100.7:40000".parse().unwrap())
        );
        // Next keep-alive after the period.
        assert_eq!(c.poll_timeout(), ms(600) + Duration::from_secs(30));
        c.handle_timeout(ms(1000), &mut rng).unwrap();
        assert!(c.poll_transmit().is_none());

        // Keep-alive, same address: no event.
        let t = ms(600) + Duration::from_secs(30);
        c.handle_timeout(t, &mut rng).unwrap();
        let req2 = c.poll_transmit().unwrap();
        assert_ne!(
            Message::parse(&req2).unwrap().transaction_id,
            parsed.transaction_id
        );
        c.handle_datagram(t, &success(&req2, "198.51.100.7:40000", None), &mut rng)
            .unwrap();
        assert_eq!(c.poll_event(), None);

        // Keep-alive, the NAT mapped another port: event and an immediate BINDING-CHANGE.
        let t = t + Duration::from_secs(30);
        c.handle_timeout(t, &mut rng).unwrap();
        let req3 = c.poll_transmit().unwrap();
        c.handle_datagram(t, &success(&req3, "198.51.100.7:40001", None), &mut rng)
            .unwrap();
        assert_eq!(
            c.poll_event(),
            Some(BindingEvent::MappedAddress {
                address: "198.51.100.7:40001".parse().unwrap(),
                previous: Some("198.51.100.7:40000".parse().unwrap()),
            })
        );
        let change = c.poll_transmit().unwrap();
        let change_msg = Message::parse(&change).unwrap();
        assert_eq!(
            change_msg.attributes,
            vec![
                Attribute::ConnectionRequestBinding,
                Attribute::BindingChange
            ]
        );
        c.handle_datagram(t, &success(&change, "198.51.100.7:40001", None), &mut rng)
            .unwrap();
        assert_eq!(c.poll_event(), None);
        // The following keep-alive no longer carries BINDING-CHANGE.
        let t = t + Duration::from_secs(30);
        c.handle_timeout(t, &mut rng).unwrap();
        let bytes4 = c.poll_transmit().unwrap();
        let req4 = Message::parse(&bytes4).unwrap().attributes;
        assert_eq!(req4, vec![Attribute::ConnectionRequestBinding]);
    }

    #[test]
    fn gives_up_after_the_last_transmission() {
        let mut rng = Counter(0);
        let cfg =
            BindingConfig::new(KeepAlive::new(10, None).unwrap()).with_retransmission(ms(100), 3);
        let mut c = BindingClient::new(cfg);
        c.handle_timeout(ms(0), &mut rng).unwrap();
        assert!(c.poll_transmit().is_some());
        let mut sent = 1;
        let mut now = ms(0);
        while c.poll_event().is_none() {
            now = c.poll_timeout();
            c.handle_timeout(now, &mut rng).unwrap();
            while c.poll_transmit().is_some() {
                sent += 1;
            }
            if now > Duration::from_secs(5) {
                break;
            }
        }
        // 3 transmissions at 0, 100, 300 ms; given up 16 × RTO after the last one.
        assert_eq!(sent, 3);
        assert_eq!(now, ms(300 + 1600));
        assert_eq!(c.poll_timeout(), now + Duration::from_secs(10));
    }

    #[test]
    fn authenticates_when_the_server_asks() {
        let mut rng = Counter(0);
        let cfg = BindingConfig::new(KeepAlive::new(30, None).unwrap())
            .with_credentials("cpe", "stun-pw");
        let mut c = BindingClient::new(cfg);
        c.handle_timeout(ms(0), &mut rng).unwrap();
        let req = c.poll_transmit().unwrap();
        assert!(
            Message::parse(&req)
                .unwrap()
                .attribute(attr::USERNAME)
                .is_none()
        );
        // 401 with REALM and NONCE: long-term credentials.
        let resp = error(
            &req,
            401,
            vec![Attribute::Realm("acs.example"), Attribute::Nonce("n1")],
        );
        assert!(c.handle_datagram(ms(10), &resp, &mut rng).unwrap());
        assert_eq!(c.poll_event(), None);
        let req2 = c.poll_transmit().unwrap();
        let m2 = Message::parse(&req2).unwrap();
        assert!(m2.attributes.contains(&Attribute::Username("cpe")));
        assert!(m2.attributes.contains(&Attribute::Realm("acs.example")));
        assert!(m2.attributes.contains(&Attribute::Nonce("n1")));
        let key = long_term_key("cpe", "acs.example", "stun-pw");
        assert_eq!(verify_integrity(&req2, &key).unwrap(), Integrity::Valid);

        // An unauthenticated success is not accepted for an authenticated request.
        assert!(
            !c.handle_datagram(ms(20), &success(&req2, "203.0.113.1:1", None), &mut rng)
                .unwrap()
        );
        // Nor one signed with another key.
        assert!(
            !c.handle_datagram(
                ms(20),
                &success(&req2, "203.0.113.1:1", Some(b"nope")),
                &mut rng
            )
            .unwrap()
        );
        assert!(
            c.handle_datagram(
                ms(20),
                &success(&req2, "203.0.113.1:2", Some(&key)),
                &mut rng
            )
            .unwrap()
        );
        assert_eq!(
            c.poll_event(),
            Some(BindingEvent::MappedAddress {
                address: "203.0.113.1:2".parse().unwrap(),
                previous: None
            })
        );

        // Stale nonce on the next keep-alive: retried with the new nonce.
        let t = Duration::from_secs(40);
        c.handle_timeout(t, &mut rng).unwrap();
        let req3 = c.poll_transmit().unwrap();
        let resp = error(
            &req3,
            438,
            vec![Attribute::Realm("acs.example"), Attribute::Nonce("n2")],
        );
        assert!(c.handle_datagram(t, &resp, &mut rng).unwrap());
        let req4 = c.poll_transmit().unwrap();
        assert!(
            Message::parse(&req4)
                .unwrap()
                .attributes
                .contains(&Attribute::Nonce("n2"))
        );
        // 401 to an authenticated request: refused credentials.
        let resp = error(
            &req4,
            401,
            vec![Attribute::Realm("acs.example"), Attribute::Nonce("n3")],
        );
        assert!(c.handle_datagram(t, &resp, &mut rng).unwrap());
        assert_eq!(
            c.poll_event(),
            Some(BindingEvent::Failed(BindingFailure::Unauthorized))
        );
        assert!(c.poll_transmit().is_none());
    }

    #[test]
    fn short_term_credentials_and_no_credentials() {
        let mut rng = Counter(0);
        let cfg =
            BindingConfig::new(KeepAlive::new(30, None).unwrap()).with_credentials("cpe", "pw");
        let mut c = BindingClient::new(cfg);
        c.handle_timeout(ms(0), &mut rng).unwrap();
        let req = c.poll_transmit().unwrap();
        c.handle_datagram(ms(1), &error(&req, 401, vec![]), &mut rng)
            .unwrap();
        let req2 = c.poll_transmit().unwrap();
        assert_eq!(verify_integrity(&req2, b"pw").unwrap(), Integrity::Valid);
        assert!(
            c.handle_datagram(
                ms(2),
                &success(&req2, "192.0.2.9:7547", Some(b"pw")),
                &mut rng
            )
            .unwrap()
        );

        let mut c = BindingClient::new(BindingConfig::new(KeepAlive::new(30, None).unwrap()));
        c.handle_timeout(ms(0), &mut rng).unwrap();
        let req = c.poll_transmit().unwrap();
        c.handle_datagram(ms(1), &error(&req, 401, vec![]), &mut rng)
            .unwrap();
        assert_eq!(
            c.poll_event(),
            Some(BindingEvent::Failed(BindingFailure::Unauthorized))
        );
        c.handle_timeout(ms(2), &mut rng).unwrap();
        assert!(c.poll_transmit().is_none());
        c.handle_timeout(Duration::from_secs(31), &mut rng).unwrap();
        let req = c.poll_transmit().unwrap();
        c.handle_datagram(Duration::from_secs(31), &error(&req, 500, vec![]), &mut rng)
            .unwrap();
        assert_eq!(
            c.poll_event(),
            Some(BindingEvent::Failed(BindingFailure::ErrorResponse(500)))
        );
        c.handle_timeout(Duration::from_secs(62), &mut rng).unwrap();
        let bytes = c.poll_transmit().unwrap();
        let req = Message::parse(&bytes).unwrap();
        let resp = Message {
            class: Class::SuccessResponse,
            method: req.method,
            transaction_id: req.transaction_id,
            attributes: vec![],
        };
        let mut out = Vec::new();
        resp.encode(&mut out).unwrap();
        c.handle_datagram(Duration::from_secs(62), &out, &mut rng)
            .unwrap();
        assert_eq!(
            c.poll_event(),
            Some(BindingEvent::Failed(BindingFailure::NoMappedAddress))
        );
        assert!(
            c.handle_datagram(Duration::from_secs(62), b"GET / HTTP/1.1\r\n\r\n", &mut rng)
                .is_err()
        );
    }

    #[test]
    fn nat_and_address_text() {
        let local: SocketAddr = "10.0.0.2:7547".parse().unwrap();
        assert!(nat_detected(local, "203.0.113.5:61000".parse().unwrap()));
        assert!(!nat_detected(local, local));
        assert_eq!(
            udp_connection_request_address("203.0.113.5:61000".parse().unwrap()),
            "203.0.113.5:61000"
        );
        assert_eq!(
            udp_connection_request_address("[2001:db8::1]:7547".parse().unwrap()),
            "[2001:db8::1]:7547"
        );
    }
}
