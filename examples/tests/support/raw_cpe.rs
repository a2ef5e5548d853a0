//! A CPE written out by hand for tests of the reference ACS: SOAP texts as a device sends
//! them, over one keep-alive HTTP/1.1 connection per session, with digest (or pre-emptive
//! Basic) authentication and the session cookie. It uses only cwmp-soap's decoder and
//! cwmp-auth's digest client, so it does not share the ACS's session engine.
#![allow(dead_code)]

use bytes::Bytes;
use cwmp_auth::OsRandom;
use cwmp_auth::digest::DigestClient;
use cwmp_core::{Body, Envelope};
use http::{Method, Request, StatusCode};
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::SendRequest;
use hyper_util::rt::TokioIo;

/// How the raw CPE authenticates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Auth {
    /// Answer the digest challenge.
    Digest,
    /// Send Basic credentials with every request, before any challenge.
    PreemptiveBasic,
}

pub struct RawCpe {
    pub addr: String,
    pub path: String,
    pub user: String,
    pub password: String,
    pub auth: Auth,
    /// The `WWW-Authenticate` values of the last 401, in order.
    pub last_challenges: Vec<String>,
    digest: Option<DigestClient>,
    cookie: Option<String>,
    sender: Option<SendRequest<Full<Bytes>>>,
}

impl RawCpe {
    pub fn new(addr: &str, user: &str, password: &str) -> RawCpe {
        RawCpe {
            addr: addr.to_owned(),
            path: "/acs".to_owned(),
            user: user.to_owned(),
            password: password.to_owned(),
            auth: Auth::Digest,
            last_challenges: Vec::new(),
            digest: None,
            cookie: None,
            sender: None,
        }
    }

    /// Closes the connection and forgets the cookie and challenge (a new session).
    pub fn end_session(&mut self) {
        self.sender = None;
        self.cookie = None;
        self.digest = None;
    }

    async fn connect(&mut self) -> SendRequest<Full<Bytes>> {
        let stream = tokio::net::TcpStream::connect(&self.addr).await.unwrap();
        let (sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
            .await
            .unwrap();
        tokio::spawn(async move {
            let _ = conn.await;
        });
        sender
    }

    async fn send_once(&mut self, body: &Bytes) -> Result<http::Response<Bytes>, String> {
        let mut sender = match self.sender.take() {
            Some(s) => s,
            None => self.connect().await,
        };
        let mut req = Request::builder()
            .method(Method::POST)
            .uri(self.path.as_str())
            .header("Host", self.addr.as_str())
            .header("SOAPAction", "");
        if !body.is_empty() {
            req = req.header("Content-Type", "text/xml; charset=\"utf-8\"");
        }
        if let Some(c) = &self.cookie {
            req = req.header("Cookie", c.as_str());
        }
        match self.auth {
            Auth::PreemptiveBasic => {
                req = req.header(
                    "Authorization",
                    cwmp_auth::basic::authorization(&self.user, &self.password).unwrap(),
                );
            }
            Auth::Digest => {
                if let Some(d) = &mut self.digest {
                    let v = d
                        .authorization(&Method::POST, &self.path, body, &mut OsRandom)
                        .unwrap();
                    req = req.header("Authorization", v);
                }
            }
        }
        let req = req.body(Full::new(body.clone())).unwrap();
        sender.ready().await.map_err(|e| e.to_string())?;
        let resp = sender.send_request(req).await.map_err(|e| e.to_string())?;
        let (parts, b) = resp.into_parts();
        if parts.status == StatusCode::UNAUTHORIZED {
            self.last_challenges = parts
                .headers
                .get_all("www-authenticate")
                .iter()
                .map(|v| v.to_str().unwrap_or("").to_owned())
                .collect();
        }
        let b = b.collect().await.map_err(|e| e.to_string())?.to_bytes();
        if let Some(c) = parts.headers.get("set-cookie") {
            let c = c.to_str().unwrap();
            self.cookie = Some(c.split(';').next().unwrap().to_owned());
        }
        let closing = parts
            .headers
            .get("connection")
            .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"close"));
        if !closing {
            self.sender = Some(sender);
        }
        Ok(http::Response::from_parts(parts, b))
    }

    /// POSTs `body` (empty: the empty POST), answering one digest challenge. Returns the
    /// status and the body; `Err` when the connection failed (the ACS died).
    pub async fn post(&mut self, body: &str) -> Result<(StatusCode, Bytes), String> {
        let body = Bytes::copy_from_slice(body.as_bytes());
        self.last_challenges.clear();
        let resp = self.send_once(&body).await?;
        if resp.status() == StatusCode::UNAUTHORIZED && self.auth == Auth::Digest {
            let mut d = DigestClient::new(self.user.clone(), self.password.clone());
            d.handle_unauthorized(resp.headers().get_all("www-authenticate").iter(), false)
                .map_err(|e| e.to_string())?;
            self.digest = Some(d);
            let resp = self.send_once(&body).await?;
            return Ok((resp.status(), resp.into_body()));
        }
        Ok((resp.status(), resp.into_body()))
    }

    /// POSTs `body` without credentials and keeps the digest challenge of the 401 (then closes
    /// the connection): the next [`post`](Self::post) answers it, to whichever ACS.
    pub async fn fetch_challenge(&mut self, body: &str) {
        let body = Bytes::copy_from_slice(body.as_bytes());
        self.digest = None;
        let resp = self.send_once(&body).await.unwrap();
        assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
        let mut d = DigestClient::new(self.user.clone(), self.password.clone());
        d.handle_unauthorized(resp.headers().get_all("www-authenticate").iter(), false)
            .unwrap();
        self.digest = Some(d);
        self.sender = None;
    }

    /// POSTs and decodes the ACS's answer (`None` for 204).
    pub async fn exchange(&mut self, body: &str) -> Result<Option<Envelope<'static>>, String> {
        let (status, bytes) = self.post(body).await?;
        match status {
            StatusCode::NO_CONTENT => Ok(None),
            StatusCode::OK => cwmp_soap::decode(&bytes)
                .map(|e| Some(e.into_owned()))
                .map_err(|e| format!("undecodable answer: {e}")),
            s => Err(format!("HTTP {s}: {}", String::from_utf8_lossy(&bytes))),
        }
    }
}

