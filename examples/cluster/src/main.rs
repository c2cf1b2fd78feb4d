//! Run with: `cargo run -p example-cluster` (needs Redis >= 7 on 127.0.0.1:6379, or set
//! `GATEWAY_REDIS_URL`). Starts two nodes, `a` on 127.0.0.1:3001 and `b` on 127.0.0.1:3002;
//! put nginx in front with `nginx -c $PWD/deploy/nginx/nginx.conf` (port 8080).
//!
//! One node alone: `cargo run -p example-cluster -- --node a --port 3001`.

use std::process::{Child, Command};

use socketioxide_gateway::BoxError;

const NODES: [(&str, u16); 2] = [("a", 3001), ("b", 3002)];
const DEFAULT_REDIS: &str = "redis://127.0.0.1:6379";

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    // ANCHOR: node
    let args: Vec<String> = std::env::args().skip(1).collect();
    let flag = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    if let Some(node) = flag("--node") {
        let port = flag("--port").unwrap_or_else(|| "3001".to_owned());
        return example_cluster::app(&node)
            .serve(format!("127.0.0.1:{port}"))
            .await;
    }
    // ANCHOR_END: node
    // The supervisor: one child process per node, all on the same Redis.
    let redis = std::env::var(socketioxide_gateway::REDIS_URL_ENV)
        .unwrap_or_else(|_| DEFAULT_REDIS.to_owned());
    // Ctrl-C reaches the children too (same process group): the supervisor only waits for
    // them to drain and exit.
    tokio::spawn(async {
        if tokio::signal::ctrl_c().await.is_ok() {
            tracing::info!("stopping the nodes");
        }
    });
    let exe = std::env::current_exe()?;
    let mut children: Vec<Child> = Vec::new();
    for (node, port) in NODES {
        let child = Command::new(&exe)
            .args(["--node", node, "--port", &port.to_string()])
            .env(socketioxide_gateway::REDIS_URL_ENV, &redis)
            .spawn()?;
        tracing::info!(node, port, pid = child.id(), "node started");
        children.push(child);
    }
    tracing::info!(
        "nodes on 127.0.0.1:3001 and :3002 share {redis}; nginx: nginx -c $PWD/deploy/nginx/nginx.conf"
    );
    let mut failed = false;
    for mut child in children {
        let status = tokio::task::spawn_blocking(move || child.wait()).await??;
        failed |= !status.success();
    }
    if failed {
        return Err("a node exited with an error".into());
    }
    Ok(())
}
