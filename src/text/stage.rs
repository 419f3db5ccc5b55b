//! Lifecycle (funnel) stages by any of their names.
//!
//! One stage goes by several names: HubSpot's own exports write its labels ("Marketing
//! Qualified Lead"), its API and many integrations the internal names
//! ("marketingqualifiedlead"), and marketers say MQL. The value is kept as the platform
//! wrote it; rules compare stages by [`key`], so `lifecycle_stage = mql` finds all three.

use super::fold_key;

/// Names that mean the same stage as the short one they map to, folded ([`fold_key`]).
const ALIASES: &[(&str, &str)] = &[
    ("marketingqualifiedlead", "mql"),
    ("salesqualifiedlead", "sql"),
];

/// The stage's comparison key: case, spaces and punctuation folded away, long names of
/// the qualified-lead stages shortened to MQL and SQL.
pub fn key(stage: &str) -> String {
    let folded = fold_key(stage);
    match ALIASES.iter().find(|(long, _)| *long == folded) {
        Some((_, short)) => short.to_string(),
        None => folded,
    }
}

#[cfg(test)]
mod tests {
    use super::key;

    #[test]
    fn each_name_of_a_stage_has_one_key() {
        for (names, expected) in [
            (
                &[
                    "MQL",
                    "mql",
                    "Marketing Qualified Lead",
                    "marketingqualifiedlead",
                ][..],
                "mql",
            ),
            (
                &["SQL", "Sales Qualified Lead", "salesqualifiedlead"][..],
                "sql",
            ),
            (&["Customer", " customer ", "CUSTOMER"][..], "customer"),
            (&["Lead"][..], "lead"),
        ] {
            for name in names {
                assert_eq!(key(name), expected, "{name}");
            }
        }
        assert_ne!(key("lead"), key("mql"));
    }
}