/// A SOAP envelope in the cwmp-1-0 namespace around `body`, with cwmp:ID `id`.
pub fn envelope(id: &str, body: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<soap-env:Envelope xmlns:soap-env="http://schemas.xmlsoap.org/soap/envelope/" xmlns:soap-enc="http://schemas.xmlsoap.org/soap/encoding/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:cwmp="urn:dslforum-org:cwmp-1-0">
<soap-env:Header><cwmp:ID soap-env:mustUnderstand="1">{id}</cwmp:ID></soap-env:Header>
<soap-env:Body>{body}</soap-env:Body></soap-env:Envelope>"#
    )
}

/// An Inform of device `00AABB-Box-{serial}` with these event codes (none: an Inform without
/// events) and a ConnectionRequestURL.
pub fn inform(serial: &str, events: &[&str], cr_url: &str) -> String {
    let ev: String = events
        .iter()
        .map(|e| {
            format!(
                "<EventStruct><EventCode>{e}</EventCode><CommandKey></CommandKey></EventStruct>"
            )
        })
        .collect();
    envelope(
        "inform-1",
        &format!(
            r#"<cwmp:Inform><DeviceId><Manufacturer>Acme</Manufacturer><OUI>00AABB</OUI><ProductClass>Box</ProductClass><SerialNumber>{serial}</SerialNumber></DeviceId>
<Event soap-enc:arrayType="cwmp:EventStruct[{n}]">{ev}</Event>
<MaxEnvelopes>1</MaxEnvelopes><CurrentTime>2026-12-03T12:00:00Z</CurrentTime><RetryCount>0</RetryCount>
<ParameterList soap-enc:arrayType="cwmp:ParameterValueStruct[2]">
<ParameterValueStruct><Name>Device.ManagementServer.ConnectionRequestURL</Name><Value xsi:type="xsd:string">{cr_url}</Value></ParameterValueStruct>
<ParameterValueStruct><Name>Device.DeviceInfo.SoftwareVersion</Name><Value xsi:type="xsd:string">1.0</Value></ParameterValueStruct>
</ParameterList></cwmp:Inform>"#,
            n = events.len()
        ),
    )
}

/// The device key the ACS gives `inform(serial, …)`.
pub fn device_key(serial: &str) -> String {
    format!("00AABB-Box-{serial}")
}

/// A GetParameterValuesResponse answering `id` with one value per requested name.
pub fn gpv_response(id: &str, names: &[String], value: &str) -> String {
    let items: String = names
        .iter()
        .map(|n| {
            format!(
                "<ParameterValueStruct><Name>{n}X</Name><Value xsi:type=\"xsd:string\">{value}</Value></ParameterValueStruct>"
            )
        })
        .collect();
    envelope(
        id,
        &format!(
            "<cwmp:GetParameterValuesResponse><ParameterList soap-enc:arrayType=\"cwmp:ParameterValueStruct[{}]\">{items}</ParameterList></cwmp:GetParameterValuesResponse>",
            names.len()
        ),
    )
}

/// The cwmp:ID and parameter names of a GetParameterValues the ACS sent.
pub fn as_gpv(env: &Envelope<'_>) -> Option<(String, Vec<String>)> {
    match &env.body {
        Body::GetParameterValues(g) => Some((
            env.header.id.as_deref().unwrap_or("").to_owned(),
            g.parameter_names.iter().map(|n| n.to_string()).collect(),
        )),
        _ => None,
    }
}
