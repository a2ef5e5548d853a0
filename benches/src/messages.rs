//! A deterministic generator of realistic CWMP messages as `cwmp_core` models.
//!
//! No RNG crate: a xorshift64* seeded with a constant, so every run (and every machine) measures
//! the same messages. Names follow the TR-181 (Device:2) tables a home gateway reports; values
//! mix the xsd types CPEs send, and about 1% of string values carry characters that must be
//! escaped on the wire (`&`, `<`, `>`, quotes).

use std::borrow::Cow;

use cwmp_core::datetime::DateTimeText;
use cwmp_core::event::{EventCode, EventStruct};
use cwmp_core::fault::{Fault, FaultCode, SetParameterValuesFault};
use cwmp_core::rpc::{
    DeviceId, GetParameterNamesResponse, GetParameterValuesResponse, Inform, ParameterInfo,
    ParameterValue, SetParameterValues,
};
use cwmp_core::value::{Value, ValueType};
use cwmp_core::{Envelope, Header};

/// xorshift64* (Vigna): small, fast and good enough to vary names and values.
#[derive(Debug, Clone)]
pub struct XorShift(u64);

impl XorShift {
    /// A generator with the given seed (0 is replaced by a fixed non-zero constant).
    pub fn new(seed: u64) -> Self {
        XorShift(if seed == 0 {
            0x9E37_79B9_7F4A_7C15
        } else {
            seed
        })
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    /// True with probability `per_mille / 1000`.
    pub fn chance(&mut self, per_mille: u64) -> bool {
        self.below(1000) < per_mille
    }

    /// One element of a non-empty slice.
    pub fn pick<'s, T>(&mut self, items: &'s [T]) -> Option<&'s T> {
        let i = usize::try_from(self.below(items.len() as u64)).unwrap_or(0);
        items.get(i)
    }
}

/// The kind of value a generated leaf carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A free text (may get escapes).
    Text,
    /// A word out of a fixed list.
    Word(&'static [&'static str]),
    Mac,
    Ipv4,
    /// A reference to another object (TR-181 path value).
    Ref(&'static str),
    Bool,
    Uint(u32),
    Int(i32),
    Ulong,
    Date,
    Hex,
    Base64,
}

const STATUS: &[&str] = &["Up", "Down", "Dormant", "Error", "LowerLayerDown"];
const SOURCE: &[&str] = &["DHCP", "Static", "AutoIP"];
const PROTOCOL: &[&str] = &["TCP", "UDP", "BOTH"];
const STANDARDS: &[&str] = &["n", "ac", "ax", "b,g,n", "a,n,ac"];
const DUPLEX: &[&str] = &["Full", "Half", "Auto"];
const STATE: &[&str] = &["Running", "Sleeping", "Stopped", "Idle", "Zombie"];
const WORDS: &[&str] = &[
    "living-room",
    "Galaxy-S23",
    "printer",
    "NAS",
    "tv",
    "laptop",
    "iPhone",
    "doorbell",
    "thermostat",
    "guest",
    "office",
    "kitchen",
    "ps5",
    "chromecast",
];
/// Texts with characters that need escaping (the model keeps them unescaped).
const ESCAPED: &[&str] = &[
    "Tom & Jerry's <5G>",
    "R&D \"lab\"",
    "a<b>c",
    "Smith & Wesson",
    "x > y & y < z",
];

/// One TR-181 table: the object path with `{i}` and its leaves.
struct Table {
    object: &'static str,
    leaves: &'static [(&'static str, Kind)],
}

