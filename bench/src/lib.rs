//! Benchmarks of the gateway layer against the same contract hand-written on socketioxide.
//!
//! - [`baseline`]: the hand-written server (binary `baseline`);
//! - [`ws`]: the load generator's WebSocket client, on `fastwebsockets` (chosen over
//!   `tokio-tungstenite` by measurement: half the instructions per message);
//! - [`sio`]: a lean Socket.IO v5 client on it (JSON packets formatted and parsed as text,
//!   msgpack ones with `rmp-serde`);
//! - [`scenario`]: the load scenarios (binary `loadgen`): ack round trips, fanout, idle
//!   connections, connect storm, and a contract check;
//! - [`crowd`]: tens of thousands of connections in one room on one or two nodes, and a
//!   broadcast to all of them, every delivery counted;
//! - [`procfs`]: server and generator CPU time and RSS from `/proc`;
//! - [`report`], [`chart`]: medians, ratios, the markdown table and the SVG chart, written
//!   by hand (binary `report`; `chart` says why not with a charting crate);
//! - [`compile`]: build times of a 50-handler app written with the macros and by hand
//!   (binary `compile-time`).
//!
//! The binaries read their command lines with `clap` (derive). Run everything with
//! `bench/run.sh` (see the book's "Performance" chapter).

pub mod baseline;
pub mod chart;
pub mod compile;
pub mod crowd;
pub mod procfs;
pub mod report;
pub mod scenario;
pub mod sio;
pub mod ws;

use std::str::FromStr;

/// Which events the server under test has (`BENCH_EVENTS`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Events {
    /// `echo`, `join`, `broadcast`: the benchmark contract.
    #[default]
    Contract,
    /// `echo` only.
    One,
    /// `echo` and `event_01` to `event_29`.
    Thirty,
}

impl FromStr for Events {
    type Err = String;

    /// `""` or `contract`, `1`, `30`.
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "" | "contract" => Ok(Self::Contract),
            "1" => Ok(Self::One),
            "30" => Ok(Self::Thirty),
            other => Err(format!(
                "BENCH_EVENTS must be `contract`, `1` or `30`, not `{other}`"
            )),
        }
    }
}
