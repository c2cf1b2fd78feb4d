//! The registry: every gateway the `#[gateway]` macro submitted through `inventory`, plus
//! the ones named explicitly, deduplicated and sorted so startup is deterministic.

use std::any::TypeId;
use std::collections::HashSet;

use crate::gateway::GatewayDescriptor;

/// The gateways an app serves.
pub(crate) fn collect(
    from_inventory: bool,
    explicit: &[&'static GatewayDescriptor],
) -> Vec<&'static GatewayDescriptor> {
    let mut seen = HashSet::<TypeId>::new();
    let mut all: Vec<&'static GatewayDescriptor> = Vec::new();
    let submitted = from_inventory
        .then_some(inventory::iter::<GatewayDescriptor>)
        .into_iter()
        .flatten();
    for descriptor in explicit.iter().copied().chain(submitted) {
        if seen.insert((descriptor.type_id)()) {
            all.push(descriptor);
        }
    }
    // inventory gives no order guarantee.
    all.sort_by(|a, b| {
        (a.namespace, a.type_name, a.location).cmp(&(b.namespace, b.type_name, b.location))
    });
    all
}

/// The message for an app that found no gateway at all.
pub(crate) const EMPTY_REGISTRY_HELP: &str = "\
no gateway is registered.
Every `#[gateway]` impl block registers itself when its crate is linked into the binary.
If your gateways live in a library crate that the binary never references, the linker
drops that crate and its registrations with it (a known limit of `inventory`).
Fix: name the gateways explicitly, which also links their crate:
    GatewayApp::new().link::<my_crate::ChatGateway>()
or hand in an instance with `.gateway(ChatGateway { .. })`. If you built the app with
`GatewayApp::explicit()`, only the gateways named that way are served.";
