//! The quick-xml baselines: the bare `Reader` event loop (the floor any quick-xml based decoder
//! stands on), the `NsReader` loop (namespace resolution, which a SOAP decoder needs), and a
//! quick-xml `Writer` building the same document as our encoder from the same model.

use std::io;

use cwmp_core::fault::Fault;
use cwmp_core::rpc::ParameterValue;
use cwmp_core::{Body, Envelope};
use quick_xml::events::{BytesEnd, BytesStart, BytesText, Event};
use quick_xml::name::ResolveResult;
use quick_xml::reader::{NsReader, Reader};
use quick_xml::writer::Writer;

/// Reads every event of `bytes` with quick-xml's borrowing `Reader` and counts them.
pub fn bare_loop(bytes: &[u8]) -> Result<usize, quick_xml::Error> {
    let mut reader = Reader::from_reader(bytes);
    let mut events = 0usize;
    loop {
        match reader.read_event()? {
            Event::Eof => return Ok(events),
            _ => events += 1,
        }
    }
}

/// Reads every event of `bytes` with quick-xml's `NsReader`, resolving each element's
/// namespace, and counts events and bound names.
pub fn ns_loop(bytes: &[u8]) -> Result<usize, quick_xml::Error> {
    let mut reader = NsReader::from_reader(bytes);
    let mut count = 0usize;
    loop {
        let (ns, event) = reader.read_resolved_event()?;
        if matches!(event, Event::Eof) {
            return Ok(count);
        }
        count += 1 + usize::from(matches!(ns, ResolveResult::Bound(_)));
    }
}

/// The SOAP envelope namespace.
pub const SOAP_ENV: &str = "http://schemas.xmlsoap.org/soap/envelope/";
/// The SOAP encoding namespace.
pub const SOAP_ENC: &str = "http://schemas.xmlsoap.org/soap/encoding/";
/// XML Schema.
pub const XSD: &str = "http://www.w3.org/2001/XMLSchema";
/// XML Schema instance.
pub const XSI: &str = "http://www.w3.org/2001/XMLSchema-instance";
/// CWMP 1.0, what most CPEs declare.
pub const CWMP_1_0: &str = "urn:dslforum-org:cwmp-1-0";

fn unsupported(what: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::Unsupported,
        format!("the quick-xml Writer baseline does not write {what}"),
    )
}

/// Builds `envelope` as SOAP with quick-xml's `Writer` (events, escaping done by quick-xml),
/// appending to `out`. Covers the messages the generator makes (Inform, Get/Set parameter
/// values, GetParameterNamesResponse, Fault).
pub fn write_envelope(envelope: &Envelope<'_>, out: &mut Vec<u8>) -> io::Result<()> {
    let mut w = Writer::new(out);
    let root = BytesStart::new("SOAP-ENV:Envelope").with_attributes([
        ("xmlns:SOAP-ENV", SOAP_ENV),
        ("xmlns:SOAP-ENC", SOAP_ENC),
        ("xmlns:xsd", XSD),
        ("xmlns:xsi", XSI),
        ("xmlns:cwmp", CWMP_1_0),
    ]);
    w.write_event(Event::Start(root))?;
    let h = &envelope.header;
    if h.hold_requests.is_some()
        || h.no_more_requests.is_some()
        || h.session_timeout.is_some()
        || h.supported_cwmp_versions.is_some()
        || h.use_cwmp_version.is_some()
    {
        return Err(unsupported("header elements other than ID"));
    }
    if let Some(id) = &h.id {
        start(&mut w, "SOAP-ENV:Header")?;
        let id_el = BytesStart::new("cwmp:ID").with_attributes([("SOAP-ENV:mustUnderstand", "1")]);
        w.write_event(Event::Start(id_el))?;
        w.write_event(Event::Text(BytesText::new(id)))?;
        end(&mut w, "cwmp:ID")?;
        end(&mut w, "SOAP-ENV:Header")?;
    }
    start(&mut w, "SOAP-ENV:Body")?;
    match &envelope.body {
        Body::Inform(m) => {
            start(&mut w, "cwmp:Inform")?;
            start(&mut w, "DeviceId")?;
            leaf(&mut w, "Manufacturer", &m.device_id.manufacturer)?;
            leaf(&mut w, "OUI", &m.device_id.oui)?;
            leaf(&mut w, "ProductClass", &m.device_id.product_class)?;
            leaf(&mut w, "SerialNumber", &m.device_id.serial_number)?;
            end(&mut w, "DeviceId")?;
            array(&mut w, "Event", "cwmp:EventStruct", m.events.len())?;
            for e in &m.events {
                start(&mut w, "EventStruct")?;
                leaf(&mut w, "EventCode", e.code.as_str())?;
                leaf(&mut w, "CommandKey", &e.command_key)?;
                end(&mut w, "EventStruct")?;
            }
            end(&mut w, "Event")?;
            leaf(&mut w, "MaxEnvelopes", &m.max_envelopes.to_string())?;
            leaf(&mut w, "CurrentTime", m.current_time.as_str())?;
            leaf(&mut w, "RetryCount", &m.retry_count.to_string())?;
            parameter_list(&mut w, &m.parameters)?;
            end(&mut w, "cwmp:Inform")?;
        }
        Body::GetParameterValuesResponse(m) => {
            start(&mut w, "cwmp:GetParameterValuesResponse")?;
            parameter_list(&mut w, &m.parameters)?;
            end(&mut w, "cwmp:GetParameterValuesResponse")?;
        }
        Body::SetParameterValues(m) => {
            start(&mut w, "cwmp:SetParameterValues")?;
            parameter_list(&mut w, &m.parameters)?;
            leaf(&mut w, "ParameterKey", &m.parameter_key)?;
            end(&mut w, "cwmp:SetParameterValues")?;
        }
        Body::GetParameterNamesResponse(m) => {
            start(&mut w, "cwmp:GetParameterNamesResponse")?;
            array(
                &mut w,
                "ParameterList",
                "cwmp:ParameterInfoStruct",
                m.parameters.len(),
            )?;
            for p in &m.parameters {
                start(&mut w, "ParameterInfoStruct")?;
                leaf(&mut w, "Name", &p.name)?;
                leaf(&mut w, "Writable", if p.writable { "1" } else { "0" })?;
                end(&mut w, "ParameterInfoStruct")?;
            }
            end(&mut w, "ParameterList")?;
            end(&mut w, "cwmp:GetParameterNamesResponse")?;
        }
        Body::Fault(f) => fault(&mut w, f)?,
        other => return Err(unsupported(other.name())),
    }
    end(&mut w, "SOAP-ENV:Body")?;
    end(&mut w, "SOAP-ENV:Envelope")?;
    Ok(())
}

