//! The parameter RPCs: Get/SetParameterValues, GetParameterNames, Get/SetParameterAttributes,
//! AddObject, DeleteObject.

use std::borrow::Cow;

use crate::filetype::Notification;
use crate::limits::{self, Validate, Violation, ViolationKind};
use crate::owned::message;
use crate::value::Value;

message! {
    /// `ParameterValueStruct`: a name and a typed value.
    pub struct ParameterValue<'a> {
        /// `Name` (256).
        pub name: Cow<'a, str>,
        /// `Value` with its `xsi:type`.
        pub value: Value<'a>,
    }
}

impl<'a> ParameterValue<'a> {
    /// A parameter with a value of any type that converts into [`Value`] (a `&str` becomes
    /// `xsd:string`, a `u32` `xsd:unsignedInt`, a `bool` `xsd:boolean` ...).
    pub fn new(name: impl Into<Cow<'a, str>>, value: impl Into<Value<'a>>) -> Self {
        ParameterValue {
            name: name.into(),
            value: value.into(),
        }
    }
}

message! {
    /// `ParameterInfoStruct`: a name and whether it is writable.
    pub struct ParameterInfo<'a> {
        /// `Name` (256); partial paths end with a dot.
        pub name: Cow<'a, str>,
        /// `Writable`.
        pub writable: bool,
    }
}

message! {
    /// `SetParameterAttributesStruct`.
    pub struct SetParameterAttribute<'a> {
        /// `Name` (256).
        pub name: Cow<'a, str>,
        /// `NotificationChange`: whether `notification` is to be applied.
        pub notification_change: bool,
        /// `Notification`.
        pub notification: Notification,
        /// `AccessListChange`: whether `access_list` is to be applied.
        pub access_list_change: bool,
        /// `AccessList` (entries of 64; `Subscriber` is the only defined one).
        pub access_list: Vec<Cow<'a, str>>,
    }
}

message! {
    /// `ParameterAttributeStruct`.
    pub struct ParameterAttribute<'a> {
        /// `Name` (256).
        pub name: Cow<'a, str>,
        /// `Notification`.
        pub notification: Notification,
        /// `AccessList`.
        pub access_list: Vec<Cow<'a, str>>,
    }
}

message! {
    /// `GetParameterValues`.
    ///
    /// ```
    /// use cwmp_core::rpc::GetParameterValues;
    /// let gpv = GetParameterValues::new(["Device.DeviceInfo.", "Device.ManagementServer.URL"]);
    /// assert_eq!(gpv.parameter_names.len(), 2);
    /// ```
    pub struct GetParameterValues<'a> {
        /// `ParameterNames`: full names or partial paths.
        pub parameter_names: Vec<Cow<'a, str>>,
    }
}

impl<'a> GetParameterValues<'a> {
    /// A request for these names.
    pub fn new<S: Into<Cow<'a, str>>>(names: impl IntoIterator<Item = S>) -> Self {
        GetParameterValues {
            parameter_names: names.into_iter().map(Into::into).collect(),
        }
    }
}

message! {
    /// `GetParameterValuesResponse`.
    pub struct GetParameterValuesResponse<'a> {
        /// `ParameterList`.
        pub parameters: Vec<ParameterValue<'a>>,
    }
}

message! {
    /// `SetParameterValues`.
    ///
    /// ```
    /// use cwmp_core::rpc::{ParameterValue, SetParameterValues};
    /// let spv = SetParameterValues {
    ///     parameters: vec![ParameterValue::new("Device.ManagementServer.PeriodicInformInterval", 300u32)],
    ///     parameter_key: "k1".into(),
    /// };
    /// assert_eq!(spv.parameters[0].value.text, "300");
    /// ```
    pub struct SetParameterValues<'a> {
        /// `ParameterList`.
        pub parameters: Vec<ParameterValue<'a>>,
        /// `ParameterKey` (32).
        pub parameter_key: Cow<'a, str>,
    }
}

message! {
    /// `SetParameterValuesResponse`.
    pub struct SetParameterValuesResponse {
        /// `Status`: 0 applied, 1 committed but applied later (e.g. after a reboot).
        pub status: i32,
    }
}

message! {
    /// `GetParameterNames`.
    pub struct GetParameterNames<'a> {
        /// `ParameterPath`: a full name, a partial path, or empty for the top.
        pub parameter_path: Cow<'a, str>,
        /// `NextLevel`.
        pub next_level: bool,
    }
}

