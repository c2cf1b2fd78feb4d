//! The compile error of `#[derive(Validate)]` in an app without the `validator` crate: the
//! one derive of the prelude that needs its crate as a direct dependency. This package has
//! none but the framework and tokio, so trybuild compiles the file as such an app would.
//! The snapshot is shown in the book (troubleshooting-compile-errors.md).
//!
//! Regenerate with `TRYBUILD=overwrite cargo test -p one-dependency --test ui`.

#[test]
fn validate_without_the_validator_crate() {
    trybuild::TestCases::new().compile_fail("tests/ui/validate-without-validator.rs");
}
