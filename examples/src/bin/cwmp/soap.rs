//! `cwmp decode`, `cwmp encode`, `cwmp reencode`.
//!
//! ```text
//! cwmp decode   [--strict] [FILE|-]                              envelope -> JSON
//! cwmp encode   [--cwmp-version V] [ENCODE OPTIONS] [FILE|-]     JSON -> envelope
//! cwmp reencode [--strict] [--cwmp-version V] [ENCODE OPTIONS] [FILE|-]
//! ENCODE OPTIONS: --no-xml-declaration --bool-digits --datetime-fraction as-is|strip|millis
//!                 --du-wrapper --strict-encode
//! ```
//!
//! The JSON of `decode` is one object:
//!
//! ```text
//! {"version": "1.2", "namespace": "urn:dslforum-org:cwmp-1-2",
//!  "warnings": [{"offset": 123, "kind": "array without arrayType"}],
//!  "envelope": {"header": {...}, "body": {"Inform": {...}}}}
//! ```
//!
//! `envelope` is cwmp-core's serde form of [`cwmp_core::Envelope`]. `encode` reads that same
//! object (`warnings` and `namespace` are ignored; `version`, when present, is the version to
//! write unless `--cwmp-version` says otherwise) or a bare envelope object. Each warning is also
//! printed on stderr as one line `warning: byte N: kind`. Without `--cwmp-version`, `encode`
//! writes 1.4 and `reencode` writes the version the message was decoded as. Before writing,
//! both check the message against the schema's facets and types and print each violation as
//! `warning: encode: FIELD: ...` (with `--strict-encode` they refuse to write instead). A failure is one
//! stderr line starting `error:` (for decoding: with the byte offset) and exit status 1.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, ValueEnum};
use cwmp_core::{CwmpVersion, Envelope};
use cwmp_soap::decode::Decoder;
use cwmp_soap::{BoolFormat, DateTimeFraction, DuShape, EncodeOptions, Validation};
use serde_json::{Value, json};

#[derive(Parser, Debug)]
#[command(name = "cwmp decode", about = "Decode a CWMP SOAP envelope to JSON")]
struct DecodeCli {
    /// Refuse every deviation from the schemas instead of warning.
    #[arg(long)]
    strict: bool,
    /// The envelope (`-` or nothing: standard input).
    file: Option<PathBuf>,
}

#[derive(Copy, Clone, Debug, ValueEnum)]
enum Fraction {
    AsIs,
    Strip,
    Millis,
}

#[derive(clap::Args, Debug)]
struct EncodeArgs {
    /// The CWMP version to write: 1.0, 1.1, 1.2, 1.3 or 1.4.
    #[arg(long = "cwmp-version", value_parser = parse_version)]
    cwmp_version: Option<CwmpVersion>,
    /// Leave out the `<?xml ...?>` declaration.
    #[arg(long)]
    no_xml_declaration: bool,
    /// Write booleans as 1/0 instead of true/false.
    #[arg(long)]
    bool_digits: bool,
    /// Fractional seconds of dateTimes.
    #[arg(long, value_enum, default_value = "as-is")]
    datetime_fraction: Fraction,
    /// Write ChangeDUState/DUStateChangeComplete in the wrapper form instead of the schema's.
    #[arg(long)]
    du_wrapper: bool,
    /// Refuse to write a message with values that break the schema's facets or types (by
    /// default each is printed as a `warning: encode:` line and the message is written).
    #[arg(long)]
    strict_encode: bool,
}

#[derive(Parser, Debug)]
#[command(
    name = "cwmp encode",
    about = "Encode JSON (as `cwmp decode` prints it) to a CWMP SOAP envelope"
)]
struct EncodeCli {
    #[command(flatten)]
    options: EncodeArgs,
    /// The JSON (`-` or nothing: standard input).
    file: Option<PathBuf>,
}

#[derive(Parser, Debug)]
#[command(
    name = "cwmp reencode",
    about = "Decode a CWMP SOAP envelope and encode it again"
)]
struct ReencodeCli {
    /// Refuse every deviation from the schemas instead of warning.
    #[arg(long)]
    strict: bool,
    #[command(flatten)]
    options: EncodeArgs,
    /// The envelope (`-` or nothing: standard input).
    file: Option<PathBuf>,
}

fn parse_version(s: &str) -> Result<CwmpVersion, String> {
    s.parse::<CwmpVersion>().map_err(|e| e.to_string())
}

impl EncodeArgs {
    fn options(&self, fallback: CwmpVersion) -> EncodeOptions {
        EncodeOptions::for_version(self.cwmp_version.unwrap_or(fallback))
            .with_xml_declaration(!self.no_xml_declaration)
            .with_booleans(if self.bool_digits {
                BoolFormat::Digits
            } else {
                BoolFormat::Words
            })
            .with_datetime_fraction(match self.datetime_fraction {
                Fraction::AsIs => DateTimeFraction::AsIs,
                Fraction::Strip => DateTimeFraction::Strip,
                Fraction::Millis => DateTimeFraction::Millis,
            })
            .with_du_shape(if self.du_wrapper {
                DuShape::Wrapper
            } else {
                DuShape::Xsd
            })
            .with_validation(if self.strict_encode {
                Validation::Refuse
            } else {
                Validation::Warn
            })
    }
}

