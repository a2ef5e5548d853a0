//! Inform event codes.
//!
//! [`EventCode`] is an open code: the defined ones are constants, any other text is carried
//! as-is and classified by its shape (`\d+( \S+)+`, `M \S+`, `X \S+ .+`).

use std::borrow::Cow;
use std::fmt;

/// An Inform event code, such as `0 BOOTSTRAP`, `M Download` or `X 00256D MyEvent`.
///
/// ```
/// use cwmp_core::event::{EventCode, EventKind};
/// assert_eq!(EventCode::BOOT.kind(), EventKind::Numbered(1));
/// assert!(EventCode::PERIODIC.is_single());
/// assert!(EventCode::M_DOWNLOAD.is_multiple());
/// assert_eq!(EventCode::new("X 00256D MyEvent").kind(), EventKind::Vendor);
/// assert!(!EventCode::new("M Foo Bar").is_valid());
/// ```
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(transparent))]
pub struct EventCode<'a>(pub Cow<'a, str>);

/// The shape of an event code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventKind {
    /// A numbered ("single") event: at most one per Inform. Holds the number.
    Numbered(u32),
    /// An `M <method>` ("multiple") event: one per outstanding request, each with its CommandKey.
    Method,
    /// A vendor event `X <OUI or domain> <event>`.
    Vendor,
    /// Text that matches none of the patterns.
    Invalid,
}

