//! Inform and InformResponse.

use std::borrow::Cow;

use crate::datetime::DateTimeText;
use crate::event::EventStruct;
use crate::limits::{self, Validate, Violation};
use crate::owned::message;
use crate::rpc::ParameterValue;

message! {
    /// The CPE's identity (`DeviceIdStruct`).
    pub struct DeviceId<'a> {
        /// Manufacturer name (64).
        pub manufacturer: Cow<'a, str>,
        /// Organizationally Unique Identifier: six upper-case hex digits.
        pub oui: Cow<'a, str>,
        /// Product class (64), may be empty.
        pub product_class: Cow<'a, str>,
        /// Serial number (64).
        pub serial_number: Cow<'a, str>,
    }
}

message! {
    /// `Inform`: the CPE opens every session with it.
    ///
    /// ```
    /// use cwmp_core::{rpc::{DeviceId, Inform, ParameterValue}, event::{EventCode, EventStruct}};
    /// use cwmp_core::datetime::DateTimeText;
    /// let inform = Inform {
    ///     device_id: DeviceId {
    ///         manufacturer: "Acme".into(),
    ///         oui: "00256D".into(),
    ///         product_class: "Router".into(),
    ///         serial_number: "S123".into(),
    ///     },
    ///     events: vec![EventStruct::new(EventCode::BOOTSTRAP)],
    ///     max_envelopes: 1,
    ///     current_time: DateTimeText::new("2026-11-21T10:00:00Z"),
    ///     retry_count: 0,
    ///     parameters: vec![ParameterValue::new("Device.DeviceInfo.SoftwareVersion", "1.0")],
    /// };
    /// assert!(inform.has_event(&EventCode::BOOTSTRAP));
    /// ```
    pub struct Inform<'a> {
        /// `DeviceId`.
        pub device_id: DeviceId<'a>,
        /// `Event`: at most 64.
        pub events: Vec<EventStruct<'a>>,
        /// `MaxEnvelopes`: always 1 in practice.
        pub max_envelopes: u32,
        /// `CurrentTime`.
        pub current_time: DateTimeText<'a>,
        /// `RetryCount`: earlier attempts since the last successful session.
        pub retry_count: u32,
        /// `ParameterList`.
        pub parameters: Vec<ParameterValue<'a>>,
    }
}

impl Inform<'_> {
    /// Whether the Inform carries an event with this code.
    pub fn has_event(&self, code: &crate::event::EventCode<'_>) -> bool {
        self.events.iter().any(|e| e.code.as_str() == code.as_str())
    }

    /// The value of a parameter of the ParameterList.
    pub fn parameter(&self, name: &str) -> Option<&crate::value::Value<'_>> {
        self.parameters
            .iter()
            .find(|p| p.name == name)
            .map(|p| &p.value)
    }
}

message! {
    /// `InformResponse`.
    pub struct InformResponse {
        /// `MaxEnvelopes`: always 1.
        pub max_envelopes: u32,
    }
}

impl Validate for DeviceId<'_> {
    fn validate(&self, out: &mut Vec<Violation>) {
        limits::check_len(
            out,
            "Manufacturer",
            &self.manufacturer,
            limits::DEVICE_ID_FIELD,
        );
        limits::check_pattern(out, "OUI", limits::is_oui(&self.oui), "[0-9A-F]{6}");
        limits::check_len(
            out,
            "ProductClass",
            &self.product_class,
            limits::DEVICE_ID_FIELD,
        );
        limits::check_len(
            out,
            "SerialNumber",
            &self.serial_number,
            limits::DEVICE_ID_FIELD,
        );
    }
}

impl Validate for EventStruct<'_> {
    fn validate(&self, out: &mut Vec<Violation>) {
        limits::check_len(out, "EventCode", self.code.as_str(), limits::EVENT_CODE);
        limits::check_pattern(
            out,
            "EventCode",
            self.code.kind() != crate::event::EventKind::Invalid,
            r"\d+( \S+)+ | M \S+ | X \S+ .+",
        );
        limits::check_len(out, "CommandKey", &self.command_key, limits::COMMAND_KEY);
    }
}

impl Validate for Inform<'_> {
    fn validate(&self, out: &mut Vec<Violation>) {
        self.device_id.validate(out);
        limits::check_count(out, "Event", self.events.len(), 0, limits::MAX_EVENTS);
        self.events.validate(out);
        limits::check_pattern(
            out,
            "CurrentTime",
            self.current_time.parse().is_ok(),
            "xs:dateTime",
        );
        self.parameters.validate(out);
    }
}

impl Validate for InformResponse {
    fn validate(&self, _: &mut Vec<Violation>) {}
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::{EventCode, EventStruct};
    use crate::limits::ViolationKind;

    #[test]
    fn inform_limits() {
        let mut inform = Inform {
            device_id: DeviceId {
                manufacturer: "Acme".into(),
                oui: "00a0c9".into(),
                product_class: "".into(),
                serial_number: "1".into(),
            },
            current_time: DateTimeText::new("2019-03-05T11:54::14"),
            ..Inform::default()
        };
        inform.events = (0..65)
            .map(|_| EventStruct::new(EventCode::PERIODIC))
            .collect();
        let v = inform.violations();
        let fields: Vec<_> = v.iter().map(|v| v.field).collect();
        assert_eq!(fields, vec!["OUI", "Event", "CurrentTime"]);
        assert_eq!(v[1].kind, ViolationKind::TooMany { max: 64, len: 65 });
        inform.device_id.oui = "00A0C9".into();
        inform.events.truncate(64);
        inform.current_time = DateTimeText::UNKNOWN;
        assert!(inform.is_valid());
        assert_eq!(inform.clone().into_owned(), inform);
    }
}
