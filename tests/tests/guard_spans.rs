//! Event guards log inside their event's `tracing` span, as handlers do: whether a check
//! decides at once (run in the dispatcher) or waits (finished on a task of its own).

use std::io::{self, Write};
use std::sync::{Arc, Mutex};

use socketioxide_gateway::prelude::*;
use socketioxide_gateway::testing::TestServer;
use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::MakeWriter;

/// Everything the subscriber writes.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().expect("lock")).into_owned()
    }
}

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.lock().expect("lock").extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Captured {
    type Writer = Captured;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

/// A subscriber writing this thread's logs, the event spans included, to a buffer; it is
/// the default until the guard drops.
fn capture() -> (Captured, tracing::subscriber::DefaultGuard) {
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::new("info,socketioxide_gateway::event=debug"))
        .with_writer(captured.clone())
        .with_ansi(false)
        .finish();
    let guard = tracing::subscriber::set_default(subscriber);
    (captured, guard)
}

/// Logs before deciding; with `waits`, also after an await.
struct Noisy {
    waits: bool,
}

impl Guard for Noisy {
    async fn check_event(&self, _cx: &GuardContext<'_>) -> Result<(), WsError> {
        tracing::info!(waits = self.waits, "guard before its await");
        if self.waits {
            tokio::task::yield_now().await;
            tracing::info!("guard after its await");
        }
        Ok(())
    }
}

#[derive(Default)]
struct Spans;

#[gateway(namespace = "/spans")]
impl Spans {
    #[subscribe("quick")]
    #[guard(Noisy { waits: false })]
    async fn quick(&self) {}

    #[subscribe("slow")]
    #[guard(Noisy { waits: true })]
    async fn slow(&self) {}
}

// A current-thread runtime: the server's tasks run on this thread, where the subscriber is
// the default.
#[tokio::test]
async fn event_guards_log_inside_their_events_span() {
    let (captured, _default) = capture();

    let server = TestServer::start(GatewayApp::explicit().link::<Spans>())
        .await
        .expect("server starts");
    let socket = server.socket("/spans").await.expect("connects");
    for event in ["quick", "slow"] {
        let ack = socket.call(event, ()).await.expect("ack");
        assert_eq!(ack["ok"], serde_json::json!(true), "{event}: {ack}");
    }

    let log = captured.text();
    for (needle, event) in [
        ("waits=false", "quick"),
        ("waits=true", "slow"),
        ("guard after its await", "slow"),
    ] {
        let lines: Vec<_> = log.lines().filter(|l| l.contains(needle)).collect();
        assert_eq!(lines.len(), 1, "`{needle}` once in:\n{log}");
        let span = format!("event{{namespace=\"/spans\" path=\"/spans\" event=\"{event}\"");
        assert!(lines[0].contains(&span), "`{span}` in: {}", lines[0]);
    }
}

#[derive(Default)]
struct DynamicSpans;

#[gateway(namespace = "/spans/{id}")]
impl DynamicSpans {
    #[subscribe("quick")]
    #[guard(Noisy { waits: false })]
    async fn quick(&self) {}
}

/// A dynamic namespace's span carries both its pattern and the socket's concrete path.
#[tokio::test]
async fn a_dynamic_namespaces_span_has_its_pattern_and_its_path() {
    let (captured, _default) = capture();

    let server = TestServer::start(GatewayApp::explicit().link::<DynamicSpans>())
        .await
        .expect("server starts");
    let socket = server.socket("/spans/7").await.expect("connects");
    let ack = socket.call("quick", ()).await.expect("ack");
    assert_eq!(ack["ok"], serde_json::json!(true), "{ack}");
    let log = captured.text();
    let line = log
        .lines()
        .find(|l| l.contains("waits=false"))
        .unwrap_or_else(|| panic!("the guard's line in:\n{log}"));
    let span = "event{namespace=\"/spans/{id}\" path=\"/spans/7\" event=\"quick\"";
    assert!(line.contains(span), "`{span}` in: {line}");
}
