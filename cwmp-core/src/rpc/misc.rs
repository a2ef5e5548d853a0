//! The remaining RPCs: GetRPCMethods, Reboot, FactoryReset, ScheduleInform, SetVouchers,
//! GetOptions, Kicked.

use std::borrow::Cow;

use crate::datetime::DateTimeText;
use crate::limits::{self, Validate, Violation};
use crate::owned::message;
use crate::rpc::transfer::nothing_to_validate;

message! {
    /// `GetRPCMethods` (empty request; either side may send it).
    pub struct GetRpcMethods {}
}

message! {
    /// `GetRPCMethodsResponse`.
    pub struct GetRpcMethodsResponse<'a> {
        /// `MethodList`: method names (64).
        pub methods: Vec<Cow<'a, str>>,
    }
}

message! {
    /// `Reboot`.
    pub struct Reboot<'a> {
        /// `CommandKey` (32), returned with the `M Reboot` event.
        pub command_key: Cow<'a, str>,
    }
}

message! {
    /// `RebootResponse` (empty).
    pub struct RebootResponse {}
}

message! {
    /// `FactoryReset` (empty request).
    pub struct FactoryReset {}
}

message! {
    /// `FactoryResetResponse` (empty).
    pub struct FactoryResetResponse {}
}

message! {
    /// `ScheduleInform`.
    pub struct ScheduleInform<'a> {
        /// `DelaySeconds` before the Inform.
        pub delay_seconds: u32,
        /// `CommandKey` (32), returned with the `M ScheduleInform` event.
        pub command_key: Cow<'a, str>,
    }
}

message! {
    /// `ScheduleInformResponse` (empty).
    pub struct ScheduleInformResponse {}
}

message! {
    /// `SetVouchers`.
    pub struct SetVouchers<'a> {
        /// `VoucherList`: base64 text of signed vouchers, at least one.
        pub vouchers: Vec<Cow<'a, str>>,
    }
}

message! {
    /// `SetVouchersResponse` (empty).
    pub struct SetVouchersResponse {}
}

message! {
    /// `GetOptions`.
    pub struct GetOptions<'a> {
        /// `OptionName` (64); empty asks for every option.
        pub option_name: Cow<'a, str>,
    }
}

message! {
    /// `OptionStruct`.
    pub struct OptionInfo<'a> {
        /// `OptionName` (64).
        pub option_name: Cow<'a, str>,
        /// `VoucherSN`.
        pub voucher_sn: u32,
        /// `State` (0–3).
        pub state: u32,
        /// `Mode`: 0 disabled, 1 enabled with expiration, 2 enabled without.
        pub mode: i32,
        /// `StartDate`.
        pub start_date: DateTimeText<'a>,
        /// `ExpirationDate` (optional).
        pub expiration_date: Option<DateTimeText<'a>>,
        /// `IsTransferable`: 0 or 1.
        pub is_transferable: i32,
    }
}

message! {
    /// `GetOptionsResponse`.
    pub struct GetOptionsResponse<'a> {
        /// `OptionList`.
        pub options: Vec<OptionInfo<'a>>,
    }
}

message! {
    /// `Kicked`: the CPE relays a web-portal kick.
    pub struct Kicked<'a> {
        /// `Command` (32).
        pub command: Cow<'a, str>,
        /// `Referer` (64).
        pub referer: Cow<'a, str>,
        /// `Arg` (256).
        pub arg: Cow<'a, str>,
        /// `Next` (1024).
        pub next: Cow<'a, str>,
    }
}

message! {
    /// `KickedResponse`.
    pub struct KickedResponse<'a> {
        /// `NextURL` (1024).
        pub next_url: Cow<'a, str>,
    }
}

impl Validate for GetRpcMethodsResponse<'_> {
    fn validate(&self, out: &mut Vec<Violation>) {
        for m in &self.methods {
            limits::check_len(out, "MethodList", m, limits::METHOD_NAME);
        }
    }
}

impl Validate for Reboot<'_> {
    fn validate(&self, out: &mut Vec<Violation>) {
        limits::check_len(out, "CommandKey", &self.command_key, limits::COMMAND_KEY);
    }
}

impl Validate for ScheduleInform<'_> {
    fn validate(&self, out: &mut Vec<Violation>) {
        limits::check_len(out, "CommandKey", &self.command_key, limits::COMMAND_KEY);
    }
}

impl Validate for SetVouchers<'_> {
    fn validate(&self, out: &mut Vec<Violation>) {
        limits::check_count(out, "VoucherList", self.vouchers.len(), 1, usize::MAX);
    }
}

impl Validate for GetOptions<'_> {
    fn validate(&self, out: &mut Vec<Violation>) {
        limits::check_len(out, "OptionName", &self.option_name, limits::OPTION_NAME);
    }
}

impl Validate for OptionInfo<'_> {
    fn validate(&self, out: &mut Vec<Violation>) {
        limits::check_len(out, "OptionName", &self.option_name, limits::OPTION_NAME);
        limits::check_pattern(
            out,
            "StartDate",
            self.start_date.parse().is_ok(),
            "xs:dateTime",
        );
        if let Some(e) = &self.expiration_date {
            limits::check_pattern(out, "ExpirationDate", e.parse().is_ok(), "xs:dateTime");
        }
    }
}

impl Validate for GetOptionsResponse<'_> {
    fn validate(&self, out: &mut Vec<Violation>) {
        self.options.validate(out);
    }
}

impl Validate for Kicked<'_> {
    fn validate(&self, out: &mut Vec<Violation>) {
        limits::check_len(out, "Command", &self.command, limits::KICKED_COMMAND);
        limits::check_len(out, "Referer", &self.referer, limits::KICKED_REFERER);
        limits::check_len(out, "Arg", &self.arg, limits::TEXT_256);
        limits::check_len(out, "Next", &self.next, limits::LONG_URL);
    }
}

impl Validate for KickedResponse<'_> {
    fn validate(&self, out: &mut Vec<Violation>) {
        limits::check_len(out, "NextURL", &self.next_url, limits::LONG_URL);
    }
}

nothing_to_validate!(
    GetRpcMethods,
    RebootResponse,
    FactoryReset,
    FactoryResetResponse,
    ScheduleInformResponse,
    SetVouchersResponse
);
