//! Inform, GetOptionsResponse and Kicked (the other messages with arguments are one-liners in
//! the dispatcher).

use cwmp_core::rpc::{GetOptionsResponse, Inform, Kicked};

use super::parameters::value_list;
use super::xml::{Xml, tag};

pub(super) fn inform(x: &mut Xml<'_>, m: &Inform<'_>) {
    x.raw("<DeviceId>");
    x.leaf(tag!("Manufacturer"), &m.device_id.manufacturer);
    x.leaf(tag!("OUI"), &m.device_id.oui);
    x.leaf(tag!("ProductClass"), &m.device_id.product_class);
    x.leaf(tag!("SerialNumber"), &m.device_id.serial_number);
    x.raw("</DeviceId>");
    x.array_open("Event", "cwmp", "EventStruct", m.events.len());
    for e in &m.events {
        x.raw("<EventStruct>");
        x.leaf(tag!("EventCode"), e.code.as_str());
        x.leaf(tag!("CommandKey"), &e.command_key);
        x.raw("</EventStruct>");
    }
    x.close("Event");
    x.leaf_u64(tag!("MaxEnvelopes"), m.max_envelopes.into());
    x.leaf_datetime(tag!("CurrentTime"), &m.current_time);
    x.leaf_u64(tag!("RetryCount"), m.retry_count.into());
    value_list(x, "ParameterList", &m.parameters);
}

pub(super) fn get_options_response(x: &mut Xml<'_>, m: &GetOptionsResponse<'_>) {
    x.array_open("OptionList", "cwmp", "OptionStruct", m.options.len());
    for o in &m.options {
        x.raw("<OptionStruct>");
        x.leaf(tag!("OptionName"), &o.option_name);
        x.leaf_u64(tag!("VoucherSN"), o.voucher_sn.into());
        x.leaf_u64(tag!("State"), o.state.into());
        x.leaf_i64(tag!("Mode"), o.mode.into());
        x.leaf_datetime(tag!("StartDate"), &o.start_date);
        if let Some(t) = &o.expiration_date {
            x.leaf_datetime(tag!("ExpirationDate"), t);
        }
        x.leaf_i64(tag!("IsTransferable"), o.is_transferable.into());
        x.raw("</OptionStruct>");
    }
    x.close("OptionList");
}

pub(super) fn kicked(x: &mut Xml<'_>, m: &Kicked<'_>) {
    x.leaf(tag!("Command"), &m.command);
    x.leaf(tag!("Referer"), &m.referer);
    x.leaf(tag!("Arg"), &m.arg);
    x.leaf(tag!("Next"), &m.next);
}