message! {
    /// `GetParameterNamesResponse`.
    pub struct GetParameterNamesResponse<'a> {
        /// `ParameterList`.
        pub parameters: Vec<ParameterInfo<'a>>,
    }
}

message! {
    /// `SetParameterAttributes`.
    pub struct SetParameterAttributes<'a> {
        /// `ParameterList`: at least one entry.
        pub parameters: Vec<SetParameterAttribute<'a>>,
    }
}

message! {
    /// `SetParameterAttributesResponse` (empty).
    pub struct SetParameterAttributesResponse {}
}

message! {
    /// `GetParameterAttributes`.
    pub struct GetParameterAttributes<'a> {
        /// `ParameterNames`.
        pub parameter_names: Vec<Cow<'a, str>>,
    }
}

message! {
    /// `GetParameterAttributesResponse`.
    pub struct GetParameterAttributesResponse<'a> {
        /// `ParameterList`.
        pub parameters: Vec<ParameterAttribute<'a>>,
    }
}

message! {
    /// `AddObject`.
    pub struct AddObject<'a> {
        /// `ObjectName`: the table's path, ending with a dot.
        pub object_name: Cow<'a, str>,
        /// `ParameterKey` (32).
        pub parameter_key: Cow<'a, str>,
    }
}

message! {
    /// `AddObjectResponse`.
    pub struct AddObjectResponse {
        /// `InstanceNumber` of the new instance (≥ 1).
        pub instance_number: u32,
        /// `Status`: 0 created, 1 committed but applied later.
        pub status: i32,
    }
}

message! {
    /// `DeleteObject`.
    pub struct DeleteObject<'a> {
        /// `ObjectName`: the instance's path, ending with a dot.
        pub object_name: Cow<'a, str>,
        /// `ParameterKey` (32).
        pub parameter_key: Cow<'a, str>,
    }
}

message! {
    /// `DeleteObjectResponse`.
    pub struct DeleteObjectResponse {
        /// `Status`: 0 deleted, 1 committed but applied later.
        pub status: i32,
    }
}

fn check_names(out: &mut Vec<Violation>, field: &'static str, names: &[Cow<'_, str>], max: usize) {
    for name in names {
        limits::check_len(out, field, name, max);
    }
}

fn check_status(out: &mut Vec<Violation>, status: i32) {
    if !(0..=1).contains(&status) {
        out.push(Violation {
            field: "Status",
            kind: ViolationKind::OutOfRange(i64::from(status)),
        });
    }
}

impl Validate for ParameterValue<'_> {
    fn validate(&self, out: &mut Vec<Violation>) {
        limits::check_len(out, "Name", &self.name, limits::PARAMETER_NAME);
    }
}

impl Validate for ParameterInfo<'_> {
    fn validate(&self, out: &mut Vec<Violation>) {
        limits::check_len(out, "Name", &self.name, limits::PARAMETER_NAME);
    }
}

impl Validate for SetParameterAttribute<'_> {
    fn validate(&self, out: &mut Vec<Violation>) {
        limits::check_len(out, "Name", &self.name, limits::PARAMETER_NAME);
        if !self.notification.is_defined() {
            out.push(Violation {
                field: "Notification",
                kind: ViolationKind::OutOfRange(i64::from(self.notification.get())),
            });
        }
        check_names(
            out,
            "AccessList",
            &self.access_list,
            limits::ACCESS_LIST_ENTRY,
        );
    }
}

impl Validate for ParameterAttribute<'_> {
    fn validate(&self, out: &mut Vec<Violation>) {
        limits::check_len(out, "Name", &self.name, limits::PARAMETER_NAME);
        if !self.notification.is_defined() {
            out.push(Violation {
                field: "Notification",
                kind: ViolationKind::OutOfRange(i64::from(self.notification.get())),
            });
        }
        check_names(
            out,
            "AccessList",
            &self.access_list,
            limits::ACCESS_LIST_ENTRY,
        );
    }
}

impl Validate for GetParameterValues<'_> {
    fn validate(&self, out: &mut Vec<Violation>) {
        check_names(
            out,
            "ParameterNames",
            &self.parameter_names,
            limits::PARAMETER_NAME,
        );
    }
}