const TABLES: &[Table] = &[
    Table {
        object: "Device.Hosts.Host.{i}.",
        leaves: &[
            ("PhysAddress", Kind::Mac),
            ("IPAddress", Kind::Ipv4),
            ("AddressSource", Kind::Word(SOURCE)),
            (
                "DHCPClient",
                Kind::Ref("Device.DHCPv4.Server.Pool.1.Client."),
            ),
            ("LeaseTimeRemaining", Kind::Int(86_400)),
            ("Layer1Interface", Kind::Ref("Device.WiFi.SSID.")),
            ("HostName", Kind::Text),
            ("Active", Kind::Bool),
            ("ActiveLastChange", Kind::Date),
        ],
    },
    Table {
        object: "Device.IP.Interface.{i}.",
        leaves: &[
            ("Enable", Kind::Bool),
            ("Status", Kind::Word(STATUS)),
            ("Name", Kind::Text),
            ("LastChange", Kind::Uint(10_000_000)),
            ("LowerLayers", Kind::Ref("Device.Ethernet.Link.")),
            ("MaxMTUSize", Kind::Uint(9_000)),
            ("Stats.BytesSent", Kind::Ulong),
            ("Stats.BytesReceived", Kind::Ulong),
            ("Stats.PacketsSent", Kind::Ulong),
            ("Stats.PacketsReceived", Kind::Ulong),
            ("Stats.ErrorsSent", Kind::Uint(1_000)),
        ],
    },
    Table {
        object: "Device.WiFi.SSID.{i}.",
        leaves: &[
            ("Enable", Kind::Bool),
            ("Status", Kind::Word(STATUS)),
            ("SSID", Kind::Text),
            ("BSSID", Kind::Mac),
            ("MACAddress", Kind::Mac),
            ("LowerLayers", Kind::Ref("Device.WiFi.Radio.")),
            ("Stats.BytesSent", Kind::Ulong),
            ("Stats.ErrorsReceived", Kind::Uint(100_000)),
        ],
    },
    Table {
        object: "Device.WiFi.AccessPoint.{i}.AssociatedDevice.{i}.",
        leaves: &[
            ("MACAddress", Kind::Mac),
            ("AuthenticationState", Kind::Bool),
            ("OperatingStandard", Kind::Word(STANDARDS)),
            ("LastDataDownlinkRate", Kind::Uint(1_200_000)),
            ("SignalStrength", Kind::Int(-30)),
            ("Retransmissions", Kind::Uint(100)),
        ],
    },
    Table {
        object: "Device.Ethernet.Interface.{i}.",
        leaves: &[
            ("Enable", Kind::Bool),
            ("Status", Kind::Word(STATUS)),
            ("MaxBitRate", Kind::Int(10_000)),
            ("CurrentBitRate", Kind::Uint(10_000)),
            ("DuplexMode", Kind::Word(DUPLEX)),
            ("MACAddress", Kind::Mac),
        ],
    },
    Table {
        object: "Device.NAT.PortMapping.{i}.",
        leaves: &[
            ("Enable", Kind::Bool),
            ("Description", Kind::Text),
            ("ExternalPort", Kind::Uint(65_535)),
            ("InternalPort", Kind::Uint(65_535)),
            ("Protocol", Kind::Word(PROTOCOL)),
            ("InternalClient", Kind::Ipv4),
            ("LeaseDuration", Kind::Uint(86_400)),
        ],
    },
    Table {
        object: "Device.DeviceInfo.ProcessStatus.Process.{i}.",
        leaves: &[
            ("PID", Kind::Uint(32_768)),
            ("Command", Kind::Text),
            ("Size", Kind::Uint(65_536)),
            ("Priority", Kind::Uint(99)),
            ("CPUTime", Kind::Uint(1_000_000)),
            ("State", Kind::Word(STATE)),
        ],
    },
    Table {
        object: "Device.Security.Certificate.{i}.",
        leaves: &[
            ("Enable", Kind::Bool),
            ("SerialNumber", Kind::Hex),
            ("Issuer", Kind::Text),
            ("NotBefore", Kind::Date),
            ("NotAfter", Kind::Date),
            ("X_ACME_Fingerprint", Kind::Base64),
        ],
    },
];

fn mac(rng: &mut XorShift) -> String {
    let b = rng.next_u64().to_be_bytes();
    format!(
        "{:02X}:{:02X}:{:02X}:{:02X}:{:02X}:{:02X}",
        b[0], b[1], b[2], b[3], b[4], b[5]
    )
}

fn ipv4(rng: &mut XorShift) -> String {
    format!("192.168.{}.{}", rng.below(4), 2 + rng.below(250))
}

