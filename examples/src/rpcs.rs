//! Writing ACS requests on a command line (`--queue gpv:Device.DeviceInfo.`) or in JSON (the
//! admin API, cwmp-core's serde shapes), and one-line summaries of messages for transcripts.

use std::borrow::Cow;

use cwmp_core::Body;
use cwmp_core::datetime::DateTimeText;
use cwmp_core::filetype::FileType;
use cwmp_core::rpc::{
    AddObject, DeleteObject, Download, FactoryReset, GetParameterAttributes, GetParameterNames,
    GetParameterValues, GetRpcMethods, ParameterValue, Reboot, ScheduleInform, SetParameterValues,
};
use cwmp_core::value::{Value, ValueType};

/// The short forms accepted by `--queue`, for help texts.
pub const SHORT_FORMS: &str = "gpv:NAME[,NAME..] | spv:NAME[:TYPE]=VALUE | gpn:PATH[:false] | \
gpa:NAME | add:TABLE. | del:TABLE.N. | reboot[:KEY] | factoryreset | download:URL | \
schedule:SECONDS | rpcmethods | json:{cwmp-core serde Body}";

/// Parses one `--queue` value into a request body.
pub fn parse_short(spec: &str) -> Result<Body<'static>, String> {
    let (verb, arg) = spec.split_once(':').unwrap_or((spec, ""));
    let owned = |s: &str| Cow::Owned(s.to_owned());
    let need = |what: &str| -> Result<(), String> {
        if arg.is_empty() {
            Err(format!("{spec:?}: {verb} needs {what}"))
        } else {
            Ok(())
        }
    };
    Ok(match verb {
        "gpv" => {
            need("parameter names")?;
            GetParameterValues {
                parameter_names: arg.split(',').map(owned).collect(),
            }
            .into()
        }
        "gpa" => {
            need("parameter names")?;
            GetParameterAttributes {
                parameter_names: arg.split(',').map(owned).collect(),
            }
            .into()
        }
        "gpn" => {
            let (path, next) = match arg.rsplit_once(':') {
                Some((p, "false")) => (p, false),
                Some((p, "true")) => (p, true),
                _ => (arg, true),
            };
            GetParameterNames {
                parameter_path: owned(path),
                next_level: next,
            }
            .into()
        }
        "spv" => {
            let (lhs, value) = arg
                .split_once('=')
                .ok_or_else(|| format!("{spec:?}: spv needs NAME[:TYPE]=VALUE"))?;
            let (name, ty) = match lhs.split_once(':') {
                Some((n, t)) => (
                    n,
                    ValueType::from_xsd_name(t.trim_start_matches("xsd:")).into_owned(),
                ),
                None => (lhs, ValueType::String),
            };
            if name.is_empty() {
                return Err(format!("{spec:?}: spv needs a name"));
            }
            SetParameterValues {
                parameters: vec![ParameterValue {
                    name: owned(name),
                    value: Value::new(ty, value.to_owned()),
                }],
                parameter_key: owned(&format!("cli-{}", crate::net::unix_now())),
            }
            .into()
        }
        "add" => {
            need("a table path")?;
            AddObject {
                object_name: owned(arg),
                parameter_key: owned("add"),
            }
            .into()
        }
        "del" => {
            need("an instance path")?;
            DeleteObject {
                object_name: owned(arg),
                parameter_key: owned("del"),
            }
            .into()
        }
        "reboot" => Reboot {
            command_key: owned(if arg.is_empty() { "reboot" } else { arg }),
        }
        .into(),
        "factoryreset" => FactoryReset {}.into(),
        "rpcmethods" => GetRpcMethods {}.into(),
        "download" => {
            need("a URL")?;
            Download {
                command_key: owned("download"),
                file_type: FileType::FIRMWARE_UPGRADE_IMAGE,
                url: owned(arg),
                ..Download::default()
            }
            .into()
        }
        "schedule" => ScheduleInform {
            delay_seconds: arg
                .parse()
                .map_err(|_| format!("{spec:?}: schedule needs seconds"))?,
            command_key: owned("scheduled"),
        }
        .into(),
        "json" => parse_json(arg.as_bytes())?
            .into_iter()
            .next()
            .ok_or_else(|| format!("{spec:?}: empty JSON list"))?,
        _ => return Err(format!("{spec:?}: unknown request; use {SHORT_FORMS}")),
    })
}

/// Parses a JSON request body: one cwmp-core `Body` (`{"GetParameterValues":
/// {"parameter_names": ["Device.DeviceInfo."]}}`), a list of them, or short forms as strings
/// (`["gpv:Device.DeviceInfo."]`).
pub fn parse_json(bytes: &[u8]) -> Result<Vec<Body<'static>>, String> {
    let v: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|e| format!("invalid JSON: {e}"))?;
    let items = match v {
        serde_json::Value::Array(items) => items,
        one => vec![one],
    };
    items
        .into_iter()
        .map(|item| match item {
            serde_json::Value::String(s) => parse_short(&s),
            other => serde_json::from_value::<Body<'static>>(other)
                .map_err(|e| format!("not a cwmp-core Body: {e}")),
        })
        .collect()
}

fn list<'a>(names: impl IntoIterator<Item = &'a str>, max: usize) -> String {
    let all: Vec<&str> = names.into_iter().collect();
    let mut shown: Vec<String> = all.iter().take(max).map(|s| (*s).to_owned()).collect();
    if all.len() > max {
        shown.push(format!("… {} more", all.len() - max));
    }
    shown.join(", ")
}

