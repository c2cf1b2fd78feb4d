//! [`TestServer`]: an app served on a free port of 127.0.0.1 for a test.

use std::net::SocketAddr;

use super::client::TestClient;
use super::error::TestClientError;
use super::namespace::NsClient;
use crate::app::{GatewayApp, Server, StartupError};

/// An app served on a free port of 127.0.0.1 for the duration of a test.
#[derive(Debug)]
pub struct TestServer {
    server: Server,
}

impl TestServer {
    /// Builds and serves `app` on `127.0.0.1:0`.
    pub async fn start(app: GatewayApp) -> Result<Self, StartupError> {
        let server = app.bind("127.0.0.1:0").await?;
        Ok(Self { server })
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.server.local_addr()
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr())
    }

    /// The `SocketIo` handle, to emit from the test as a service would.
    pub fn io(&self) -> &crate::SocketIo {
        self.server.io()
    }

    /// A new Engine.IO connection to the server.
    pub async fn client(&self) -> Result<TestClient, TestClientError> {
        TestClient::connect(&self.url()).await
    }

    /// Joins `namespace` on a new connection (no auth payload).
    pub async fn socket(&self, namespace: &str) -> Result<NsClient, TestClientError> {
        self.client().await?.namespace(namespace, None).await
    }

    /// Shuts the server down gracefully.
    pub async fn shutdown(self) -> std::io::Result<()> {
        self.server.shutdown().await
    }
}
