//! The load scenarios. Each runs on the current thread (inside a [`LocalSet`], see
//! [`run_local`]), drives a server through real sockets, and returns its figures as
//! [`Metrics`]. Server CPU and memory come from `/proc` when the server's pid is known.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::rc::Rc;
use std::time::{Duration, Instant};

use hdrhistogram::Histogram;
use serde_json::Value;
use tokio::task::{JoinSet, LocalSet};

use crate::Events;
use crate::procfs::{self, CpuMeter, Pid};
use crate::sio::{ConnectError, Packet, STEP_TIMEOUT, SioClient, Wire, find_u64, parse_packet};

/// A scenario's figures, by name (`acks_per_s`, `p99_us`, ...).
pub type Metrics = BTreeMap<String, f64>;

/// Errors of a scenario.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// The server under test.
#[derive(Debug, Clone)]
pub struct Target {
    /// Where it listens.
    pub addr: SocketAddr,
    /// The namespace (`/bench`).
    pub namespace: String,
    /// The auth token clients present.
    pub token: Option<String>,
    /// Its pid, for CPU and memory figures (none: those figures are left out).
    pub pid: Option<u32>,
    /// The parser it speaks: msgpack for the `ack`, `idle` and `storm` scenarios only
    /// (the others read event payloads as JSON text).
    pub wire: Wire,
}

/// Runs `fut` on a current-thread runtime with a [`LocalSet`], as the scenarios need.
pub fn run_local<F: Future>(fut: F) -> io::Result<F::Output> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    Ok(LocalSet::new().block_on(&rt, fut))
}

/// Latencies in microseconds, 1 µs to 100 s, 3 significant digits.
pub(crate) fn histogram() -> Histogram<u64> {
    Histogram::new_with_bounds(1, 100_000_000, 3).expect("valid histogram bounds")
}

/// State the client tasks of a scenario share (one thread: `Cell`s).
struct Shared {
    measuring: Cell<bool>,
    /// Tells the client loops to end.
    stop: Cell<bool>,
    count: Cell<u64>,
    latency: RefCell<Histogram<u64>>,
}

impl Shared {
    fn new() -> Rc<Self> {
        Rc::new(Self {
            measuring: Cell::new(false),
            stop: Cell::new(false),
            count: Cell::new(0),
            latency: RefCell::new(histogram()),
        })
    }

    fn record(&self, micros: u64) {
        if self.measuring.get() {
            self.count.set(self.count.get() + 1);
            self.latency.borrow_mut().saturating_record(micros.max(1));
        }
    }
}

/// Server, generator and machine CPU over the measurement window.
struct Window {
    ticks: u64,
    server: Option<CpuMeter>,
    generator: CpuMeter,
    machine_busy: Duration,
}

impl Window {
    pub(crate) fn open(target: &Target, ticks: u64) -> io::Result<Self> {
        Ok(Self {
            ticks,
            server: target
                .pid
                .map(|pid| CpuMeter::start(Pid::Other(pid), ticks))
                .transpose()?,
            generator: CpuMeter::start(Pid::Current, ticks)?,
            machine_busy: procfs::machine_busy_time(ticks)?,
        })
    }

    /// Closes the window: adds the CPU figures for `ops` operations to `m` (the server's
    /// and the load generator's share, and each one's CPU time per operation; and
    /// `others_cpu_pct`, what the rest of the machine used meanwhile, in percent of one
    /// core: above a few percent, something else competed for the two cores), and
    /// returns the wall time.
    fn close(self, ops: u64, m: &mut Metrics) -> io::Result<Duration> {
        let machine = procfs::machine_busy_time(self.ticks)?.saturating_sub(self.machine_busy);
        let (gen_cpu, wall) = self.generator.stop()?;
        m.insert("gen_cpu_pct".into(), pct(gen_cpu, wall));
        if ops > 0 {
            m.insert(
                "gen_cpu_us_per_op".into(),
                gen_cpu.as_secs_f64() * 1e6 / ops as f64,
            );
        }
        let mut others = machine.as_secs_f64() - gen_cpu.as_secs_f64();
        if let Some(server) = self.server {
            let (cpu, wall) = server.stop()?;
            others -= cpu.as_secs_f64();
            m.insert("server_cpu_pct".into(), pct(cpu, wall));
            if ops > 0 {
                m.insert(
                    "server_cpu_us_per_op".into(),
                    cpu.as_secs_f64() * 1e6 / ops as f64,
                );
            }
        }
        m.insert(
            "others_cpu_pct".into(),
            100.0 * others / wall.as_secs_f64().max(1e-9),
        );
        Ok(wall)
    }
}