fn value(pv: &ParameterValue<'_>) -> String {
    let text: String = pv.value.text.chars().take(60).collect();
    format!("{}={:?}", pv.name, text)
}

/// A one-line human summary of a message: its name and key values.
pub fn summary(body: &Body<'_>) -> String {
    let name = body.name();
    let detail = match body {
        Body::Inform(i) => format!(
            "{}-{}-{} events [{}]",
            i.device_id.oui,
            i.device_id.product_class,
            i.device_id.serial_number,
            list(i.events.iter().map(|e| e.code.as_str()), 8)
        ),
        Body::GetParameterValues(r) => list(r.parameter_names.iter().map(|s| s.as_ref()), 4),
        Body::GetParameterValuesResponse(r) => {
            let shown: Vec<String> = r.parameters.iter().take(4).map(value).collect();
            let more = r.parameters.len().saturating_sub(4);
            let more = if more > 0 {
                format!(", … {more} more")
            } else {
                String::new()
            };
            format!("{} values: {}{more}", r.parameters.len(), shown.join(", "))
        }
        Body::SetParameterValues(r) => format!(
            "{} key {:?}",
            r.parameters
                .iter()
                .map(value)
                .collect::<Vec<_>>()
                .join(", "),
            r.parameter_key
        ),
        Body::SetParameterValuesResponse(r) => format!("status {}", r.status),
        Body::GetParameterNames(r) => {
            format!("{:?} next_level={}", r.parameter_path, r.next_level)
        }
        Body::GetParameterNamesResponse(r) => format!(
            "{} names: {}",
            r.parameters.len(),
            list(r.parameters.iter().map(|p| p.name.as_ref()), 4)
        ),
        Body::GetParameterAttributes(r) => list(r.parameter_names.iter().map(|s| s.as_ref()), 4),
        Body::GetParameterAttributesResponse(r) => format!("{} attributes", r.parameters.len()),
        Body::AddObject(r) => format!("{} key {:?}", r.object_name, r.parameter_key),
        Body::AddObjectResponse(r) => {
            format!("instance {} status {}", r.instance_number, r.status)
        }
        Body::DeleteObject(r) => format!("{} key {:?}", r.object_name, r.parameter_key),
        Body::DeleteObjectResponse(r) => format!("status {}", r.status),
        Body::Reboot(r) => format!("command key {:?}", r.command_key),
        Body::Download(r) => format!("{} {} key {:?}", r.file_type.as_str(), r.url, r.command_key),
        Body::DownloadResponse(r) => format!("status {}", r.status),
        Body::TransferComplete(r) => {
            format!("key {:?} fault {}", r.command_key, r.fault.code.get())
        }
        Body::ScheduleInform(r) => format!("in {} s key {:?}", r.delay_seconds, r.command_key),
        Body::GetRpcMethodsResponse(r) => list(r.methods.iter().map(|s| s.as_ref()), 20),
        Body::Fault(f) => {
            let mut s = format!("{} {}", f.code.get(), f.message);
            for e in &f.set_parameter_values_faults {
                s.push_str(&format!("; {} {}", e.parameter_name, e.code.get()));
            }
            s
        }
        _ => String::new(),
    };
    if detail.is_empty() {
        name.to_owned()
    } else {
        format!("{name} {detail}")
    }
}

/// The Unknown Time, for DateTime fields the examples do not track.
pub fn unknown_time() -> DateTimeText<'static> {
    DateTimeText::UNKNOWN
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_forms() {
        let b = parse_short("gpv:Device.DeviceInfo.,Device.ManagementServer.URL").unwrap();
        assert!(matches!(&b, Body::GetParameterValues(g) if g.parameter_names.len() == 2));
        let b = parse_short("spv:Device.ManagementServer.PeriodicInformInterval:unsignedInt=60")
            .unwrap();
        let Body::SetParameterValues(s) = b else {
            panic!("spv")
        };
        assert_eq!(s.parameters[0].value.ty, ValueType::UnsignedInt);
        assert_eq!(s.parameters[0].value.text, "60");
        let b = parse_short("gpn:Device.:false").unwrap();
        assert!(
            matches!(&b, Body::GetParameterNames(g) if !g.next_level && g.parameter_path == "Device.")
        );
        assert!(matches!(
            parse_short("add:Device.IP.Interface.").unwrap(),
            Body::AddObject(_)
        ));
        assert!(parse_short("nope:x").is_err());
        assert!(parse_short("gpv:").is_err());
        assert!(parse_short("schedule:x").is_err());
    }

    #[test]
    fn json_shapes() {
        let v = parse_json(br#"{"GetParameterValues":{"parameter_names":["Device.DeviceInfo."]}}"#)
            .unwrap();
        assert!(matches!(&v[0], Body::GetParameterValues(_)));
        let v = parse_json(br#"["gpn:Device.", {"Reboot":{"command_key":"k"}}]"#).unwrap();
        assert_eq!(v.len(), 2);
        assert!(matches!(&v[1], Body::Reboot(r) if r.command_key == "k"));
        assert!(parse_json(b"{").is_err());
        assert!(parse_json(br#"{"NoSuchRpc":{}}"#).is_err());
    }

    #[test]
    fn summaries() {
        let b = parse_short("gpv:Device.DeviceInfo.").unwrap();
        assert_eq!(summary(&b), "GetParameterValues Device.DeviceInfo.");
    }
}
