//! What `#[ordered]` (per-socket FIFO) costs against the default concurrent handling.
//!
//! Run with: `cargo bench -p gateway-tests --bench ordering`
//!
//! Server and clients share one process and runtime, so the absolute figures include the
//! test client's own work; the ratio between the two modes, measured alternately in the
//! same run, is the figure to read.

use std::time::{Duration, Instant};

use socketioxide_gateway::prelude::*;
use socketioxide_gateway::testing::{NsClient, TestServer};

#[derive(Default)]
struct Bench;

#[gateway(namespace = "/bench")]
impl Bench {
    #[subscribe("default")]
    async fn default(&self, n: u64) -> u64 {
        n
    }

    #[subscribe("ordered")]
    #[ordered]
    async fn ordered(&self, n: u64) -> u64 {
        n
    }

    /// A handler that waits on I/O for 1 ms (a database call, say).
    #[subscribe("default-io")]
    async fn default_io(&self, n: u64) -> u64 {
        tokio::time::sleep(Duration::from_millis(1)).await;
        n
    }

    #[subscribe("ordered-io")]
    #[ordered]
    async fn ordered_io(&self, n: u64) -> u64 {
        tokio::time::sleep(Duration::from_millis(1)).await;
        n
    }
}

const SOCKETS: usize = 20;
const WINDOW: usize = 32;
const PER_SOCKET: usize = 640;
const ROUNDS: usize = 5;

/// Acks per second for `event`: every socket keeps `WINDOW` acks in flight.
async fn run(sockets: &[NsClient], event: &str) -> f64 {
    let started = Instant::now();
    let work = sockets.iter().map(|socket| async move {
        for chunk in 0..PER_SOCKET / WINDOW {
            let calls = (0..WINDOW).map(|i| socket.call(event, (chunk * WINDOW + i) as u64));
            for ack in futures_util::future::join_all(calls).await {
                ack.expect("acked");
            }
        }
    });
    futures_util::future::join_all(work).await;
    let acks = (SOCKETS * (PER_SOCKET / WINDOW) * WINDOW) as f64;
    acks / started.elapsed().as_secs_f64()
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let server = TestServer::start(GatewayApp::explicit().link::<Bench>())
            .await
            .expect("server starts");
        let mut sockets = Vec::new();
        for _ in 0..SOCKETS {
            sockets.push(server.socket("/bench").await.expect("connects"));
        }
        println!(
            "{SOCKETS} sockets x {PER_SOCKET} acks, {WINDOW} in flight per socket, median of {ROUNDS} alternating rounds"
        );
        println!("{:<28} {:>10} {:>10} {:>8}", "handler", "default", "ordered", "ratio");
        for (label, default_event, ordered_event) in [
            ("returns at once (acks/s)", "default", "ordered"),
            ("awaits 1 ms of I/O (acks/s)", "default-io", "ordered-io"),
        ] {
            // Warm-up.
            run(&sockets, default_event).await;
            run(&sockets, ordered_event).await;
            let (mut default, mut ordered) = (Vec::new(), Vec::new());
            for _ in 0..ROUNDS {
                default.push(run(&sockets, default_event).await);
                ordered.push(run(&sockets, ordered_event).await);
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            let (d, o) = (median(default), median(ordered));
            println!("{label:<28} {d:>10.0} {o:>10.0} {:>8.3}", o / d);
        }
    });
}
