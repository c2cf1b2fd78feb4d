//! `events.ts`: placeholder, written next.

use super::Contracts;

pub(super) fn render(_contracts: &Contracts) -> String {
    String::new()
}
