//! Small string helpers over instance names (`Device.IP.Interface.3.Enable`), shared by the
//! tree and the in-memory backend.

/// Whether `path` is an object path (ends with `.`).
pub(crate) fn is_object(path: &str) -> bool {
    path.ends_with('.')
}

/// The instance number when `path` is an instance object (`X.Y.3.` → 3).
pub(crate) fn instance_number(path: &str) -> Option<u32> {
    let last = path.strip_suffix('.')?.rsplit('.').next()?;
    if last.is_empty() || !last.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    last.parse().ok()
}

/// The parent object of a parameter or object path (`A.B.C` → `A.B.`, `A.B.` → `A.`,
/// `A.` → `None`).
pub(crate) fn parent(path: &str) -> Option<&str> {
    let trimmed = path.strip_suffix('.').unwrap_or(path);
    trimmed.rfind('.').and_then(|i| path.get(..=i))
}

/// Whether `path` is `object` itself or below it (`object` ends with `.`).
pub(crate) fn is_under(path: &str, object: &str) -> bool {
    path.starts_with(object)
}

/// The direct-child part of `path` below `object`, or `None` when `path` is not a direct
/// child (`A.` and `A.B` → `B`; `A.` and `A.B.` → `B.`; `A.` and `A.B.C` → `None`).
pub(crate) fn direct_child<'p>(path: &'p str, object: &str) -> Option<&'p str> {
    let rest = path.strip_prefix(object)?;
    if rest.is_empty() {
        return None;
    }
    match rest.find('.') {
        None => Some(rest),
        Some(i) if i + 1 == rest.len() && i > 0 => Some(rest),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpers() {
        assert_eq!(instance_number("Device.IP.Interface.3."), Some(3));
        assert_eq!(instance_number("Device.IP.Interface."), None);
        assert_eq!(instance_number("Device.IP.Interface.3"), None);
        assert_eq!(
            parent("Device.IP.Interface.3."),
            Some("Device.IP.Interface.")
        );
        assert_eq!(parent("Device.IP.Enable"), Some("Device.IP."));
        assert_eq!(parent("Device."), None);
        assert_eq!(
            direct_child("Device.IP.Enable", "Device.IP."),
            Some("Enable")
        );
        assert_eq!(
            direct_child("Device.IP.Interface.", "Device.IP."),
            Some("Interface.")
        );
        assert_eq!(direct_child("Device.IP.Interface.1.", "Device.IP."), None);
        assert_eq!(direct_child("Device.", ""), Some("Device."));
        assert!(is_object("Device."));
        assert!(is_under("Device.IP.Enable", "Device.IP."));
    }
}