fn date(rng: &mut XorShift) -> String {
    format!(
        "2026-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        1 + rng.below(12),
        1 + rng.below(28),
        rng.below(24),
        rng.below(60),
        rng.below(60)
    )
}

fn text(rng: &mut XorShift, escaped_per_mille: u64) -> String {
    if rng.chance(escaped_per_mille) {
        rng.pick(ESCAPED).copied().unwrap_or("&").to_owned()
    } else {
        let w = rng.pick(WORDS).copied().unwrap_or("x");
        format!("{w}-{}", rng.below(100))
    }
}

/// The value of a leaf of the given kind.
fn value(rng: &mut XorShift, kind: Kind, escaped_per_mille: u64) -> Value<'static> {
    match kind {
        Kind::Text => Value::string(text(rng, escaped_per_mille)),
        Kind::Word(words) => Value::string(rng.pick(words).copied().unwrap_or("")),
        Kind::Mac => Value::string(mac(rng)),
        Kind::Ipv4 => Value::string(ipv4(rng)),
        Kind::Ref(prefix) => Value::string(format!("{prefix}{}", 1 + rng.below(4))),
        Kind::Bool => Value::boolean(rng.chance(700)),
        Kind::Uint(max) => {
            Value::unsigned_int(u32::try_from(rng.below(u64::from(max) + 1)).unwrap_or(0))
        }
        Kind::Int(scale) => {
            let v = i64::from(scale) * i64::try_from(rng.below(100)).unwrap_or(0) / 100;
            Value::int(i32::try_from(v).unwrap_or(0))
        }
        Kind::Ulong => Value::unsigned_long(rng.next_u64() >> rng.below(40)),
        Kind::Date => Value::new(ValueType::DateTime, date(rng)),
        Kind::Hex => {
            let b = rng.next_u64().to_be_bytes();
            Value::hex_binary(&b)
        }
        Kind::Base64 => {
            let a = rng.next_u64().to_be_bytes();
            let b = rng.next_u64().to_be_bytes();
            let mut bytes = a.to_vec();
            bytes.extend_from_slice(&b);
            bytes.extend_from_slice(&a[..4]);
            Value::base64(&bytes)
        }
    }
}

/// `count` parameters of a TR-181 gateway: table rows filled in order, so names are unique and
/// look like a real GetParameterValues of `Device.` (instance numbers grow, values vary).
pub fn tr181_parameters(
    rng: &mut XorShift,
    count: usize,
    escaped_per_mille: u64,
) -> Vec<ParameterValue<'static>> {
    let mut out = Vec::with_capacity(count);
    let mut instance = 1u32;
    while out.len() < count {
        for table in TABLES {
            let object = instantiate(table.object, instance, rng);
            for &(leaf, kind) in table.leaves {
                if out.len() == count {
                    return out;
                }
                out.push(ParameterValue {
                    name: Cow::Owned(format!("{object}{leaf}")),
                    value: value(rng, kind, escaped_per_mille),
                });
            }
        }
        instance += 1;
    }
    out
}

/// Replaces the first `{i}` with `instance` and any further one with a small number.
fn instantiate(template: &str, instance: u32, rng: &mut XorShift) -> String {
    let mut s = template.replacen("{i}", &instance.to_string(), 1);
    while s.contains("{i}") {
        s = s.replacen("{i}", &(1 + rng.below(4)).to_string(), 1);
    }
    s
}

/// The header of every generated message: an ID as ACSes and CPEs send it.
fn header(id: &str) -> Header<'static> {
    Header::with_id(id.to_owned())
}

