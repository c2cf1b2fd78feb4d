//! Settings from outside the code: the environment (`GATEWAY_*` variables) and, when
//! `GATEWAY_CONFIG_FILE` names one, a TOML file, read through figment when the app starts.
//!
//! What the code sets (`GatewayApp::ping_interval(..)`, `config(..)`) is the app's
//! default; the file overrides it, and the environment overrides both, so an operator
//! changes a deployment without a rebuild. Only what is set is applied. A value that does
//! not parse stops startup with a message naming the variable (or the file's key) and
//! what it accepts. The table of settings is book/src/configuration.md.

use std::time::Duration;

use figment::Figment;
use figment::providers::{Env, Format, Toml};
use serde::Deserialize;
use serde::de::{self, Deserializer};

use crate::app::config::{GatewayConfig, Parser, Transports};

/// The prefix of every variable (`GATEWAY_PING_INTERVAL` sets `ping_interval`).
pub const ENV_PREFIX: &str = "GATEWAY_";

/// The variable naming a TOML file of settings (keys as the variables without the
/// prefix, lowercased: `ping_interval = "25s"`).
pub const CONFIG_FILE_ENV: &str = "GATEWAY_CONFIG_FILE";

/// Every setting that can come from outside, each optional.
#[derive(Debug, Default, Deserialize)]
struct External {
    path: Option<String>,
    #[serde(default, deserialize_with = "duration")]
    ping_interval: Option<Duration>,
    #[serde(default, deserialize_with = "duration")]
    ping_timeout: Option<Duration>,
    #[serde(default, deserialize_with = "duration")]
    connect_timeout: Option<Duration>,
    #[serde(default, deserialize_with = "duration")]
    ack_timeout: Option<Duration>,
    #[serde(default, deserialize_with = "duration")]
    shutdown_timeout: Option<Duration>,
    #[serde(default, deserialize_with = "duration")]
    binary_completion_timeout: Option<Duration>,
    max_payload: Option<u64>,
    max_buffer_size: Option<usize>,
    ws_read_buffer_size: Option<usize>,
    max_binary_attachments: Option<usize>,
    max_binary_size: Option<usize>,
    max_ordered_backlog: Option<usize>,
    report_exceptions: Option<bool>,
    http_compression: Option<bool>,
    #[serde(default, deserialize_with = "transports")]
    transports: Option<Transports>,
    #[serde(default, deserialize_with = "parser")]
    parser: Option<Parser>,
    #[serde(default, deserialize_with = "list")]
    allowed_origins: Option<Vec<String>>,
}

/// `config` with what the file and the environment set applied over it.
pub(crate) fn apply(config: GatewayConfig) -> Result<GatewayConfig, String> {
    let external: External = sources()?.extract().map_err(|err| describe(&err))?;
    Ok(external.apply_to(config))
}

/// The file (if `GATEWAY_CONFIG_FILE` names one), then the environment over it.
fn sources() -> Result<Figment, String> {
    let mut figment = Figment::new();
    if let Ok(file) = std::env::var(CONFIG_FILE_ENV) {
        if !std::path::Path::new(&file).is_file() {
            return Err(format!("{CONFIG_FILE_ENV}: no file at `{file}`"));
        }
        figment = figment.merge(Toml::file(file));
    }
    // `GATEWAY_REDIS_URL` and the file variable are read elsewhere; other unknown
    // variables are ignored, so an app's own `GATEWAY_*` settings do not stop it.
    Ok(figment.merge(Env::prefixed(ENV_PREFIX).ignore(&["config_file", "redis_url"])))
}

