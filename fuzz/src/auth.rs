//! An independent RFC 7616 / RFC 2617 digest computation, used as an oracle.

use cwmp_auth::Algorithm;
use cwmp_auth::header::Challenge;

/// The `response` a correct client sends for the parsed credentials `cred`, computed from
/// the RFC text (not from the crate's `ResponseInput`). `None` when the credentials lack a
/// field the computation needs or name an unknown algorithm or qop. `user` is the real user
/// name (needed when the credentials carry a `userhash`).
pub fn reference_response(
    cred: &Challenge<'_>,
    user: &str,
    password: &str,
    method: &str,
    body: &[u8],
) -> Option<String> {
    let alg = match cred.param("algorithm") {
        Some(a) => Algorithm::parse(a.trim()).ok()?,
        None => Algorithm::Md5,
    };
    let realm = cred.param("realm")?;
    let nonce = cred.param("nonce")?;
    let uri = cred.param("uri")?;
    // The wire name is compared ignoring case, and hashed in its canonical form.
    let qop = match cred.param("qop") {
        Some(q) => Some(cwmp_auth::Qop::parse(q.trim())?.as_str()),
        None => None,
    };
    let h = |parts: &[&[u8]]| alg.hash_joined(parts);
    let mut ha1 = h(&[user.as_bytes(), realm.as_bytes(), password.as_bytes()]);
    let ha2 = match qop {
        None | Some("auth") => h(&[method.as_bytes(), uri.as_bytes()]),
        Some("auth-int") => {
            let hb = h(&[body]);
            h(&[method.as_bytes(), uri.as_bytes(), hb.as_bytes()])
        }
        Some(_) => return None,
    };
    match qop {
        None => {
            if alg.is_session() {
                return None;
            }
            Some(h(&[ha1.as_bytes(), nonce.as_bytes(), ha2.as_bytes()]))
        }
        Some(q) => {
            let nc = cred.param("nc")?.trim();
            let cnonce = cred.param("cnonce")?;
            if alg.is_session() {
                ha1 = h(&[ha1.as_bytes(), nonce.as_bytes(), cnonce.as_bytes()]);
            }
            Some(h(&[
                ha1.as_bytes(),
                nonce.as_bytes(),
                nc.as_bytes(),
                cnonce.as_bytes(),
                q.as_bytes(),
                ha2.as_bytes(),
            ]))
        }
    }
}
