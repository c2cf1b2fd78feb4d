//! The contracts side of [`GatewayApp`]: what the app's gateways export (TypeScript for
//! `socket.io-client`, AsyncAPI), and the `--export-contracts DIR` flag of `serve`.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use crate::app::GatewayApp;
use crate::contract::{ContractBuilder, ContractInfo, Contracts};
use crate::registry;

impl GatewayApp {
    /// Title, version and server of the exported contracts (see [`contracts`](Self::contracts)).
    pub fn contract_info(mut self, info: ContractInfo) -> Self {
        self.contract_info = Some(info);
        self
    }

    /// The contracts of every gateway this app would serve: namespaces, client events with
    /// their payloads and acks, and the server events gateways declare with `emits(...)`.
    /// Render them with [`Contracts::typescript`] and [`Contracts::asyncapi`], or write both
    /// with [`Contracts::write_to`]. Deterministic: everything is sorted.
    pub fn contracts(&self) -> Contracts {
        self.contracts_with(self.contract_info.as_ref())
    }

    /// [`contracts`](Self::contracts), described by `info` (the defaults, with the app's
    /// Socket.IO path, when `None`).
    fn contracts_with(&self, info: Option<&ContractInfo>) -> Contracts {
        let mut builder = ContractBuilder::new();
        for descriptor in registry::collect(self.from_inventory, &self.linked) {
            builder.begin_gateway(
                descriptor.namespace,
                descriptor.type_name,
                descriptor.ack_mode.unwrap_or(self.config.ack_mode),
            );
            (descriptor.contract)(&mut builder);
        }
        let info = match info {
            Some(info) => info.clone(),
            None => ContractInfo {
                path: self.config.path.clone(),
                ..ContractInfo::default()
            },
        };
        builder.finish(info)
    }

    /// Writes `DIR/events.ts` and `DIR/asyncapi.yaml` if the program was run with
    /// `--export-contracts DIR`, and answers whether it did. `serve` does this by itself;
    /// call it first in `main` when `main` does setup before `serve` that an export does
    /// not need (reading secrets, connecting to a database), and return when it answers
    /// `true`:
    ///
    /// ```no_run
    /// # use socketioxide_gateway::prelude::*;
    /// # async fn run() -> Result<(), BoxError> {
    /// let app = GatewayApp::new();
    /// if app.export_contracts_if_asked()? {
    ///     return Ok(());
    /// }
    /// let secret = std::env::var("JWT_SECRET")?; // not needed to export
    /// # let _ = secret;
    /// app.serve("127.0.0.1:3000").await
    /// # }
    /// ```
    ///
    /// The AsyncAPI server is [`contract_info`](Self::contract_info)'s, or the default.
    pub fn export_contracts_if_asked(&self) -> Result<bool, crate::BoxError> {
        let Some(dir) = export_contracts_flag(std::env::args_os())? else {
            return Ok(false);
        };
        self.export(&dir, self.contract_info.clone())?;
        Ok(true)
    }

    /// [`export_contracts_if_asked`](Self::export_contracts_if_asked) for `serve`: the
    /// AsyncAPI server is `addr` unless [`contract_info`](Self::contract_info) says
    /// otherwise.
    pub(crate) async fn export_if_asked(
        &self,
        addr: impl tokio::net::ToSocketAddrs,
    ) -> Result<bool, crate::BoxError> {
        let Some(dir) = export_contracts_flag(std::env::args_os())? else {
            return Ok(false);
        };
        let info = match &self.contract_info {
            Some(info) => info.clone(),
            None => {
                let mut info = ContractInfo::default();
                if let Some(host) = tokio::net::lookup_host(addr).await?.next() {
                    info.host = host.to_string();
                }
                info
            }
        };
        self.export(&dir, Some(info))?;
        Ok(true)
    }

    /// Writes the contracts into `dir`, described by `info`, and says so on stdout.
    fn export(&self, dir: &Path, info: Option<ContractInfo>) -> std::io::Result<()> {
        let contracts = self.contracts_with(info.as_ref());
        contracts.write_to(dir)?;
        for untyped in contracts.untyped() {
            tracing::warn!("no JsonSchema, exported as `unknown`: {untyped}");
        }
        println!(
            "wrote {} and {}",
            dir.join("events.ts").display(),
            dir.join("asyncapi.yaml").display()
        );
        Ok(())
    }
}

/// `--export-contracts DIR` (or `--export-contracts=DIR`) among the program's arguments.
fn export_contracts_flag(
    args: impl IntoIterator<Item = OsString>,
) -> Result<Option<PathBuf>, crate::BoxError> {
    const FLAG: &str = "--export-contracts";
    let mut args = args.into_iter().skip(1);
    while let Some(arg) = args.next() {
        if arg == FLAG {
            return match args.next() {
                Some(dir) => Ok(Some(dir.into())),
                None => Err(format!("{FLAG} needs a directory: {FLAG} DIR").into()),
            };
        }
        if let Some(dir) = arg
            .to_str()
            .and_then(|a| a.strip_prefix("--export-contracts="))
        {
            return Ok(Some(dir.into()));
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::export_contracts_flag;
    use crate::app::GatewayApp;

    #[test]
    fn the_export_writes_both_files_from_the_registry_alone() {
        let dir = std::env::temp_dir().join(format!("gateway-export-{}", std::process::id()));
        GatewayApp::explicit().export(&dir, None).expect("writes");
        let ts = std::fs::read_to_string(dir.join("events.ts")).expect("events.ts");
        assert!(ts.starts_with("// events.ts: "), "{ts}");
        let yaml = std::fs::read_to_string(dir.join("asyncapi.yaml")).expect("asyncapi.yaml");
        assert!(yaml.starts_with("asyncapi: 3.0.0"), "{yaml}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    fn flag(args: &[&str]) -> Option<String> {
        let args = std::iter::once("app")
            .chain(args.iter().copied())
            .map(Into::into);
        export_contracts_flag(args)
            .expect("valid")
            .map(|dir| dir.display().to_string())
    }

    #[test]
    fn the_export_flag_takes_a_directory() {
        assert_eq!(flag(&[]), None);
        assert_eq!(flag(&["--export-contracts", "out"]), Some("out".to_owned()));
        assert_eq!(
            flag(&["-v", "--export-contracts=out/x"]),
            Some("out/x".to_owned())
        );
        let missing = std::iter::once("app")
            .chain(["--export-contracts"])
            .map(Into::into);
        assert!(export_contracts_flag(missing).is_err());
    }
}
