//! GetRPCMethodsResponse, Reboot, ScheduleInform, SetVouchers, GetOptions(Response), Kicked(Response).

use cwmp_core::rpc::*;

use super::strings;
use crate::decode::error::DecodeError;
use crate::decode::reader::{Elem, Parser};

pub(super) fn get_rpc_methods_response<'a>(
    p: &mut Parser<'a>,
    e: &Elem<'a>,
) -> Result<GetRpcMethodsResponse<'a>, DecodeError> {
    let mut m = GetRpcMethodsResponse::default();
    p.fields(e, &["MethodList"], 0b1, |p, _, c| {
        m.methods = strings(p, &c, "string")?;
        Ok(())
    })?;
    Ok(m)
}

pub(super) fn reboot<'a>(p: &mut Parser<'a>, e: &Elem<'a>) -> Result<Reboot<'a>, DecodeError> {
    let mut m = Reboot::default();
    p.fields(e, &["CommandKey"], 0b1, |p, _, c| {
        m.command_key = p.text(&c)?;
        Ok(())
    })?;
    Ok(m)
}

pub(super) fn schedule_inform<'a>(
    p: &mut Parser<'a>,
    e: &Elem<'a>,
) -> Result<ScheduleInform<'a>, DecodeError> {
    let mut m = ScheduleInform::default();
    p.fields(e, &["DelaySeconds", "CommandKey"], 0b11, |p, i, c| {
        match i {
            0 => m.delay_seconds = p.u32(&c)?,
            _ => m.command_key = p.text(&c)?,
        }
        Ok(())
    })?;
    Ok(m)
}

pub(super) fn set_vouchers<'a>(
    p: &mut Parser<'a>,
    e: &Elem<'a>,
) -> Result<SetVouchers<'a>, DecodeError> {
    let mut m = SetVouchers::default();
    p.fields(e, &["VoucherList"], 0b1, |p, _, c| {
        m.vouchers = strings(p, &c, "base64")?;
        Ok(())
    })?;
    Ok(m)
}

pub(super) fn get_options<'a>(
    p: &mut Parser<'a>,
    e: &Elem<'a>,
) -> Result<GetOptions<'a>, DecodeError> {
    let mut m = GetOptions::default();
    p.fields(e, &["OptionName"], 0b1, |p, _, c| {
        m.option_name = p.text(&c)?;
        Ok(())
    })?;
    Ok(m)
}

pub(super) fn get_options_response<'a>(
    p: &mut Parser<'a>,
    e: &Elem<'a>,
) -> Result<GetOptionsResponse<'a>, DecodeError> {
    let mut m = GetOptionsResponse::default();
    p.fields_repeated(e, &["OptionList"], 0b1, 0b1, |p, _, c| {
        const NAMES: &[&str] = &[
            "OptionName",
            "VoucherSN",
            "State",
            "Mode",
            "StartDate",
            "ExpirationDate",
            "IsTransferable",
        ];
        let out = &mut m.options;
        p.struct_array(
            &c,
            "OptionStruct",
            NAMES,
            (0b101_1111, 0),
            out,
            |p, o, i, f| {
                match i {
                    0 => o.option_name = p.text(&f)?,
                    1 => o.voucher_sn = p.u32(&f)?,
                    2 => o.state = p.u32(&f)?,
                    3 => o.mode = p.i32(&f)?,
                    4 => o.start_date = p.datetime(&f)?,
                    5 => o.expiration_date = Some(p.datetime(&f)?),
                    _ => o.is_transferable = p.i32(&f)?,
                }
                Ok(())
            },
        )
    })?;
    Ok(m)
}

pub(super) fn kicked<'a>(p: &mut Parser<'a>, e: &Elem<'a>) -> Result<Kicked<'a>, DecodeError> {
    let mut m = Kicked::default();
    p.fields(
        e,
        &["Command", "Referer", "Arg", "Next"],
        0b1111,
        |p, i, c| {
            let t = p.text(&c)?;
            match i {
                0 => m.command = t,
                1 => m.referer = t,
                2 => m.arg = t,
                _ => m.next = t,
            }
            Ok(())
        },
    )?;
    Ok(m)
}

pub(super) fn kicked_response<'a>(
    p: &mut Parser<'a>,
    e: &Elem<'a>,
) -> Result<KickedResponse<'a>, DecodeError> {
    let mut m = KickedResponse::default();
    p.fields(e, &["NextURL"], 0b1, |p, _, c| {
        m.next_url = p.text(&c)?;
        Ok(())
    })?;
    Ok(m)
}
