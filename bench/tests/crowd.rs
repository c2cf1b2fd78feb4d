//! The crowd scenario at 2,000 connections (the CI size of `bench/crowd.sh`), over real
//! sockets on 127.0.0.1 from two loopback source addresses: on one gateway node, then
//! split across two nodes sharing a real Redis (a private `redis-server`), the broadcast
//! sent on the first node. Every one of the 2,000 × 3 deliveries must arrive exactly
//! once. The nodes run in this process, so memory and CPU figures mean nothing here;
//! no timing thresholds.

use std::net::SocketAddr;
use std::sync::mpsc;
use std::time::Duration;

use bench::crowd::{self, CrowdConfig, Node};
use bench::scenario::{self, Metrics, Target};
use gateway_tests::services::Redis;

const TOKEN: &str = "crowd-token";
const CONNECTIONS: usize = 2000;
const BROADCASTS: usize = 3;

/// Starts a bench gateway node on its own runtime and thread (with Redis when `redis` is
/// set); returns its address.
fn node(redis: Option<String>) -> SocketAddr {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("a runtime");
        runtime.block_on(async move {
            let mut app =
                example_bench::app(example_bench::Variant::Contract, Some(TOKEN.to_owned()));
            if let Some(url) = redis {
                app = app.redis(url);
            }
            let server = app.bind("127.0.0.1:0").await.expect("the node binds");
            tx.send(server.local_addr()).expect("the test waits");
            std::future::pending::<()>().await;
        });
    });
    rx.recv_timeout(Duration::from_secs(30))
        .expect("the node starts")
}

fn run(nodes: &[SocketAddr]) -> Metrics {
    // Clients and nodes share this process, both tests at once: 2 × (2,000 + 2,000) files.
    rlimit::increase_nofile_limit(16_384).expect("the open-file limit can be read");
    let target = Target {
        addr: nodes[0],
        namespace: "/bench".to_owned(),
        token: Some(TOKEN.to_owned()),
        pid: None,
        wire: bench::sio::Wire::Json,
    };
    let cfg = CrowdConfig {
        nodes: nodes.iter().map(|&addr| Node { addr, pid: None }).collect(),
        connections: CONNECTIONS,
        sources: 2,
        broadcasts: BROADCASTS,
        interval: Duration::from_millis(50),
        settle: Duration::from_millis(100),
        concurrency: 128,
        deadline: Duration::from_secs(30),
    };
    let ticks = bench::procfs::clock_ticks_per_sec();
    scenario::run_local(crowd::crowd(&target, &cfg, ticks))
        .expect("a runtime")
        .unwrap_or_else(|err| panic!("the crowd run failed: {err}"))
}

fn assert_all_delivered_once(m: &Metrics) {
    let expected = (CONNECTIONS * BROADCASTS) as f64;
    assert_eq!(m["expected"], expected, "{m:?}");
    assert_eq!(m["delivered"], expected, "every delivery arrives: {m:?}");
    assert_eq!(m["lost"], 0.0, "{m:?}");
    assert_eq!(m["duplicates"], 0.0, "no delivery twice: {m:?}");
    assert_eq!(m["strays"], 0.0, "no other `msg`: {m:?}");
    assert!(m["p99_us"] > 0.0, "latencies are recorded: {m:?}");
}

#[test]
fn one_node_delivers_every_broadcast_to_every_connection() {
    let m = run(&[node(None)]);
    assert_all_delivered_once(&m);
    assert_eq!(m["sources"], 2.0);
}

#[test]
fn two_nodes_through_redis_deliver_every_broadcast_to_every_connection() {
    let redis = Redis::start();
    let nodes = [node(Some(redis.url())), node(Some(redis.url()))];
    let m = run(&nodes);
    assert_all_delivered_once(&m);
    assert_eq!(m["nodes"], 2.0);
}
