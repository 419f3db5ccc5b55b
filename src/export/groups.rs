//! Random but reproducible test groups.
//!
//! A contact's group is drawn from the BLAKE3 hash of the segment name (lower-cased), the
//! split as written (`50/50`, `holdout 10`) and the contact id. The same segment split the
//! same way puts every contact in the same group every time, on every machine, and a
//! contact that joins the segment later does not move anyone else.

use super::{ContactRow, ExportError};

/// How an export is divided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Groups {
    /// One file.
    All,
    /// Groups A, B, ... with these percentages (summing to 100).
    Split(Vec<u32>),
    /// `target` gets 100 − N percent, `holdout` (the control group, not mailed) N percent.
    Holdout(u32),
}

impl Groups {
    /// Parses `--split`: `A/B` (even halves), `A/B/C`, or percentages like `50/50`, `80/20`.
    pub fn split(spec: &str) -> Result<Groups, ExportError> {
        let parts: Vec<&str> = spec.split('/').map(str::trim).collect();
        let bad = || {
            ExportError::BadGroups(format!("--split {spec}: expected A/B, A/B/C or percentages summing to 100 like 50/50 or 80/20"))
        };
        if parts.len() < 2 || parts.len() > 26 {
            return Err(bad());
        }
        if parts
            .iter()
            .all(|p| p.len() == 1 && p.chars().all(|c| c.is_ascii_alphabetic()))
        {
            // Even shares; the first groups take the remainder.
            let n = parts.len() as u32;
            return Ok(Groups::Split(
                (0..n).map(|i| 100 / n + u32::from(i < 100 % n)).collect(),
            ));
        }
        let shares: Vec<u32> = parts
            .iter()
            .map(|p| p.trim_end_matches('%').parse().map_err(|_| bad()))
            .collect::<Result<_, _>>()?;
        if shares.iter().sum::<u32>() != 100 || shares.contains(&0) {
            return Err(bad());
        }
        Ok(Groups::Split(shares))
    }

    /// Parses `--holdout N` (percent, 1–99).
    pub fn holdout(percent: u32) -> Result<Groups, ExportError> {
        if (1..100).contains(&percent) {
            Ok(Groups::Holdout(percent))
        } else {
            Err(ExportError::BadGroups(format!(
                "--holdout {percent}: expected a percentage from 1 to 99"
            )))
        }
    }

    /// Group names and percentages.
    fn shares(&self) -> Vec<(Option<String>, u32)> {
        match self {
            Groups::All => vec![(None, 100)],
            Groups::Split(shares) => shares
                .iter()
                .zip('A'..='Z')
                .map(|(&s, name)| (Some(name.to_string()), s))
                .collect(),
            Groups::Holdout(n) => vec![
                (Some("target".into()), 100 - n),
                (Some("holdout".into()), *n),
            ],
        }
    }

    /// Deals `rows` into the groups, in group order; every group is present even if empty.
    pub(super) fn assign(
        &self,
        segment: &str,
        rows: Vec<ContactRow>,
    ) -> Vec<(Option<String>, Vec<ContactRow>)> {
        let shares = self.shares();
        let mut out: Vec<(Option<String>, Vec<ContactRow>)> = shares
            .iter()
            .map(|(name, _)| (name.clone(), Vec::new()))
            .collect();
        let seed = format!("{}\0{self}\0", segment.trim().to_lowercase());
        for row in rows {
            let mut hasher = blake3::Hasher::new();
            hasher.update(seed.as_bytes());
            hasher.update(&row.id.to_le_bytes());
            let bytes = hasher.finalize();
            let mut first = [0u8; 8];
            first.copy_from_slice(&bytes.as_bytes()[..8]);
            // A point in [0, 10000): basis points, so shares are exact to 0.01%.
            let point = u64::from_le_bytes(first) % 10_000;
            let mut upper = 0u64;
            let slot = shares
                .iter()
                .position(|(_, share)| {
                    upper += u64::from(*share) * 100;
                    point < upper
                })
                .unwrap_or(shares.len() - 1);
            if let Some((_, list)) = out.get_mut(slot) {
                list.push(row);
            }
        }
        out
    }
}

impl std::fmt::Display for Groups {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Groups::All => f.write_str("all"),
            Groups::Split(shares) => {
                let parts: Vec<String> = shares.iter().map(u32::to_string).collect();
                write!(f, "split {}", parts.join("/"))
            }
            Groups::Holdout(n) => write!(f, "holdout {n}"),
        }
    }
}