impl Validate for GetParameterValuesResponse<'_> {
    fn validate(&self, out: &mut Vec<Violation>) {
        self.parameters.validate(out);
    }
}

impl Validate for SetParameterValues<'_> {
    fn validate(&self, out: &mut Vec<Violation>) {
        self.parameters.validate(out);
        limits::check_len(
            out,
            "ParameterKey",
            &self.parameter_key,
            limits::PARAMETER_KEY,
        );
    }
}

impl Validate for SetParameterValuesResponse {
    fn validate(&self, out: &mut Vec<Violation>) {
        check_status(out, self.status);
    }
}

impl Validate for GetParameterNames<'_> {
    fn validate(&self, out: &mut Vec<Violation>) {
        limits::check_len(
            out,
            "ParameterPath",
            &self.parameter_path,
            limits::PARAMETER_NAME,
        );
    }
}

impl Validate for GetParameterNamesResponse<'_> {
    fn validate(&self, out: &mut Vec<Violation>) {
        self.parameters.validate(out);
    }
}

impl Validate for SetParameterAttributes<'_> {
    fn validate(&self, out: &mut Vec<Violation>) {
        self.parameters.validate(out);
    }
}

impl Validate for SetParameterAttributesResponse {
    fn validate(&self, _: &mut Vec<Violation>) {}
}

impl Validate for GetParameterAttributes<'_> {
    fn validate(&self, out: &mut Vec<Violation>) {
        check_names(
            out,
            "ParameterNames",
            &self.parameter_names,
            limits::PARAMETER_NAME,
        );
    }
}

impl Validate for GetParameterAttributesResponse<'_> {
    fn validate(&self, out: &mut Vec<Violation>) {
        self.parameters.validate(out);
    }
}

impl Validate for AddObject<'_> {
    fn validate(&self, out: &mut Vec<Violation>) {
        limits::check_len(out, "ObjectName", &self.object_name, limits::PARAMETER_NAME);
        limits::check_pattern(out, "ObjectName", self.object_name.ends_with('.'), r".*\.");
        limits::check_len(
            out,
            "ParameterKey",
            &self.parameter_key,
            limits::PARAMETER_KEY,
        );
    }
}

impl Validate for AddObjectResponse {
    fn validate(&self, out: &mut Vec<Violation>) {
        check_status(out, self.status);
    }
}

impl Validate for DeleteObject<'_> {
    fn validate(&self, out: &mut Vec<Violation>) {
        limits::check_len(out, "ObjectName", &self.object_name, limits::PARAMETER_NAME);
        limits::check_pattern(out, "ObjectName", self.object_name.ends_with('.'), r".*\.");
        limits::check_len(
            out,
            "ParameterKey",
            &self.parameter_key,
            limits::PARAMETER_KEY,
        );
    }
}

impl Validate for DeleteObjectResponse {
    fn validate(&self, out: &mut Vec<Violation>) {
        check_status(out, self.status);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn object_name_needs_its_trailing_dot() {
        let add = AddObject {
            object_name: "Device.IP.Interface".into(),
            parameter_key: "".into(),
        };
        assert_eq!(add.violations()[0].kind, ViolationKind::Pattern(r".*\."));
        let add = AddObject {
            object_name: "Device.IP.Interface.".into(),
            parameter_key: "k".repeat(32).into(),
        };
        assert!(add.is_valid());
        let add = AddObject {
            object_name: "Device.IP.Interface.".into(),
            parameter_key: "k".repeat(33).into(),
        };
        assert_eq!(add.violations()[0].field, "ParameterKey");
    }

    #[test]
    fn names_at_256() {
        let ok = GetParameterValues::new(["a".repeat(256)]);
        assert!(ok.is_valid());
        let bad = GetParameterValues::new(["a".repeat(257)]);
        assert_eq!(
            bad.violations()[0].kind,
            ViolationKind::TooLong { max: 256, len: 257 }
        );
        let spa = SetParameterAttributes {
            parameters: vec![SetParameterAttribute {
                name: "Device.X".into(),
                notification: Notification::new(7),
                ..SetParameterAttribute::default()
            }],
        };
        assert_eq!(spa.violations()[0].field, "Notification");
        assert!(SetParameterValuesResponse { status: 2 }.violations().len() == 1);
    }
}
