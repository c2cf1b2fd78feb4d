//! Compile-time diagnostics: one `fail/` file per error the macros can emit, with its
//! `.stderr` snapshot, and `pass/` files for the accepted shapes.
//! Regenerate snapshots with `TRYBUILD=overwrite cargo test -p socketioxide-gateway-macros --test ui`
//! and review the diff.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/fail/*.rs");
    t.pass("tests/ui/pass/*.rs");
}