pub(crate) fn pct(cpu: Duration, wall: Duration) -> f64 {
    100.0 * cpu.as_secs_f64() / wall.as_secs_f64().max(1e-9)
}

pub(crate) fn insert_latency(m: &mut Metrics, hist: &Histogram<u64>) {
    if hist.is_empty() {
        return;
    }
    m.insert("p50_us".into(), hist.value_at_quantile(0.50) as f64);
    m.insert("p99_us".into(), hist.value_at_quantile(0.99) as f64);
    m.insert("max_us".into(), hist.max() as f64);
}

/// Connects `n` clients, at most `concurrency` handshakes at a time.
pub async fn connect_many(
    target: &Target,
    n: usize,
    concurrency: usize,
    read_buf: usize,
) -> Result<Vec<SioClient>, BoxError> {
    connect_placed(target, n, concurrency, read_buf, |_| (target.addr, None)).await
}

/// [`connect_many`], client `i` connecting to the server address `place(i).0` from the
/// local address `place(i).1` (any when `None`). The clients come back in the order
/// their handshakes finished.
pub(crate) async fn connect_placed(
    target: &Target,
    n: usize,
    concurrency: usize,
    read_buf: usize,
    place: impl Fn(usize) -> (SocketAddr, Option<SocketAddr>),
) -> Result<Vec<SioClient>, BoxError> {
    let mut clients = Vec::with_capacity(n);
    let mut pending = JoinSet::new();
    let mut started = 0;
    while clients.len() < n {
        while started < n && pending.len() < concurrency.max(1) {
            let (addr, source) = place(started);
            let (ns, token) = (target.namespace.clone(), target.token.clone());
            let wire = target.wire;
            pending.spawn_local(async move {
                SioClient::connect_from(addr, source, &ns, token.as_deref(), read_buf, wire).await
            });
            started += 1;
        }
        match pending.join_next().await {
            Some(joined) => clients.push(joined??),
            None => break,
        }
    }
    Ok(clients)
}

/// Fails if a client task has ended with an error; then stops the rest.
pub(crate) async fn finish(tasks: &mut JoinSet<io::Result<()>>) -> Result<(), BoxError> {
    let mut first_error = None;
    while let Some(done) = tasks.try_join_next() {
        if let Ok(Err(err)) = done {
            first_error.get_or_insert(err);
        }
    }
    tasks.shutdown().await;
    match first_error {
        Some(err) => Err(format!("a client failed during the run: {err}").into()),
        None => Ok(()),
    }
}

/// Settings of the ack round-trip scenario.
#[derive(Debug, Clone)]
pub struct AckConfig {
    /// Clients, each with one `echo` in flight (a closed loop).
    pub clients: usize,
    /// Not measured.
    pub warmup: Duration,
    /// Measured.
    pub duration: Duration,
}

/// The `echo` payload of the ack scenario.
pub const ECHO_PAYLOAD: &[u8] = br#"{"n":12345,"s":"hello, gateway","ok":true}"#;