type W<'o> = Writer<&'o mut Vec<u8>>;

fn start(w: &mut W<'_>, name: &str) -> io::Result<()> {
    w.write_event(Event::Start(BytesStart::new(name)))
}

fn end(w: &mut W<'_>, name: &str) -> io::Result<()> {
    w.write_event(Event::End(BytesEnd::new(name)))
}

fn leaf(w: &mut W<'_>, name: &str, text: &str) -> io::Result<()> {
    start(w, name)?;
    if !text.is_empty() {
        w.write_event(Event::Text(BytesText::new(text)))?;
    }
    end(w, name)
}

fn array(w: &mut W<'_>, name: &str, item: &str, len: usize) -> io::Result<()> {
    let ty = format!("{item}[{len}]");
    let el = BytesStart::new(name).with_attributes([("SOAP-ENC:arrayType", ty.as_str())]);
    w.write_event(Event::Start(el))
}

fn parameter_list(w: &mut W<'_>, parameters: &[ParameterValue<'_>]) -> io::Result<()> {
    array(
        w,
        "ParameterList",
        "cwmp:ParameterValueStruct",
        parameters.len(),
    )?;
    let mut ty = String::with_capacity(24);
    for p in parameters {
        start(w, "ParameterValueStruct")?;
        leaf(w, "Name", &p.name)?;
        ty.clear();
        ty.push_str("xsd:");
        ty.push_str(p.value.ty.xsd_name());
        let el = BytesStart::new("Value").with_attributes([("xsi:type", ty.as_str())]);
        w.write_event(Event::Start(el))?;
        if !p.value.text.is_empty() {
            w.write_event(Event::Text(BytesText::new(&p.value.text)))?;
        }
        end(w, "Value")?;
        end(w, "ParameterValueStruct")?;
    }
    end(w, "ParameterList")
}

fn fault(w: &mut W<'_>, f: &Fault<'_>) -> io::Result<()> {
    start(w, "SOAP-ENV:Fault")?;
    leaf(w, "faultcode", f.fault_type.as_str())?;
    leaf(w, "faultstring", &f.fault_string)?;
    start(w, "detail")?;
    start(w, "cwmp:Fault")?;
    leaf(w, "FaultCode", &f.code.get().to_string())?;
    leaf(w, "FaultString", &f.message)?;
    for p in &f.set_parameter_values_faults {
        start(w, "SetParameterValuesFault")?;
        leaf(w, "ParameterName", &p.parameter_name)?;
        leaf(w, "FaultCode", &p.code.get().to_string())?;
        leaf(w, "FaultString", &p.message)?;
        end(w, "SetParameterValuesFault")?;
    }
    end(w, "cwmp:Fault")?;
    end(w, "detail")?;
    end(w, "SOAP-ENV:Fault")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writer_output_reads_back() {
        for g in crate::messages::all() {
            let mut out = Vec::new();
            write_envelope(&g.envelope, &mut out).unwrap();
            let events = bare_loop(&out).unwrap();
            assert!(events > g.parameters, "{}", g.name);
            assert!(ns_loop(&out).unwrap() >= events, "{}", g.name);
        }
    }
}
