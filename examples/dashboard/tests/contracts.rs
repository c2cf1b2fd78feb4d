//! The dashboard commits its contracts (`contracts/events.ts`, `contracts/asyncapi.yaml`);
//! this test fails when they no longer match the gateways.

use std::path::Path;

// ANCHOR: staleness
#[test]
fn the_committed_contracts_are_current() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("contracts");
    let contracts = example_dashboard::app().contracts();
    assert!(contracts.untyped().is_empty(), "{:?}", contracts.untyped());
    for (file, actual) in [
        ("events.ts", contracts.typescript()),
        ("asyncapi.yaml", contracts.asyncapi()),
    ] {
        let committed = std::fs::read_to_string(dir.join(file))
            .unwrap_or_else(|e| panic!("contracts/{file}: {e}"));
        assert!(
            committed == actual,
            "contracts/{file} is stale: regenerate it with `cargo run -p example-dashboard -- \
             --export-contracts examples/dashboard/contracts` and commit it"
        );
    }
}
// ANCHOR_END: staleness