/// Ack round trips: C clients in closed loops emit `echo` and wait for its ack.
/// Figures: `acks_per_s`, `p50_us`, `p99_us`, `server_cpu_us_per_op` (per ack).
pub async fn ack(target: &Target, cfg: &AckConfig, ticks: u64) -> Result<Metrics, BoxError> {
    let mut clients = connect_many(target, cfg.clients, 64, 4096).await?;
    if let Some(first) = clients.first_mut() {
        let acked = first.call(u64::MAX >> 12, "echo", ECHO_PAYLOAD).await?;
        check_echo(&acked, ECHO_PAYLOAD)?;
    }
    let shared = Shared::new();
    let mut tasks = JoinSet::new();
    for mut client in clients {
        let shared = shared.clone();
        tasks.spawn_local(async move {
            let mut id = 0u64;
            while !shared.stop.get() {
                id += 1;
                let sent = Instant::now();
                client.queue_emit(Some(id), "echo", ECHO_PAYLOAD);
                client.ws.flush().await?;
                let mut acked = false;
                while !acked {
                    let decoder = &client.decoder;
                    client
                        .ws
                        .read_batch_timeout(STEP_TIMEOUT, |text| {
                            if let Packet::Ack { id: got, .. } = decoder.parse(text) {
                                acked |= got == id;
                            }
                        })
                        .await?;
                }
                shared.record(sent.elapsed().as_micros() as u64);
            }
            Ok(())
        });
    }
    tokio::time::sleep(cfg.warmup).await;
    let window = Window::open(target, ticks)?;
    shared.measuring.set(true);
    tokio::time::sleep(cfg.duration).await;
    shared.measuring.set(false);
    let acks = shared.count.get();
    let mut m = Metrics::new();
    let wall = window.close(acks, &mut m)?;
    shared.stop.set(true);
    finish(&mut tasks).await?;
    m.insert("acks_per_s".into(), acks as f64 / wall.as_secs_f64());
    m.insert("clients".into(), cfg.clients as f64);
    insert_latency(&mut m, &shared.latency.borrow());
    Ok(m)
}

fn check_echo(acked: &[u8], sent: &[u8]) -> Result<(), BoxError> {
    let acked: Value = serde_json::from_slice(acked)?;
    let sent: Value = serde_json::from_slice(sent)?;
    if acked != Value::Array(vec![sent.clone()]) {
        return Err(format!("`echo` acked {acked}, expected [{sent}]").into());
    }
    Ok(())
}

/// Settings of the fanout scenario.
#[derive(Debug, Clone)]
pub struct FanoutConfig {
    /// Sockets in the room.
    pub receivers: usize,
    /// The sender's `broadcast`s in flight (acked ones make room for more).
    pub window: usize,
    /// Not measured.
    pub warmup: Duration,
    /// Measured.
    pub duration: Duration,
}

