//! The compose-key support table, generated from the table the validator applies
//! (`composex_core::compose::support`).

use composex_core::compose::support;

use crate::Page;

/// The support table page.
pub fn page() -> Page {
    let text = format!(
        "# Compose keys on ECS\n\nEvery key of the compose specification and what it becomes on \
         ECS Fargate, in the manner of kompose's conversion table. This page is generated from \
         the table the validator applies, so each row is also what composex tells you at that key:\n\n\
         - **mapped**: it becomes the ECS or CloudFormation property named;\n\
         - **approximated**: rendered differently than compose runs it, with an info at the key \
         ([CX280](reference/cx2.md#cx280));\n\
         - **not on Fargate**: left out with a warning at the key saying what would make it work \
         ([CX281](reference/cx2.md#cx281));\n\
         - **refused**: an error at the key ([CX282](reference/cx2.md#cx282)).\n\n{}",
        support::markdown()
    );
    Page::new("compose/support.md", "Compose keys on ECS", text)
}
