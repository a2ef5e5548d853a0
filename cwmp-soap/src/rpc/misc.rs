//! GetRPCMethods, Reboot, FactoryReset, ScheduleInform, SetVouchers, GetOptions, Kicked.

use std::borrow::Cow;

use cwmp_core::datetime::DateTimeText;
use cwmp_core::rpc::*;

use crate::describe::{Base64s, Opt, Strings, Structs, describe};

describe! {
    GetRpcMethods {}
    GetRpcMethodsResponse<'a> {
        "MethodList" methods: Vec<Cow<'a, str>> as Strings,
    }
    Reboot<'a> {
        "CommandKey" command_key: Cow<'a, str>,
    }
    RebootResponse {}
    FactoryReset {}
    FactoryResetResponse {}
    ScheduleInform<'a> {
        "DelaySeconds" delay_seconds: u32,
        "CommandKey" command_key: Cow<'a, str>,
    }
    ScheduleInformResponse {}
    SetVouchers<'a> {
        "VoucherList" vouchers: Vec<Cow<'a, str>> as Base64s,
    }
    SetVouchersResponse {}
    GetOptions<'a> {
        "OptionName" option_name: Cow<'a, str>,
    }
    /// `OptionStruct`.
    OptionInfo<'a> = "OptionStruct" {
        "OptionName" option_name: Cow<'a, str>,
        "VoucherSN" voucher_sn: u32,
        "State" state: u32,
        "Mode" mode: i32,
        "StartDate" start_date: DateTimeText<'a>,
        "ExpirationDate" expiration_date: Option<DateTimeText<'a>> as Opt,
        "IsTransferable" is_transferable: i32,
    }
    GetOptionsResponse<'a> {
        "OptionList" options: Vec<OptionInfo<'a>> as Structs,
    }
    Kicked<'a> {
        "Command" command: Cow<'a, str>,
        "Referer" referer: Cow<'a, str>,
        "Arg" arg: Cow<'a, str>,
        "Next" next: Cow<'a, str>,
    }
    KickedResponse<'a> {
        "NextURL" next_url: Cow<'a, str>,
    }
}