/// Runs one of the SOAP commands with the arguments after it.
pub fn run(command: &str, args: &[String]) -> ExitCode {
    let argv: Vec<String> = std::iter::once(format!("cwmp {command}"))
        .chain(args.iter().cloned())
        .collect();
    let result = match command {
        "decode" => DecodeCli::try_parse_from(&argv).map(|cli| decode(&cli)),
        "encode" => EncodeCli::try_parse_from(&argv).map(|cli| encode(&cli)),
        "reencode" => ReencodeCli::try_parse_from(&argv).map(|cli| reencode(&cli)),
        other => Ok(Err(format!("unknown command `{other}`"))),
    };
    match result {
        Ok(Ok(())) => ExitCode::SUCCESS,
        Ok(Err(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(1)
        }
        Err(e) => crate::clap_exit(&e),
    }
}

fn read_input(file: Option<&PathBuf>) -> Result<Vec<u8>, String> {
    match file {
        Some(path) if path.as_os_str() != "-" => {
            std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
        }
        _ => {
            let mut buf = Vec::new();
            std::io::stdin()
                .read_to_end(&mut buf)
                .map_err(|e| format!("cannot read standard input: {e}"))?;
            Ok(buf)
        }
    }
}

fn write_stdout(bytes: &[u8]) -> Result<(), String> {
    let mut out = std::io::stdout().lock();
    out.write_all(bytes)
        .and_then(|()| out.flush())
        .map_err(|e| format!("cannot write standard output: {e}"))
}

fn decoder(strict: bool) -> Decoder {
    if strict {
        Decoder::strict()
    } else {
        Decoder::new()
    }
}

/// Decodes, printing each warning on stderr.
fn decode_input(input: &[u8], strict: bool) -> Result<cwmp_soap::decode::Decoded<'_>, String> {
    let decoded = decoder(strict)
        .decode(input)
        .map_err(|e| format!("decode failed: {e}"))?;
    for w in &decoded.warnings {
        eprintln!("warning: byte {}: {}", w.offset, w.kind);
    }
    Ok(decoded)
}

fn decode(cli: &DecodeCli) -> Result<(), String> {
    let input = read_input(cli.file.as_ref())?;
    let decoded = decode_input(&input, cli.strict)?;
    let warnings: Vec<Value> = decoded
        .warnings
        .iter()
        .map(|w| json!({"offset": w.offset, "kind": w.kind.to_string()}))
        .collect();
    let doc = json!({
        "version": decoded.version,
        "namespace": decoded.namespace,
        "warnings": warnings,
        "envelope": decoded.envelope,
    });
    let mut text = serde_json::to_string_pretty(&doc).map_err(|e| e.to_string())?;
    text.push('\n');
    write_stdout(text.as_bytes())
}

fn encode(cli: &EncodeCli) -> Result<(), String> {
    let input = read_input(cli.file.as_ref())?;
    let doc: Value = serde_json::from_slice(&input).map_err(|e| format!("invalid JSON: {e}"))?;
    let (envelope, version) = match doc.get("envelope") {
        Some(env) => {
            let version = match doc.get("version") {
                Some(v) => Some(
                    serde_json::from_value::<CwmpVersion>(v.clone())
                        .map_err(|e| format!("invalid \"version\": {e}"))?,
                ),
                None => None,
            };
            (env.clone(), version)
        }
        None => (doc, None),
    };
    let envelope: Envelope<'static> =
        serde_json::from_value(envelope).map_err(|e| format!("invalid envelope JSON: {e}"))?;
    let options = cli
        .options
        .options(version.unwrap_or(EncodeOptions::default().version));
    write_stdout(&encode_checked(&options, &envelope)?)
}

fn reencode(cli: &ReencodeCli) -> Result<(), String> {
    let input = read_input(cli.file.as_ref())?;
    let decoded = decode_input(&input, cli.strict)?;
    let options = cli.options.options(decoded.version);
    write_stdout(&encode_checked(&options, &decoded.envelope)?)
}

/// Encodes with the options' validation, printing each violation on stderr as
/// `warning: encode: ...` (or failing with all of them under `--strict-encode`).
fn encode_checked(options: &EncodeOptions, envelope: &Envelope<'_>) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    match options.encode_checked(envelope, &mut out) {
        Ok(warnings) => {
            for v in warnings {
                eprintln!("warning: encode: {v}");
            }
            Ok(out)
        }
        Err(violations) => {
            let list: Vec<String> = violations.iter().map(ToString::to_string).collect();
            Err(format!("refused to encode: {}", list.join("; ")))
        }
    }
}