/// An Inform as a TR-181 CPE sends on boot: 2 events, about 20 parameters (the forced
/// inform parameters and a few more).
pub fn inform() -> Envelope<'static> {
    let mut rng = XorShift::new(1);
    let fixed: [(&str, Value<'static>); 14] = [
        ("Device.RootDataModelVersion", Value::string("2.17")),
        (
            "Device.DeviceInfo.Manufacturer",
            Value::string("Acme Networks"),
        ),
        ("Device.DeviceInfo.ManufacturerOUI", Value::string("00256D")),
        ("Device.DeviceInfo.ProductClass", Value::string("HGW-3000")),
        (
            "Device.DeviceInfo.SerialNumber",
            Value::string("ACME3000A1B2C3"),
        ),
        ("Device.DeviceInfo.HardwareVersion", Value::string("HW 2.1")),
        (
            "Device.DeviceInfo.SoftwareVersion",
            Value::string("7.2.1-build.4411"),
        ),
        (
            "Device.DeviceInfo.ProvisioningCode",
            Value::string("ISP.RES.FTTH"),
        ),
        ("Device.DeviceInfo.UpTime", Value::unsigned_int(73)),
        (
            "Device.ManagementServer.ConnectionRequestURL",
            Value::string("http://100.64.12.34:7547/cr/8b1f2c"),
        ),
        (
            "Device.ManagementServer.ParameterKey",
            Value::string("change-42"),
        ),
        (
            "Device.ManagementServer.PeriodicInformEnable",
            Value::boolean(true),
        ),
        (
            "Device.ManagementServer.PeriodicInformInterval",
            Value::unsigned_int(3600),
        ),
        (
            "Device.ManagementServer.AliasBasedAddressing",
            Value::boolean(false),
        ),
    ];
    let mut parameters: Vec<ParameterValue<'static>> = fixed
        .into_iter()
        .map(|(n, v)| ParameterValue::new(n, v))
        .collect();
    parameters.push(ParameterValue::new(
        "Device.DeviceInfo.X_ACME_Location",
        Value::string("Rack 4 <north> & \"west\""),
    ));
    parameters.extend(tr181_parameters(&mut rng, 5, 0).into_iter().map(|mut p| {
        // Keep the per-row names but move them under the gateway's WAN side.
        p.name = Cow::Owned(p.name.replace("Device.Hosts.", "Device.X_ACME_WAN."));
        p
    }));
    parameters.push(ParameterValue::new(
        "Device.IP.Interface.1.IPv4Address.1.IPAddress",
        Value::string("100.64.12.34"),
    ));
    Envelope {
        header: header("1000"),
        body: Inform {
            device_id: DeviceId {
                manufacturer: "Acme Networks".into(),
                oui: "00256D".into(),
                product_class: "HGW-3000".into(),
                serial_number: "ACME3000A1B2C3".into(),
            },
            events: vec![
                EventStruct::new(EventCode::BOOT),
                EventStruct::with_command_key(EventCode::M_REBOOT, "reboot-7"),
            ],
            max_envelopes: 1,
            current_time: DateTimeText::new("2026-11-21T10:00:07+01:00"),
            retry_count: 0,
            parameters,
        }
        .into(),
    }
}

/// A GetParameterValuesResponse with `count` TR-181 parameters (~1% escaped values).
pub fn get_parameter_values_response(count: usize) -> Envelope<'static> {
    get_parameter_values_response_with(count, 100)
}

/// A GetParameterValuesResponse with `count` TR-181 parameters, of which free-text values
/// (about a tenth of all) carry an escaped character with probability `escaped_per_mille`/1000.
pub fn get_parameter_values_response_with(
    count: usize,
    escaped_per_mille: u64,
) -> Envelope<'static> {
    let mut rng = XorShift::new(0x5EED_0000 + count as u64);
    Envelope {
        header: header("gpv-1"),
        body: GetParameterValuesResponse {
            parameters: tr181_parameters(&mut rng, count, escaped_per_mille),
        }
        .into(),
    }
}

/// How many parameter values of `envelope` contain a character that must be escaped.
pub fn escaped_values(envelope: &Envelope<'_>) -> usize {
    let params: &[ParameterValue<'_>] = match &envelope.body {
        cwmp_core::Body::GetParameterValuesResponse(m) => &m.parameters,
        cwmp_core::Body::SetParameterValues(m) => &m.parameters,
        cwmp_core::Body::Inform(m) => &m.parameters,
        _ => &[],
    };
    params
        .iter()
        .filter(|p| p.value.text.contains(['&', '<', '>', '"', '\'']))
        .count()
}

