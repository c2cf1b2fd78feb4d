//! [`AppContext`]: what every namespace of a built app shares on the event path.

use std::sync::Arc;

use crate::intercept::InterceptorRef;
use crate::providers::Providers;
use crate::runtime::drain::Drain;

/// Settings and state shared by every namespace of an app, built once by
/// `GatewayApp::build` and read by every event.
pub(crate) struct AppContext {
    pub(crate) providers: Providers,
    /// In envelope mode, report failed events sent without an ack as an `exception` event.
    pub(crate) report_exceptions: bool,
    /// App-wide interceptors (`GatewayApp::intercept`), before the gateways' own.
    pub(crate) interceptors: Arc<[InterceptorRef]>,
    /// Most `#[ordered]` events one socket may have waiting.
    pub(crate) max_ordered_backlog: usize,
    /// Events in flight, for graceful shutdown.
    pub(crate) drain: Drain,
}

impl AppContext {
    #[cfg(test)]
    pub(crate) fn for_tests() -> Self {
        Self {
            providers: Providers::default(),
            report_exceptions: false,
            interceptors: Arc::new([]),
            max_ordered_backlog: 1,
            drain: Drain::default(),
        }
    }
}