/// Fanout: N receivers in a room; one sender, outside it, emits `broadcast` as fast as
/// its window of unacknowledged emits allows. Figures: `deliveries_per_s` (`msg` events
/// received), delivery latency `p50_us`/`p99_us` (emit to receipt),
/// `server_cpu_us_per_op` (per delivery), `broadcasts_per_s`.
pub async fn fanout(target: &Target, cfg: &FanoutConfig, ticks: u64) -> Result<Metrics, BoxError> {
    const ROOM: &str = "fanout";
    let mut receivers = connect_many(target, cfg.receivers, 64, 64 * 1024).await?;
    for receiver in &mut receivers {
        let acked = receiver
            .call(1, "join", format!("\"{ROOM}\"").as_bytes())
            .await?;
        if acked != b"[true]" {
            return Err(format!("`join` acked {}", String::from_utf8_lossy(&acked)).into());
        }
    }
    let mut sender = connect_many(target, 1, 1, 64 * 1024)
        .await?
        .pop()
        .ok_or("no sender")?;
    let epoch = Instant::now();
    let shared = Shared::new();
    let mut tasks = JoinSet::new();
    for mut receiver in receivers {
        let shared = shared.clone();
        tasks.spawn_local(async move {
            while !shared.stop.get() {
                let prefix = &receiver.decoder.prefix;
                receiver
                    .ws
                    .read_batch(|text| {
                        if let Some(data) = msg_event(prefix, text)
                            && let Some(t) = find_u64(data, b"\"t\":")
                        {
                            let now = epoch.elapsed().as_nanos() as u64;
                            shared.record(now.saturating_sub(t) / 1000);
                        }
                    })
                    .await?;
            }
            Ok(())
        });
    }
    let broadcasts = Rc::new(Cell::new(0u64));
    let measuring = Rc::new(Cell::new(false));
    {
        let (broadcasts, measuring, window) = (broadcasts.clone(), measuring.clone(), cfg.window);
        let shared = shared.clone();
        tasks.spawn_local(async move {
            let mut next_id = 1u64;
            let mut outstanding = 0usize;
            let mut payload = Vec::with_capacity(128);
            while !shared.stop.get() {
                while outstanding < window {
                    payload.clear();
                    let t = epoch.elapsed().as_nanos() as u64;
                    use std::io::Write as _;
                    write!(
                        payload,
                        r#"{{"room":"{ROOM}","t":{t},"text":"a message for everyone in the room"}}"#
                    )?;
                    sender.queue_emit(Some(next_id), "broadcast", &payload);
                    next_id += 1;
                    outstanding += 1;
                }
                sender.ws.flush().await?;
                let prefix = &sender.decoder.prefix;
                let mut acked = 0;
                sender
                    .ws
                    .read_batch_timeout(STEP_TIMEOUT, |text| {
                        if let Packet::Ack { .. } = parse_packet(prefix, text) {
                            acked += 1;
                        }
                    })
                    .await?;
                outstanding = outstanding.saturating_sub(acked);
                if measuring.get() {
                    broadcasts.set(broadcasts.get() + acked as u64);
                }
            }
            Ok(())
        });
    }
    tokio::time::sleep(cfg.warmup).await;
    let window = Window::open(target, ticks)?;
    shared.measuring.set(true);
    measuring.set(true);
    tokio::time::sleep(cfg.duration).await;
    shared.measuring.set(false);
    measuring.set(false);
    let deliveries = shared.count.get();
    let mut m = Metrics::new();
    let wall = window.close(deliveries, &mut m)?;
    shared.stop.set(true);
    finish(&mut tasks).await?;
    m.insert(
        "deliveries_per_s".into(),
        deliveries as f64 / wall.as_secs_f64(),
    );
    m.insert(
        "broadcasts_per_s".into(),
        broadcasts.get() as f64 / wall.as_secs_f64(),
    );
    m.insert("receivers".into(), cfg.receivers as f64);
    m.insert("window".into(), cfg.window as f64);
    insert_latency(&mut m, &shared.latency.borrow());
    Ok(m)
}

/// Settings of the idle-connections scenario.
#[derive(Debug, Clone)]
pub struct IdleConfig {
    /// Connections measured.
    pub connections: usize,
    /// Connections opened (and held) before the first reading, so that one-time costs
    /// (code paged in, pools and tables warmed up) are not counted per connection.
    pub warm: usize,
    /// Wait before each memory reading.
    pub settle: Duration,
}

/// Connects `n` clients and keeps them answering pings, idle otherwise.
async fn hold_idle(
    target: &Target,
    n: usize,
    tasks: &mut JoinSet<io::Result<()>>,
) -> Result<(), BoxError> {
    for mut client in connect_many(target, n, 128, 512).await? {
        tasks.spawn_local(async move {
            loop {
                client.ws.read_batch(|_| ()).await?;
            }
        });
    }
    Ok(())
}