/// The Admin UI's settings from outside (`GATEWAY_ADMIN_UI_USER` and
/// `GATEWAY_ADMIN_UI_PASSWORD_HASH` turn it on; `_READ_ONLY`, `_MODE`, `_NAMESPACE`,
/// `_SERVER_ID`), each over what the code set.
#[cfg(feature = "admin-ui")]
pub(crate) fn admin_ui(
    code: Option<crate::admin_ui::AdminUi>,
) -> Result<Option<crate::admin_ui::AdminUi>, String> {
    use crate::admin_ui::{AdminAuth, AdminMode, AdminUi};

    #[derive(Debug, Default, Deserialize)]
    struct AdminExternal {
        admin_ui_user: Option<String>,
        admin_ui_password_hash: Option<String>,
        admin_ui_read_only: Option<bool>,
        admin_ui_mode: Option<String>,
        admin_ui_namespace: Option<String>,
        admin_ui_server_id: Option<String>,
    }
    let external: AdminExternal = sources()?.extract().map_err(|err| describe(&err))?;
    let mut admin = match (
        external.admin_ui_user,
        external.admin_ui_password_hash,
        code,
    ) {
        (Some(user), Some(hash), _) => AdminUi::new(AdminAuth::basic(user, hash)),
        (None, None, Some(code)) => code,
        (None, None, None) => return Ok(None),
        _ => {
            return Err(format!(
                "{ENV_PREFIX}ADMIN_UI_USER and {ENV_PREFIX}ADMIN_UI_PASSWORD_HASH go together: set both, or neither"
            ));
        }
    };
    if let Some(read_only) = external.admin_ui_read_only {
        admin = admin.read_only(read_only);
    }
    if let Some(mode) = external.admin_ui_mode {
        admin = admin.mode(match mode.trim().to_ascii_lowercase().as_str() {
            "development" => AdminMode::Development,
            "production" => AdminMode::Production,
            _ => {
                return Err(format!(
                    "{ENV_PREFIX}ADMIN_UI_MODE: `development` or `production`, got `{mode}`"
                ));
            }
        });
    }
    if let Some(namespace) = external.admin_ui_namespace {
        admin = admin.namespace(namespace);
    }
    if let Some(server_id) = external.admin_ui_server_id {
        admin = admin.server_id(server_id);
    }
    Ok(Some(admin))
}

impl External {
    fn apply_to(self, mut c: GatewayConfig) -> GatewayConfig {
        macro_rules! set {
            ($($field:ident),*) => {$(
                if let Some(value) = self.$field {
                    c.$field = value;
                }
            )*};
        }
        set!(
            path,
            ping_interval,
            ping_timeout,
            connect_timeout,
            ack_timeout,
            shutdown_timeout,
            binary_completion_timeout,
            max_payload,
            max_buffer_size,
            ws_read_buffer_size,
            max_binary_attachments,
            max_binary_size,
            max_ordered_backlog,
            report_exceptions,
            http_compression,
            transports,
            parser
        );
        if let Some(origins) = self.allowed_origins {
            c.allowed_origins = Some(origins);
        }
        c
    }
}

/// figment's error, with the variable's name as the user wrote it (`GATEWAY_PING_INTERVAL`
/// rather than the key `ping_interval`) when it came from the environment.
fn describe(err: &figment::Error) -> String {
    let mut lines = Vec::new();
    for err in err.clone() {
        let key = err.path.last().cloned().unwrap_or_default();
        let from_env = err
            .metadata
            .as_ref()
            .is_some_and(|m| m.name.contains("environment"));
        let whence = if from_env {
            format!("{ENV_PREFIX}{}", key.to_ascii_uppercase())
        } else if key.is_empty() {
            "configuration".to_owned()
        } else {
            format!(
                "`{key}` in {}",
                std::env::var(CONFIG_FILE_ENV).unwrap_or_default()
            )
        };
        lines.push(format!("{whence}: {}", err.kind));
    }
    lines.join("; ")
}

/// A duration as people write it: `25s`, `300ms`, `1m 30s` (humantime), or a whole
/// number of milliseconds.
fn duration<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Duration>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Millis(u64),
        Text(String),
    }
    match Raw::deserialize(deserializer)
        .map_err(|_| de::Error::custom("expected a duration, like `25s`, `300ms` or `1m 30s`"))?
    {
        Raw::Millis(ms) => Ok(Some(Duration::from_millis(ms))),
        Raw::Text(text) => humantime::parse_duration(text.trim()).map(Some).map_err(|err| {
            de::Error::custom(format!(
                "`{text}` is not a duration ({err}); expected one like `25s`, `300ms` or `1m 30s`"
            ))
        }),
    }
}