macro_rules! event_codes {
    ($($(#[$doc:meta])* $name:ident = $text:literal;)*) => {
        impl EventCode<'static> {
            $($(#[$doc])* pub const $name: EventCode<'static> = EventCode(Cow::Borrowed($text));)*
        }

        /// Every event code TR-069 defines.
        pub const DEFINED: &[EventCode<'static>] = &[$(EventCode::$name),*];
    };
}

event_codes! {
    /// `0 BOOTSTRAP`: first contact, after a factory reset or a change of ACS URL.
    BOOTSTRAP = "0 BOOTSTRAP";
    /// `1 BOOT`: power-up or reboot.
    BOOT = "1 BOOT";
    /// `2 PERIODIC`: periodic Inform.
    PERIODIC = "2 PERIODIC";
    /// `3 SCHEDULED`: requested by ScheduleInform.
    SCHEDULED = "3 SCHEDULED";
    /// `4 VALUE CHANGE`: a notified parameter changed.
    VALUE_CHANGE = "4 VALUE CHANGE";
    /// `5 KICKED`: the session follows a Kicked call.
    KICKED = "5 KICKED";
    /// `6 CONNECTION REQUEST`: the session answers a connection request.
    CONNECTION_REQUEST = "6 CONNECTION REQUEST";
    /// `7 TRANSFER COMPLETE`: a TransferComplete follows.
    TRANSFER_COMPLETE = "7 TRANSFER COMPLETE";
    /// `8 DIAGNOSTICS COMPLETE`: a requested diagnostic finished.
    DIAGNOSTICS_COMPLETE = "8 DIAGNOSTICS COMPLETE";
    /// `9 REQUEST DOWNLOAD`: a RequestDownload follows.
    REQUEST_DOWNLOAD = "9 REQUEST DOWNLOAD";
    /// `10 AUTONOMOUS TRANSFER COMPLETE` (1.1).
    AUTONOMOUS_TRANSFER_COMPLETE = "10 AUTONOMOUS TRANSFER COMPLETE";
    /// `11 DU STATE CHANGE COMPLETE` (1.2).
    DU_STATE_CHANGE_COMPLETE = "11 DU STATE CHANGE COMPLETE";
    /// `12 AUTONOMOUS DU STATE CHANGE COMPLETE` (1.2).
    AUTONOMOUS_DU_STATE_CHANGE_COMPLETE = "12 AUTONOMOUS DU STATE CHANGE COMPLETE";
    /// `13 WAKEUP` (1.4).
    WAKEUP = "13 WAKEUP";
    /// `14 HEARTBEAT` (Amendment 6, Annex O).
    HEARTBEAT = "14 HEARTBEAT";
    /// `M Reboot`: the Reboot with this CommandKey completed.
    M_REBOOT = "M Reboot";
    /// `M ScheduleInform`: the ScheduleInform with this CommandKey fired.
    M_SCHEDULE_INFORM = "M ScheduleInform";
    /// `M Download`: the Download with this CommandKey completed.
    M_DOWNLOAD = "M Download";
    /// `M ScheduleDownload`: the ScheduleDownload with this CommandKey completed (1.2).
    M_SCHEDULE_DOWNLOAD = "M ScheduleDownload";
    /// `M Upload`: the Upload with this CommandKey completed.
    M_UPLOAD = "M Upload";
    /// `M ChangeDUState`: the ChangeDUState with this CommandKey completed (1.2).
    M_CHANGE_DU_STATE = "M ChangeDUState";
}

impl<'a> EventCode<'a> {
    /// Wraps any text.
    pub fn new(text: impl Into<Cow<'a, str>>) -> Self {
        EventCode(text.into())
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Classifies the code by shape.
    pub fn kind(&self) -> EventKind {
        let s: &str = &self.0;
        if let Some(rest) = s.strip_prefix("M ") {
            if !rest.is_empty() && !rest.contains(char::is_whitespace) {
                return EventKind::Method;
            }
            return EventKind::Invalid;
        }
        if let Some(rest) = s.strip_prefix("X ") {
            return match rest.split_once(' ') {
                Some((org, event))
                    if !org.is_empty()
                        && !org.contains(char::is_whitespace)
                        && !event.is_empty() =>
                {
                    EventKind::Vendor
                }
                _ => EventKind::Invalid,
            };
        }
        let digits = s.bytes().take_while(u8::is_ascii_digit).count();
        match (s.get(..digits), s.get(digits..)) {
            (Some(num), Some(rest)) if digits > 0 && rest.starts_with(' ') => {
                let words_ok = rest
                    .split(' ')
                    .skip(1)
                    .all(|w| !w.is_empty() && !w.contains(char::is_whitespace));
                match (words_ok, num.parse::<u32>()) {
                    (true, Ok(n)) => EventKind::Numbered(n),
                    _ => EventKind::Invalid,
                }
            }
            _ => EventKind::Invalid,
        }
    }

    /// The CWMP version that defined the code: `10 AUTONOMOUS TRANSFER COMPLETE` 1.1;
    /// `11`, `12`, `M ScheduleDownload` and `M ChangeDUState` 1.2; `13 WAKEUP` and
    /// `14 HEARTBEAT` 1.4; every other code (vendor and unknown ones included) 1.0.
    ///
    /// ```
    /// use cwmp_core::{CwmpVersion, event::EventCode};
    /// assert_eq!(EventCode::DU_STATE_CHANGE_COMPLETE.since(), CwmpVersion::V1_2);
    /// assert_eq!(EventCode::PERIODIC.since(), CwmpVersion::V1_0);
    /// ```
    pub fn since(&self) -> crate::CwmpVersion {
        use crate::CwmpVersion::*;
        match &*self.0 {
            "10 AUTONOMOUS TRANSFER COMPLETE" => V1_1,
            "11 DU STATE CHANGE COMPLETE"
            | "12 AUTONOMOUS DU STATE CHANGE COMPLETE"
            | "M ScheduleDownload"
            | "M ChangeDUState" => V1_2,
            "13 WAKEUP" | "14 HEARTBEAT" => V1_4,
            _ => V1_0,
        }
    }

    /// Whether the code matches one of the schema patterns and is at most 64 characters.
    pub fn is_valid(&self) -> bool {
        self.kind() != EventKind::Invalid && self.0.chars().count() <= crate::limits::EVENT_CODE
    }

    /// Whether the event is "single": numbered codes appear at most once per Inform.
    /// Vendor events are treated as single too.
    pub fn is_single(&self) -> bool {
        matches!(self.kind(), EventKind::Numbered(_) | EventKind::Vendor)
    }

    /// Whether the event is "multiple": one per outstanding request, told apart by CommandKey.
    pub fn is_multiple(&self) -> bool {
        self.kind() == EventKind::Method
    }

    /// Whether an undelivered event is kept for the next attempt after a failed session
    ///: every event but `6 CONNECTION REQUEST`.
    pub fn retried_after_failure(&self) -> bool {
        self.0 != EventCode::CONNECTION_REQUEST.0
    }

    /// Whether an undelivered event survives a reboot: not `1 BOOT`, `4 VALUE CHANGE`,
    /// `6 CONNECTION REQUEST` or `8 DIAGNOSTICS COMPLETE`.
    pub fn kept_across_reboot(&self) -> bool {
        !matches!(self.kind(), EventKind::Numbered(1 | 4 | 6 | 8))
    }

    /// Converts a borrowed code into an owned one.
    pub fn into_owned(self) -> EventCode<'static> {
        EventCode(Cow::Owned(self.0.into_owned()))
    }
}

impl fmt::Debug for EventCode<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EventCode({:?})", self.0)
    }
}

impl fmt::Display for EventCode<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'a> From<&'a str> for EventCode<'a> {
    fn from(s: &'a str) -> Self {
        EventCode(Cow::Borrowed(s))
    }
}

/// One event of an Inform: its code and the CommandKey of the request it concerns (empty for
/// numbered events).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct EventStruct<'a> {
    /// The event code.
    pub code: EventCode<'a>,
    /// The CommandKey (at most 32 characters).
    pub command_key: Cow<'a, str>,
}

impl<'a> EventStruct<'a> {
    /// An event with an empty CommandKey.
    pub fn new(code: EventCode<'a>) -> Self {
        EventStruct {
            code,
            command_key: Cow::Borrowed(""),
        }
    }

    /// An event with a CommandKey (for `M` events).
    pub fn with_command_key(code: EventCode<'a>, command_key: impl Into<Cow<'a, str>>) -> Self {
        EventStruct {
            code,
            command_key: command_key.into(),
        }
    }

