//! A rough throughput figure for the encoder (run with `--release -- --ignored --nocapture`):
//! a 10,000-parameter GetParameterValuesResponse, encoded repeatedly into a reused buffer (the
//! best of several rounds).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use cwmp_core::Envelope;
use cwmp_core::rpc::{GetParameterValuesResponse, ParameterValue};
use cwmp_core::value::Value;

#[test]
#[ignore = "timing; run in release with --ignored"]
fn gpv_response_10k_parameters_throughput() {
    let parameters = (0..10_000)
        .map(|i| {
            let value = match i % 3 {
                0 => Value::unsigned_int(i),
                1 => Value::boolean(i % 2 == 0),
                _ => Value::string(format!("value {i} & <more>")),
            };
            ParameterValue::new(format!("Device.IP.Interface.{i}.Stats.BytesSent"), value)
        })
        .collect();
    let env = Envelope::request("1", GetParameterValuesResponse { parameters });
    let mut out = Vec::new();
    cwmp_soap::encode(&env, &mut out);
    let size = out.len();
    // The best of several rounds: the one least disturbed by other processes.
    let (rounds, per_round) = (10, 40);
    let mut best = f64::INFINITY;
    for _ in 0..rounds {
        let start = std::time::Instant::now();
        for _ in 0..per_round {
            out.clear();
            cwmp_soap::encode(std::hint::black_box(&env), &mut out);
        }
        best = best.min(start.elapsed().as_secs_f64() / per_round as f64);
    }
    let mb_s = size as f64 / best / 1e6;
    eprintln!(
        "encode: {size} bytes per message, {mb_s:.0} MB/s, {:.3} ms per message (best of {rounds} rounds of {per_round})",
        best * 1e3
    );
    assert!(mb_s > 1.0);
}
