//! Conversions between the engines' HTTP-level values and the `http` crate's types (feature
//! `http`), so that wiring an engine to hyper, axum or reqwest takes a few lines.

use http::header::{CONTENT_TYPE as CONTENT_TYPE_HEADER, HeaderName, HeaderValue};
use http::{HeaderMap, Method, Request, Response, StatusCode, Uri};

use super::acs::Reply;
use super::cpe::Transmit;
use super::{CONTENT_TYPE, SOAP_ACTION_HEADER_VALUE};

/// The `SOAPAction` header's name, as TR-069 spells it.
const SOAP_ACTION_NAME: &str = "soapaction";

impl Transmit<'_> {
    /// The POST to send to `uri` with `body` (the encoded envelope, or an empty body for the
    /// empty POST): `Content-Type: text/xml; charset="utf-8"` and `SOAPAction: ""` when it
    /// carries an envelope, neither on the empty POST.
    ///
    /// ```
    /// # use std::time::Instant;
    /// # use cwmp_core::{rpc::DeviceId, session::cpe::{Cpe, CpeConfig, SessionStart}};
    /// let mut cpe = Cpe::new(CpeConfig::new(DeviceId::default()));
    /// cpe.start_session(Instant::now(), SessionStart::default()).unwrap();
    /// let post = cpe.poll_transmit().unwrap();
    /// let request = post.to_http_request("http://acs.example/cwmp".parse().unwrap(), Vec::<u8>::new());
    /// assert_eq!(request.method(), "POST");
    /// assert_eq!(request.headers()["SOAPAction"], "\"\"");
    /// assert_eq!(request.headers()["Content-Type"], "text/xml; charset=\"utf-8\"");
    /// ```
    pub fn to_http_request<B>(&self, uri: Uri, body: B) -> Request<B> {
        let mut request = Request::new(body);
        *request.method_mut() = Method::POST;
        *request.uri_mut() = uri;
        let headers = request.headers_mut();
        if self.content_type.is_some() {
            headers.insert(CONTENT_TYPE_HEADER, HeaderValue::from_static(CONTENT_TYPE));
        }
        if self.soap_action.is_some() {
            headers.insert(
                HeaderName::from_static(SOAP_ACTION_NAME),
                HeaderValue::from_static(SOAP_ACTION_HEADER_VALUE),
            );
        }
        request
    }
}

impl Reply<'_> {
    /// The HTTP response for this reply with `body` (the encoded envelope; ignored for
    /// `204 No Content`, which has no body: pass an empty one).
    ///
    /// ```
    /// # use std::time::Instant;
    /// # use cwmp_core::session::acs::{AcsConfig, AcsSession};
    /// let now = Instant::now();
    /// let mut acs = AcsSession::new(AcsConfig::default(), now);
    /// acs.handle_request(None, now).unwrap();
    /// let response = acs.poll_reply().unwrap().to_http_response(Vec::<u8>::new());
    /// assert_eq!(response.status(), 204);
    /// assert!(response.headers().get("Content-Type").is_none());
    /// ```
    pub fn to_http_response<B>(&self, body: B) -> Response<B> {
        let mut response = Response::new(body);
        match self {
            Reply::Envelope { .. } => {
                response
                    .headers_mut()
                    .insert(CONTENT_TYPE_HEADER, HeaderValue::from_static(CONTENT_TYPE));
            }
            Reply::NoContent => *response.status_mut() = StatusCode::NO_CONTENT,
        }
        response
    }
}

/// Whether an HTTP message's `Content-Type` says it carries a SOAP envelope (`text/xml` or
/// `application/soap+xml`, any parameters). A 401 page, a 503 with a text body or an HTML
/// error page is not SOAP and should not be handed to the decoder; a message with no
/// `Content-Type` at all is treated as SOAP when its body is not empty (many CPEs omit it).
///
/// ```
/// # use http::HeaderMap;
/// let mut headers = HeaderMap::new();
/// headers.insert("content-type", "text/html".parse().unwrap());
/// assert!(!cwmp_core::session::is_soap_content_type(&headers));
/// headers.insert("content-type", "text/xml; charset=utf-8".parse().unwrap());
/// assert!(cwmp_core::session::is_soap_content_type(&headers));
/// assert!(cwmp_core::session::is_soap_content_type(&HeaderMap::new()));
/// ```
pub fn is_soap_content_type(headers: &HeaderMap) -> bool {
    let Some(value) = headers.get(CONTENT_TYPE_HEADER) else {
        return true;
    };
    let Ok(value) = value.to_str() else {
        return false;
    };
    let media = value.split(';').next().unwrap_or("").trim();
    media.eq_ignore_ascii_case("text/xml") || media.eq_ignore_ascii_case("application/soap+xml")
}