/// A GetParameterNamesResponse with `count` entries: objects (partial paths, ending with a dot)
/// and parameters, as a CPE answers `Device.` with NextLevel false.
pub fn get_parameter_names_response(count: usize) -> Envelope<'static> {
    let mut rng = XorShift::new(0x6E6E);
    let params = tr181_parameters(&mut rng, count, 0);
    let mut parameters = Vec::with_capacity(count);
    let mut last_object = String::new();
    for p in params {
        if parameters.len() == count {
            break;
        }
        let object = p.name.rsplit_once('.').map(|(o, _)| o).unwrap_or("");
        if object != last_object && parameters.len() + 1 < count {
            last_object = object.to_owned();
            parameters.push(ParameterInfo {
                name: Cow::Owned(format!("{object}.")),
                writable: rng.chance(300),
            });
        }
        parameters.push(ParameterInfo {
            name: p.name,
            writable: rng.chance(400),
        });
    }
    Envelope {
        header: header("gpn-1"),
        body: GetParameterNamesResponse { parameters }.into(),
    }
}

/// Writable TR-181 2.17 parameters with a valid value each: what an ACS sets.
const WRITABLE: &[(&str, Kind)] = &[
    ("Device.WiFi.SSID.{i}.Enable", Kind::Bool),
    ("Device.WiFi.SSID.{i}.SSID", Kind::Text),
    (
        "Device.WiFi.AccessPoint.{i}.SSIDAdvertisementEnabled",
        Kind::Bool,
    ),
    (
        "Device.WiFi.AccessPoint.{i}.Security.KeyPassphrase",
        Kind::Text,
    ),
    ("Device.WiFi.Radio.{i}.Enable", Kind::Bool),
    ("Device.NAT.PortMapping.{i}.Enable", Kind::Bool),
    ("Device.NAT.PortMapping.{i}.Description", Kind::Text),
    ("Device.NAT.PortMapping.{i}.InternalClient", Kind::Ipv4),
    (
        "Device.NAT.PortMapping.{i}.Protocol",
        Kind::Word(&["TCP", "UDP"]),
    ),
    (
        "Device.NAT.PortMapping.{i}.LeaseDuration",
        Kind::Uint(86_400),
    ),
    ("Device.DHCPv4.Server.Pool.{i}.Enable", Kind::Bool),
    ("Device.DHCPv4.Server.Pool.{i}.MinAddress", Kind::Ipv4),
    ("Device.DHCPv4.Server.Pool.{i}.MaxAddress", Kind::Ipv4),
    ("Device.Ethernet.Interface.{i}.Enable", Kind::Bool),
    ("Device.IP.Interface.{i}.Enable", Kind::Bool),
    ("Device.Hosts.Host.{i}.Alias", Kind::Text),
];

/// A SetParameterValues of `count` writable TR-181 parameters.
pub fn set_parameter_values(count: usize) -> Envelope<'static> {
    let mut rng = XorShift::new(0x5E7);
    let mut parameters = Vec::with_capacity(count);
    let mut round = 1u32;
    'outer: loop {
        for &(template, kind) in WRITABLE {
            if parameters.len() == count {
                break 'outer;
            }
            let name = template.replace("{i}", &round.to_string());
            parameters.push(ParameterValue {
                name: Cow::Owned(name),
                value: value(&mut rng, kind, 10),
            });
        }
        round += 1;
    }
    parameters.push(ParameterValue::new(
        "Device.ManagementServer.PeriodicInformInterval",
        Value::unsigned_int(600),
    ));
    parameters.truncate(count);
    Envelope {
        header: header("spv-7"),
        body: SetParameterValues {
            parameters,
            parameter_key: "change-43".into(),
        }
        .into(),
    }
}