    /// Converts every borrowed string into an owned one.
    pub fn into_owned(self) -> EventStruct<'static> {
        EventStruct {
            code: self.code.into_owned(),
            command_key: Cow::Owned(self.command_key.into_owned()),
        }
    }
}

/// Adds `event` to a pending list following TR-069's rule: a single event already present is not added
/// again; a multiple event is added unless the same code with the same CommandKey is present.
/// Returns whether the list changed.
///
/// ```
/// use cwmp_core::event::{merge_event, EventCode, EventStruct};
/// let mut pending = vec![EventStruct::new(EventCode::PERIODIC)];
/// assert!(!merge_event(&mut pending, EventStruct::new(EventCode::PERIODIC)));
/// assert!(merge_event(&mut pending, EventStruct::with_command_key(EventCode::M_DOWNLOAD, "a")));
/// assert!(merge_event(&mut pending, EventStruct::with_command_key(EventCode::M_DOWNLOAD, "b")));
/// assert_eq!(pending.len(), 3);
/// ```
pub fn merge_event<'a>(pending: &mut Vec<EventStruct<'a>>, event: EventStruct<'a>) -> bool {
    let present = if event.code.is_multiple() {
        pending
            .iter()
            .any(|e| e.code == event.code && e.command_key == event.command_key)
    } else {
        pending.iter().any(|e| e.code == event.code)
    };
    if present {
        return false;
    }
    pending.push(event);
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_defined_code_classifies() {
        for code in DEFINED {
            assert!(code.is_valid(), "{code}");
            assert_ne!(code.kind(), EventKind::Invalid);
        }
        assert_eq!(EventCode::HEARTBEAT.kind(), EventKind::Numbered(14));
        assert_eq!(
            EventCode::AUTONOMOUS_DU_STATE_CHANGE_COMPLETE.kind(),
            EventKind::Numbered(12)
        );
        assert_eq!(EventCode::M_CHANGE_DU_STATE.kind(), EventKind::Method);
    }

    #[test]
    fn generic_patterns() {
        assert_eq!(EventCode::new("M X_ACME_Foo").kind(), EventKind::Method);
        assert_eq!(EventCode::new("X 00256D MyEvent").kind(), EventKind::Vendor);
        assert_eq!(
            EventCode::new("X example.com Some Event").kind(),
            EventKind::Vendor
        );
        assert_eq!(
            EventCode::new("15 FUTURE THING").kind(),
            EventKind::Numbered(15)
        );
        for bad in [
            "M Foo Bar",
            "M ",
            "X 00256D",
            "X  foo",
            "BOOT",
            "1",
            "1  BOOT",
            "1BOOT",
            "",
        ] {
            assert_eq!(EventCode::new(bad).kind(), EventKind::Invalid, "{bad:?}");
        }
        let long = format!("X 00256D {}", "e".repeat(55));
        assert_eq!(long.len(), 64);
        assert!(EventCode::new(long.clone()).is_valid());
        assert!(!EventCode::new(format!("{long}e")).is_valid());
    }

    #[test]
    fn retention_table_of_evt_04() {
        assert!(!EventCode::CONNECTION_REQUEST.retried_after_failure());
        assert!(EventCode::BOOT.retried_after_failure());
        assert!(EventCode::M_REBOOT.retried_after_failure());
        for (code, kept) in [
            (EventCode::BOOTSTRAP, true),
            (EventCode::BOOT, false),
            (EventCode::PERIODIC, true),
            (EventCode::SCHEDULED, true),
            (EventCode::VALUE_CHANGE, false),
            (EventCode::KICKED, true),
            (EventCode::CONNECTION_REQUEST, false),
            (EventCode::TRANSFER_COMPLETE, true),
            (EventCode::DIAGNOSTICS_COMPLETE, false),
            (EventCode::REQUEST_DOWNLOAD, true),
            (EventCode::AUTONOMOUS_TRANSFER_COMPLETE, true),
            (EventCode::DU_STATE_CHANGE_COMPLETE, true),
            (EventCode::M_DOWNLOAD, true),
        ] {
            assert_eq!(code.kept_across_reboot(), kept, "{code}");
        }
    }

    #[test]
    fn merging_single_and_multiple() {
        let mut pending = Vec::new();
        assert!(merge_event(
            &mut pending,
            EventStruct::new(EventCode::PERIODIC)
        ));
        assert!(!merge_event(
            &mut pending,
            EventStruct::new(EventCode::PERIODIC)
        ));
        assert!(merge_event(
            &mut pending,
            EventStruct::with_command_key(EventCode::M_DOWNLOAD, "k1")
        ));
        assert!(!merge_event(
            &mut pending,
            EventStruct::with_command_key(EventCode::M_DOWNLOAD, "k1")
        ));
        assert!(merge_event(
            &mut pending,
            EventStruct::with_command_key(EventCode::M_DOWNLOAD, "k2")
        ));
        assert_eq!(pending.len(), 3);
    }
}