/// Idle connections: the server's RSS before and with K more connected, idle sockets
/// (answering pings). Figure: `bytes_per_conn` = (VmRSS with K more − VmRSS before) / K;
/// `anon_bytes_per_conn`, the same from `RssAnon`; `gen_bytes_per_conn`, the same for the
/// load generator's own VmRSS (what its client holds per connection).
pub async fn idle(target: &Target, cfg: &IdleConfig) -> Result<Metrics, BoxError> {
    let pid = target.pid.map(Pid::Other);
    let read = |pid: Option<Pid>| -> io::Result<Option<(u64, u64)>> {
        pid.map(|pid| Ok((procfs::rss_bytes(pid)?, procfs::rss_anon_bytes(pid)?)))
            .transpose()
    };
    let mut tasks = JoinSet::new();
    hold_idle(target, cfg.warm, &mut tasks).await?;
    tokio::time::sleep(cfg.settle).await;
    let before = read(pid)?;
    let gen_before = procfs::rss_bytes(Pid::Current)?;
    let started = Instant::now();
    hold_idle(target, cfg.connections, &mut tasks).await?;
    let connect_time = started.elapsed();
    tokio::time::sleep(cfg.settle).await;
    let after = read(pid)?;
    let gen_after = procfs::rss_bytes(Pid::Current)?;
    let mut m = Metrics::new();
    m.insert(
        "gen_bytes_per_conn".into(),
        (gen_after as f64 - gen_before as f64) / cfg.connections.max(1) as f64,
    );
    m.insert("connections".into(), cfg.connections as f64);
    m.insert("warm".into(), cfg.warm as f64);
    m.insert("connect_s".into(), connect_time.as_secs_f64());
    if let (Some(before), Some(after)) = (before, after) {
        let k = cfg.connections.max(1) as f64;
        m.insert("rss_before_mb".into(), before.0 as f64 / 1e6);
        m.insert("rss_after_mb".into(), after.0 as f64 / 1e6);
        m.insert(
            "bytes_per_conn".into(),
            (after.0 as f64 - before.0 as f64) / k,
        );
        m.insert(
            "anon_bytes_per_conn".into(),
            (after.1 as f64 - before.1 as f64) / k,
        );
    }
    finish(&mut tasks).await?;
    Ok(m)
}

/// Settings of the connect-storm scenario.
#[derive(Debug, Clone)]
pub struct StormConfig {
    /// Connectors, each opening a connection, joining the namespace, and dropping it, in
    /// a loop.
    pub concurrency: usize,
    /// Not measured.
    pub warmup: Duration,
    /// Measured.
    pub duration: Duration,
}

/// Connect storm: connectors open a WebSocket, join the namespace (auth checked), and
/// drop the connection, in closed loops. Figures: `connects_per_s`, `p50_us`/`p99_us` of
/// a whole connect, `server_cpu_us_per_op` (per connect, its teardown included).
pub async fn storm(target: &Target, cfg: &StormConfig, ticks: u64) -> Result<Metrics, BoxError> {
    let shared = Shared::new();
    let errors = Rc::new(Cell::new(0u64));
    let mut tasks = JoinSet::new();
    for _ in 0..cfg.concurrency.max(1) {
        let (shared, errors, target) = (shared.clone(), errors.clone(), target.clone());
        tasks.spawn_local(async move {
            while !shared.stop.get() {
                let started = Instant::now();
                match SioClient::connect(
                    target.addr,
                    &target.namespace,
                    target.token.as_deref(),
                    512,
                    target.wire,
                )
                .await
                {
                    Ok(client) => {
                        shared.record(started.elapsed().as_micros() as u64);
                        drop(client);
                    }
                    Err(_) if shared.measuring.get() => errors.set(errors.get() + 1),
                    Err(_) => {}
                }
            }
            Ok(())
        });
    }
    tokio::time::sleep(cfg.warmup).await;
    let window = Window::open(target, ticks)?;
    shared.measuring.set(true);
    tokio::time::sleep(cfg.duration).await;
    shared.measuring.set(false);
    let connects = shared.count.get();
    let mut m = Metrics::new();
    let wall = window.close(connects, &mut m)?;
    shared.stop.set(true);
    finish(&mut tasks).await?;
    m.insert(
        "connects_per_s".into(),
        connects as f64 / wall.as_secs_f64(),
    );
    m.insert("errors".into(), errors.get() as f64);
    m.insert("concurrency".into(), cfg.concurrency as f64);
    insert_latency(&mut m, &shared.latency.borrow());
    Ok(m)
}