/// `websocket`, `polling`, or both comma-separated (in either order).
fn transports<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Transports>, D::Error> {
    let text = String::deserialize(deserializer)?;
    let (mut websocket, mut polling) = (false, false);
    for name in text
        .split(',')
        .map(str::trim)
        .filter(|name| !name.is_empty())
    {
        match name.to_ascii_lowercase().as_str() {
            "websocket" => websocket = true,
            "polling" => polling = true,
            _ => {
                return Err(de::Error::custom(format!(
                    "unknown transport `{name}`; expected `websocket`, `polling`, or both comma-separated"
                )));
            }
        }
    }
    match (websocket, polling) {
        (true, true) => Ok(Some(Transports::Both)),
        (true, false) => Ok(Some(Transports::WebSocket)),
        (false, true) => Ok(Some(Transports::Polling)),
        (false, false) => Err(de::Error::custom(
            "no transport; expected `websocket`, `polling`, or both comma-separated",
        )),
    }
}

/// `json` or `msgpack`.
fn parser<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Parser>, D::Error> {
    let text = String::deserialize(deserializer)?;
    match text.trim().to_ascii_lowercase().as_str() {
        "json" => Ok(Some(Parser::Json)),
        "msgpack" => Ok(Some(Parser::MsgPack)),
        _ => Err(de::Error::custom(format!(
            "unknown parser `{text}`; expected `json` or `msgpack`"
        ))),
    }
}

/// A comma-separated list (`a,b`), or a list in the file (`["a", "b"]`).
fn list<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Vec<String>>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        List(Vec<String>),
        Text(String),
    }
    let items = match Raw::deserialize(deserializer)? {
        Raw::List(items) => items,
        Raw::Text(text) => text.split(',').map(|s| s.trim().to_owned()).collect(),
    };
    Ok(Some(items.into_iter().filter(|s| !s.is_empty()).collect()))
}

#[cfg(test)]
// figment's `Jail` closures return its (large) error type.
#[allow(clippy::result_large_err)]
mod tests {
    use figment::Jail;

    use super::*;

    /// `apply` over the defaults, inside `jail` (figment's lock on the environment).
    fn applied() -> Result<GatewayConfig, String> {
        apply(GatewayConfig::default())
    }

    #[test]
    fn variables_override_the_code_and_unset_ones_keep_it() {
        Jail::expect_with(|jail| {
            jail.set_env("GATEWAY_PING_INTERVAL", "3s");
            jail.set_env("GATEWAY_PING_TIMEOUT", "1500");
            jail.set_env("GATEWAY_MAX_PAYLOAD", "2048");
            jail.set_env("GATEWAY_TRANSPORTS", "websocket");
            jail.set_env("GATEWAY_HTTP_COMPRESSION", "true");
            jail.set_env("GATEWAY_PARSER", "msgpack");
            jail.set_env(
                "GATEWAY_ALLOWED_ORIGINS",
                "https://a.example, https://b.example",
            );
            jail.set_env("GATEWAY_SOMETHING_OF_THE_APP", "ignored");
            let code = GatewayConfig {
                connect_timeout: Duration::from_secs(7),
                ping_interval: Duration::from_secs(99),
                ..GatewayConfig::default()
            };
            let c = apply(code).expect("applies");
            assert_eq!(
                c.ping_interval,
                Duration::from_secs(3),
                "the environment wins"
            );
            assert_eq!(c.ping_timeout, Duration::from_millis(1500));
            assert_eq!(
                c.connect_timeout,
                Duration::from_secs(7),
                "unset: the code's"
            );
            assert_eq!(c.max_payload, 2048);
            assert_eq!(c.transports, Transports::WebSocket);
            assert!(c.http_compression);
            assert_eq!(c.parser, Parser::MsgPack);
            assert_eq!(
                c.allowed_origins.as_deref(),
                Some(
                    &[
                        "https://a.example".to_owned(),
                        "https://b.example".to_owned()
                    ][..]
                )
            );
            Ok(())
        });
    }

