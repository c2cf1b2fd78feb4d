//! Browser tests: starts the chat and dashboard examples in-process, each on a free port of
//! 127.0.0.1 and serving the official socket.io browser client from the npm package
//! (`tests/interop/node_modules/socket.io-client/dist`), then runs
//! `tests/interop/browser.test.mjs`: real headless Chromium (Debian's `chromium`), driven by
//! `playwright-core`, opens the examples' pages.
//!
//! Needs Node.js (20 or later), `npm ci --prefix tests/interop` (socket.io-client and
//! playwright-core), and Chromium at `/usr/bin/chromium` (or `CHROMIUM_PATH`); `.ci/run`
//! installs them. A missing piece fails the test, saying what to install. Screenshots of
//! the pages are written to `target/browser-artifacts/`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use example_chat::ClientBundle;
use gateway_tests::process::{Run as NodeRun, run_bounded};
use socketioxide_gateway::testing::TestServer;

/// The whole `node --test` run must finish within this.
const NODE_TIMEOUT: Duration = Duration::from_secs(90);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_chat_and_dashboard_pages_work_in_headless_chromium() {
    let interop = Path::new(env!("CARGO_MANIFEST_DIR")).join("interop");
    let chromium = std::env::var_os("CHROMIUM_PATH")
        .map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from);
    assert!(
        chromium.is_file(),
        "Chromium is missing at {}: install Debian's package (`apt-get install -y chromium`; \
         `.ci/run` does) or set CHROMIUM_PATH. This test does not skip without it.",
        chromium.display()
    );
    let client_dir = interop.join("node_modules/socket.io-client/dist");
    for package in ["socket.io-client", "playwright-core"] {
        assert!(
            interop.join("node_modules").join(package).is_dir(),
            "{} has no node_modules/{package}: run `npm ci --prefix tests/interop` \
             (from the workspace root) before this test",
            interop.display(),
        );
    }
    let artifacts = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/browser-artifacts");

    let chat = TestServer::start(example_chat::app_with(ClientBundle::Dir(
        client_dir.clone(),
    )))
    .await
    .expect("the chat example starts");
    let dashboard = TestServer::start(example_dashboard::app_with(example_dashboard::Options {
        client: example_dashboard::ClientBundle::Dir(client_dir),
        // Fast enough that the page sees readings stream in within the test's waits.
        sensor_interval: Duration::from_millis(250),
    }))
    .await
    .expect("the dashboard example starts");

    let started = Instant::now();
    let env = [
        ("CHAT_URL", chat.url()),
        ("DASHBOARD_URL", dashboard.url()),
        ("ARTIFACTS_DIR", artifacts.display().to_string()),
        ("CHROMIUM_PATH", chromium.display().to_string()),
    ];
    let run = run_node(&interop, &env).await;

    chat.shutdown().await.expect("the chat shuts down");
    dashboard
        .shutdown()
        .await
        .expect("the dashboard shuts down");

    let shots = format!("screenshots: {}", artifacts.display());
    match run {
        NodeRun::Finished {
            status,
            stdout,
            stderr,
        } => {
            assert!(
                status.success(),
                "`node --test browser.test.mjs` failed ({status}); {shots}\n\
                 --- stdout ---\n{stdout}\n--- stderr ---\n{stderr}"
            );
            eprintln!(
                "browser tests passed in {:.1} s; {shots}",
                started.elapsed().as_secs_f64()
            );
        }
        NodeRun::TimedOut { stdout, stderr } => panic!(
            "`node --test browser.test.mjs` did not finish within {NODE_TIMEOUT:?} and was \
             killed; {shots}\n--- stdout ---\n{stdout}\n--- stderr ---\n{stderr}"
        ),
    }
}

/// Runs `node --test browser.test.mjs` in `dir` with `env`, polling it from the runtime so
/// the in-process servers keep serving, and killing it (and Chromium, in its process
/// group) after [`NODE_TIMEOUT`].
async fn run_node(dir: &Path, env: &[(&str, String)]) -> NodeRun {
    let mut command = Command::new("node");
    command
        .args(["--test", "browser.test.mjs"])
        .current_dir(dir)
        .envs(env.iter().map(|(k, v)| (k, v)));
    run_bounded(command, NODE_TIMEOUT).await
}