/// Checks the server against the benchmark contract (see the `example-bench` docs), for
/// the events it has. Figure: `checks`, the number of checks passed.
pub async fn contract(target: &Target, events: Events) -> Result<Metrics, BoxError> {
    let mut checks = 0.0;
    let connect = |token: Option<String>| {
        let target = target.clone();
        async move {
            SioClient::connect(
                target.addr,
                &target.namespace,
                token.as_deref(),
                4096,
                target.wire,
            )
            .await
        }
    };
    if let Some(token) = &target.token {
        for wrong in [None, Some(format!("{token}-wrong"))] {
            match connect(wrong).await {
                Err(ConnectError::Refused(_)) => checks += 1.0,
                Err(err) => {
                    return Err(format!("a bad token was not refused cleanly: {err}").into());
                }
                Ok(_) => return Err("a client with a bad token was let in".into()),
            }
        }
    }
    let mut a = connect(target.token.clone()).await?;
    let payload = br#"{"list":[1,2.5,{"deep":"caf\u00e9 \u2603"}],"none":null,"s":"x"}"#;
    check_echo(&a.call(1, "echo", payload).await?, payload)?;
    checks += 1.0;
    match events {
        Events::One => {}
        Events::Thirty => {
            check_echo(&a.call(2, "event_29", payload).await?, payload)?;
            checks += 1.0;
        }
        Events::Contract => {
            let mut b = connect(target.token.clone()).await?;
            let mut c = connect(target.token.clone()).await?;
            for client in [&mut a, &mut b] {
                let acked = client.call(3, "join", b"\"room-1\"").await?;
                if acked != b"[true]" {
                    return Err(format!("`join` acked {}", String::from_utf8_lossy(&acked)).into());
                }
                checks += 1.0;
            }
            let msg = br#"{"room":"room-1","n":7,"nested":{"k":[true]}}"#;
            let expected: Value = serde_json::from_slice(msg)?;
            // A member broadcasts with an ack: both members get `msg`, the sender too.
            a.queue_emit(Some(4), "broadcast", msg);
            a.ws.flush().await?;
            let (mut got_ack, mut got_msg) = (false, false);
            while !(got_ack && got_msg) {
                let prefix = a.decoder.prefix.clone();
                let mut bad = None;
                a.ws.read_batch_timeout(STEP_TIMEOUT, |text| match parse_packet(&prefix, text) {
                    Packet::Ack { id: 4, data } => {
                        got_ack = true;
                        if data != b"[true]" {
                            bad = Some(String::from_utf8_lossy(data).into_owned());
                        }
                    }
                    Packet::Event { data } => {
                        got_msg |= msg_matches(data, &expected);
                    }
                    _ => {}
                })
                .await?;
                if let Some(bad) = bad {
                    return Err(format!("`broadcast` acked {bad}, expected [true]").into());
                }
            }
            checks += 1.0;
            expect_msg(&mut b, &expected).await?;
            checks += 1.0;
            // A non-member broadcasts without an ack: members get `msg`, it gets nothing.
            c.queue_emit(None, "broadcast", msg);
            c.ws.flush().await?;
            expect_msg(&mut a, &expected).await?;
            expect_msg(&mut b, &expected).await?;
            let mut stray = 0;
            let _ =
                c.ws.read_batch_timeout(Duration::from_millis(200), |_| stray += 1)
                    .await;
            if stray > 0 {
                return Err(
                    "a non-member got the room's `msg`, or an ack it did not ask for".into(),
                );
            }
            checks += 1.0;
        }
    }
    let mut m = Metrics::new();
    m.insert("checks".into(), checks);
    Ok(m)
}

/// The arguments of a `msg` event of the namespace (`["msg",{...}]`), what the contract's
/// `broadcast` sends to a room, if `text` is one.
pub(crate) fn msg_event<'a>(prefix: &[u8], text: &'a [u8]) -> Option<&'a [u8]> {
    match parse_packet(prefix, text) {
        Packet::Event { data } if data.starts_with(b"[\"msg\",") => Some(data),
        _ => None,
    }
}

fn msg_matches(data: &[u8], expected: &Value) -> bool {
    serde_json::from_slice::<Value>(data)
        .is_ok_and(|v| v == Value::Array(vec![Value::from("msg"), expected.clone()]))
}

async fn expect_msg(client: &mut SioClient, expected: &Value) -> Result<(), BoxError> {
    let mut got = false;
    while !got {
        let prefix = client.decoder.prefix.clone();
        client
            .ws
            .read_batch_timeout(STEP_TIMEOUT, |text| {
                if let Packet::Event { data } = parse_packet(&prefix, text) {
                    got |= msg_matches(data, expected);
                }
            })
            .await?;
    }
    Ok(())
}