    #[test]
    fn both_transports_in_either_order() {
        Jail::expect_with(|jail| {
            for value in ["websocket,polling", "polling, websocket"] {
                jail.set_env("GATEWAY_TRANSPORTS", value);
                assert_eq!(applied().expect("applies").transports, Transports::Both);
            }
            jail.set_env("GATEWAY_TRANSPORTS", "polling");
            assert_eq!(applied().expect("applies").transports, Transports::Polling);
            Ok(())
        });
    }

    #[test]
    fn a_bad_value_names_the_variable_and_what_it_accepts() {
        Jail::expect_with(|jail| {
            jail.set_env("GATEWAY_TRANSPORTS", "grpc");
            let err = applied().expect_err("refused");
            assert_eq!(
                err,
                "GATEWAY_TRANSPORTS: unknown transport `grpc`; expected `websocket`, `polling`, or both comma-separated"
            );
            jail.set_env("GATEWAY_TRANSPORTS", "websocket");
            jail.set_env("GATEWAY_PARSER", "protobuf");
            assert_eq!(
                applied().expect_err("refused"),
                "GATEWAY_PARSER: unknown parser `protobuf`; expected `json` or `msgpack`"
            );
            jail.set_env("GATEWAY_PARSER", "json");
            jail.set_env("GATEWAY_PING_INTERVAL", "soon");
            let err = applied().expect_err("refused");
            assert!(
                err.starts_with("GATEWAY_PING_INTERVAL: `soon` is not a duration"),
                "{err}"
            );
            jail.set_env("GATEWAY_PING_INTERVAL", "1s");
            jail.set_env("GATEWAY_MAX_PAYLOAD", "lots");
            let err = applied().expect_err("refused");
            assert!(err.starts_with("GATEWAY_MAX_PAYLOAD: "), "{err}");
            jail.set_env("GATEWAY_MAX_PAYLOAD", "10");
            jail.set_env("GATEWAY_HTTP_COMPRESSION", "maybe");
            let err = applied().expect_err("refused");
            assert!(err.starts_with("GATEWAY_HTTP_COMPRESSION: "), "{err}");
            Ok(())
        });
    }

    #[test]
    fn a_file_overrides_the_code_and_the_environment_overrides_the_file() {
        Jail::expect_with(|jail| {
            jail.create_file(
                "gateway.toml",
                r#"
                ping_interval = "10s"
                ping_timeout = "4s"
                transports = "polling"
                allowed_origins = ["https://a.example"]
                "#,
            )?;
            jail.set_env(CONFIG_FILE_ENV, "gateway.toml");
            jail.set_env("GATEWAY_PING_TIMEOUT", "2s");
            let c = applied().expect("applies");
            assert_eq!(c.ping_interval, Duration::from_secs(10), "from the file");
            assert_eq!(
                c.ping_timeout,
                Duration::from_secs(2),
                "the environment wins"
            );
            assert_eq!(c.transports, Transports::Polling);
            assert_eq!(
                c.allowed_origins,
                Some(vec!["https://a.example".to_owned()])
            );

            jail.create_file("bad.toml", "max_payload = \"lots\"")?;
            jail.set_env(CONFIG_FILE_ENV, "bad.toml");
            let err = applied().expect_err("refused");
            assert!(err.starts_with("`max_payload` in bad.toml: "), "{err}");

            jail.set_env(CONFIG_FILE_ENV, "missing.toml");
            assert_eq!(
                applied().expect_err("refused"),
                "GATEWAY_CONFIG_FILE: no file at `missing.toml`"
            );
            Ok(())
        });
    }
}
