//! Smoke run of every benchmark scenario against both servers (the gateway and the
//! hand-written baseline), briefly, over real sockets on 127.0.0.1. Both servers run in
//! this process, so the CPU and memory figures are meaningless here: this only checks
//! that each scenario completes and counts something. No timing thresholds.

use std::net::SocketAddr;
use std::sync::mpsc;
use std::time::Duration;

use bench::Events;
use bench::scenario::{self, AckConfig, FanoutConfig, IdleConfig, Metrics, StormConfig, Target};

const TOKEN: &str = "smoke-token";

/// Starts a server on its own runtime and thread; returns its address.
fn start(server: impl FnOnce(mpsc::Sender<SocketAddr>) + Send + 'static) -> SocketAddr {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || server(tx));
    rx.recv_timeout(Duration::from_secs(30))
        .expect("the server starts")
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime")
}

fn ours(events: Events) -> SocketAddr {
    let variant = match events {
        Events::Contract => example_bench::Variant::Contract,
        Events::One => example_bench::Variant::OneEvent,
        Events::Thirty => example_bench::Variant::ThirtyEvents,
    };
    start(move |tx| {
        runtime().block_on(async move {
            let server = example_bench::app(variant, Some(TOKEN.to_owned()))
                .bind("127.0.0.1:0")
                .await
                .expect("the gateway binds");
            tx.send(server.local_addr()).expect("the test waits");
            std::future::pending::<()>().await;
        });
    })
}

fn baseline(events: Events) -> SocketAddr {
    start(move |tx| {
        runtime().block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("the baseline binds");
            tx.send(listener.local_addr().expect("an address"))
                .expect("the test waits");
            bench::baseline::serve(listener, events, Some(TOKEN.to_owned()), false, None)
                .await
                .expect("the baseline serves");
        });
    })
}

fn target(addr: SocketAddr) -> Target {
    Target {
        addr,
        namespace: "/bench".to_owned(),
        token: Some(TOKEN.to_owned()),
        pid: Some(std::process::id()),
        wire: bench::sio::Wire::Json,
    }
}

fn positive(m: &Metrics, key: &str) {
    let value = m.get(key).copied().unwrap_or_default();
    assert!(value > 0.0, "`{key}` should be positive: {m:?}");
}

fn run_all(name: &str, addr: SocketAddr, ticks: u64) {
    let target = target(addr);
    let short = Duration::from_millis(600);
    let warmup = Duration::from_millis(200);
    scenario::run_local(async {
        let m = scenario::contract(&target, Events::Contract)
            .await
            .unwrap_or_else(|e| panic!("{name}: contract: {e}"));
        assert_eq!(m["checks"], 8.0, "{name}: {m:?}");

        let m = scenario::ack(
            &target,
            &AckConfig {
                clients: 4,
                warmup,
                duration: short,
            },
            ticks,
        )
        .await
        .unwrap_or_else(|e| panic!("{name}: ack: {e}"));
        for key in ["acks_per_s", "p50_us", "p99_us", "server_cpu_pct"] {
            positive(&m, key);
        }

        let cfg = FanoutConfig {
            receivers: 5,
            window: 8,
            warmup,
            duration: short,
        };
        let m = scenario::fanout(&target, &cfg, ticks)
            .await
            .unwrap_or_else(|e| panic!("{name}: fanout: {e}"));
        for key in ["deliveries_per_s", "broadcasts_per_s", "p99_us"] {
            positive(&m, key);
        }

        let cfg = IdleConfig {
            connections: 50,
            warm: 5,
            settle: Duration::from_millis(200),
        };
        let m = scenario::idle(&target, &cfg)
            .await
            .unwrap_or_else(|e| panic!("{name}: idle: {e}"));
        assert_eq!(m["connections"], 50.0);
        assert!(m.contains_key("bytes_per_conn"), "{name}: {m:?}");

        let cfg = StormConfig {
            concurrency: 4,
            warmup,
            duration: short,
        };
        let m = scenario::storm(&target, &cfg, ticks)
            .await
            .unwrap_or_else(|e| panic!("{name}: storm: {e}"));
        positive(&m, "connects_per_s");
        assert_eq!(m["errors"], 0.0, "{name}: {m:?}");
    })
    .expect("a runtime");
}

fn thirty_events(name: &str, addr: SocketAddr) {
    let target = target(addr);
    scenario::run_local(async {
        let m = scenario::contract(&target, Events::Thirty)
            .await
            .unwrap_or_else(|e| panic!("{name}: contract: {e}"));
        assert_eq!(m["checks"], 4.0, "{name}: {m:?}");
        let cfg = IdleConfig {
            connections: 20,
            warm: 2,
            settle: Duration::from_millis(100),
        };
        scenario::idle(&target, &cfg)
            .await
            .unwrap_or_else(|e| panic!("{name}: idle: {e}"));
    })
    .expect("a runtime");
}

#[test]
fn every_scenario_completes_against_both_servers() {
    let ticks = bench::procfs::clock_ticks_per_sec();
    run_all("gateway", ours(Events::Contract), ticks);
    run_all("baseline", baseline(Events::Contract), ticks);
    thirty_events("gateway, 30 events", ours(Events::Thirty));
    thirty_events("baseline, 30 events", baseline(Events::Thirty));
    let one = |addr| {
        scenario::run_local(async move {
            scenario::contract(&target(addr), Events::One)
                .await
                .map(|m| m["checks"])
        })
    };
    assert_eq!(one(ours(Events::One)).expect("runs").expect("passes"), 3.0);
    assert_eq!(
        one(baseline(Events::One)).expect("runs").expect("passes"),
        3.0
    );
}