/// A 9003 Fault answering a SetParameterValues, with 3 SetParameterValuesFaults.
pub fn fault() -> Envelope<'static> {
    let faults = vec![
        SetParameterValuesFault {
            parameter_name: "Device.WiFi.SSID.1.SSID".into(),
            code: FaultCode::INVALID_PARAMETER_VALUE,
            message: "SSID longer than 32 characters".into(),
        },
        SetParameterValuesFault::new(
            "Device.DeviceInfo.SerialNumber",
            FaultCode::NON_WRITABLE_PARAMETER,
        ),
        SetParameterValuesFault::new("Device.WiFi.X_Foo.Bar", FaultCode::INVALID_PARAMETER_NAME),
    ];
    Envelope {
        header: header("spv-7"),
        body: Fault::set_parameter_values(faults).into(),
    }
}

/// A generated message: its name and its model.
#[derive(Debug, Clone)]
pub struct Generated {
    /// Short name used in reports (`gpv-10000` ...).
    pub name: &'static str,
    /// The model the bytes encode.
    pub envelope: Envelope<'static>,
    /// Number of parameters (or entries) it carries, for per-parameter figures.
    pub parameters: usize,
}

/// One message of every RPC of CWMP 1.0–1.4 (by element name), made by
/// [`cwmp_soap::generate`] from the same RPC descriptions the codec is built from, each from
/// 256 bytes of a fixed-seed [`XorShift`]: the codec's per-RPC paths, not one workload.
pub fn every_rpc() -> Vec<(&'static str, Envelope<'static>)> {
    let mut rng = XorShift::new(0x0C3A_7E11);
    cwmp_core::envelope::METHODS
        .iter()
        .filter_map(|m| {
            let bytes: Vec<u8> = (0..256).map(|_| rng.next_u64().to_le_bytes()[7]).collect();
            cwmp_soap::generate::Generator::new(&bytes)
                .message(m.0)
                .map(|e| (m.0, e))
        })
        .collect()
}

/// Every generated message of the benches, smallest first.
pub fn all() -> Vec<Generated> {
    vec![
        Generated {
            name: "inform-20",
            envelope: inform(),
            parameters: 21,
        },
        Generated {
            name: "spv-50",
            envelope: set_parameter_values(50),
            parameters: 50,
        },
        Generated {
            name: "fault-3",
            envelope: fault(),
            parameters: 3,
        },
        Generated {
            name: "gpv-1000",
            envelope: get_parameter_values_response(1_000),
            parameters: 1_000,
        },
        Generated {
            name: "gpv-10000",
            envelope: get_parameter_values_response(10_000),
            parameters: 10_000,
        },
        Generated {
            name: "gpn-10000",
            envelope: get_parameter_names_response(10_000),
            parameters: 10_000,
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use cwmp_core::Body;

    #[test]
    fn every_rpc_is_there_once() {
        let all = every_rpc();
        assert_eq!(all.len(), cwmp_core::envelope::METHODS.len());
        for (name, env) in &all {
            assert_eq!(env.body.name(), *name);
        }
    }

    #[test]
    fn sizes_and_determinism() {
        let a = all();
        let b = all();
        for (x, y) in a.iter().zip(&b) {
            assert_eq!(x.envelope, y.envelope, "{}", x.name);
        }
        match &get_parameter_values_response(10_000).body {
            Body::GetParameterValuesResponse(r) => {
                assert_eq!(r.parameters.len(), 10_000);
                let mut names: Vec<_> = r.parameters.iter().map(|p| &p.name).collect();
                names.sort();
                names.dedup();
                assert_eq!(names.len(), 10_000);
                let escaped = r
                    .parameters
                    .iter()
                    .filter(|p| p.value.text.contains(['&', '<', '>', '"']))
                    .count();
                assert!((50..=200).contains(&escaped), "{escaped}");
            }
            other => panic!("{other:?}"),
        }
        match &get_parameter_names_response(10_000).body {
            Body::GetParameterNamesResponse(r) => assert_eq!(r.parameters.len(), 10_000),
            other => panic!("{other:?}"),
        }
        match &inform().body {
            Body::Inform(i) => assert_eq!(i.parameters.len(), 21),
            other => panic!("{other:?}"),
        }
        match &set_parameter_values(50).body {
            Body::SetParameterValues(s) => assert_eq!(s.parameters.len(), 50),
            other => panic!("{other:?}"),
        }
    }
}
