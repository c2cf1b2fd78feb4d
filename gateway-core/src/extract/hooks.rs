//! The parameters only a lifecycle hook has: [`Auth<T>`] in `#[on_connect]`,
//! `DisconnectReason` in `#[on_disconnect]`. They are not [`FromParts`](super::FromParts)
//! extractors, so a handler that names one fails to compile instead of failing at runtime.

use serde::de::DeserializeOwned;
use socketioxide::adapter::Adapter;
use socketioxide::extract::TryData;
use socketioxide::handler::FromConnectParts;
use socketioxide::socket::DisconnectReason;

use super::param::{ConnectParam, DisconnectParam};
use super::{Parts, PartsKind};
use crate::error::{WsError, sanitize_decode_error};

/// Marker: the parameter is the CONNECT auth payload.
#[doc(hidden)]
#[derive(Debug)]
pub struct ViaAuth;

/// Marker: the parameter is the disconnect reason.
#[doc(hidden)]
#[derive(Debug)]
pub struct ViaReason;

/// The auth payload a client sent with its namespace CONNECT
/// (`io(url, { auth: { token } })`), decoded as `T`; in `#[on_connect]` hooks only. A
/// client that sent none yields `T` decoded from `{}`.
#[derive(Debug, Clone)]
pub struct Auth<T>(pub T);

impl<A: Adapter, T: DeserializeOwned> ConnectParam<A, ViaAuth> for Auth<T> {
    fn from_connect(parts: &mut Parts<'_, A>) -> Result<Self, WsError> {
        let PartsKind::Connect { auth } = parts.kind else {
            return Err(WsError::internal());
        };
        match TryData::<T>::from_connect_parts(parts.socket, auth) {
            Ok(TryData(Ok(auth))) => Ok(Auth(auth)),
            Ok(TryData(Err(err))) => Err(WsError::bad_payload(sanitize_decode_error(
                &err.to_string(),
            ))),
            Err(never) => match never {},
        }
    }
}

impl<A: Adapter> DisconnectParam<A, ViaReason> for DisconnectReason {
    fn from_disconnect(parts: &mut Parts<'_, A>) -> Result<Self, WsError> {
        match parts.kind {
            PartsKind::Disconnect { reason } => Ok(reason),
            _ => Err(WsError::internal()),
        }
    }
}
