//! The column layouts platforms import as is.

use super::{ContactRow, ExportError};

/// A target platform's file layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preset {
    /// Mailchimp audience import: its standard column names, tags comma-separated in one
    /// `Tags` column (Mailchimp creates missing tags on import).
    Mailchimp,
    /// HubSpot contact import: property labels HubSpot maps automatically; lifecycle
    /// stages written as HubSpot's internal values.
    Hubspot,
    /// Every contact column under its Listwarden name (`id` holding the platform's id),
    /// tags `;`-separated, custom fields as extra columns: what `listwarden import` reads
    /// back unchanged.
    Csv,
}

impl std::str::FromStr for Preset {
    type Err = ExportError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_lowercase().as_str() {
            "mailchimp" => Ok(Preset::Mailchimp),
            "hubspot" => Ok(Preset::Hubspot),
            "csv" | "generic" => Ok(Preset::Csv),
            _ => Err(ExportError::UnknownPreset(s.to_string())),
        }
    }
}

const MAILCHIMP: [&str; 10] = [
    "Email Address",
    "First Name",
    "Last Name",
    "Address",
    "Phone Number",
    "Company",
    "Job Title",
    "City",
    "Country",
    "Tags",
];

const HUBSPOT: [&str; 12] = [
    "Email",
    "First Name",
    "Last Name",
    "Phone Number",
    "Company Name",
    "Job Title",
    "City",
    "State/Region",
    "Postal Code",
    "Country/Region",
    "Lifecycle Stage",
    "Lead Status",
];

const GENERIC: [&str; 20] = [
    "id",
    "email",
    "first_name",
    "last_name",
    "company",
    "job_title",
    "phone",
    "street",
    "city",
    "region",
    "postcode",
    "country",
    "language",
    "industry",
    "company_size",
    "lifecycle_stage",
    "lead_status",
    "status",
    "subscribed_at",
    "tags",
];

/// HubSpot's internal lifecycle stage values for the names exports commonly use.
fn hubspot_stage(stage: &str) -> String {
    let key = stage.trim().to_lowercase().replace([' ', '-', '_'], "");
    match key.as_str() {
        "mql" | "marketingqualifiedlead" => "marketingqualifiedlead".to_string(),
        "sql" | "salesqualifiedlead" => "salesqualifiedlead".to_string(),
        "subscriber" | "lead" | "opportunity" | "customer" | "evangelist" | "other" => key,
        _ => stage.trim().to_string(),
    }
}

impl Preset {
    pub fn name(self) -> &'static str {
        match self {
            Preset::Mailchimp => "mailchimp",
            Preset::Hubspot => "hubspot",
            Preset::Csv => "csv",
        }
    }

    pub(super) fn header(self, custom: &[String]) -> Vec<String> {
        match self {
            Preset::Mailchimp => MAILCHIMP.iter().map(|s| s.to_string()).collect(),
            Preset::Hubspot => HUBSPOT.iter().map(|s| s.to_string()).collect(),
            Preset::Csv => GENERIC
                .iter()
                .map(|s| s.to_string())
                .chain(custom.iter().cloned())
                .collect(),
        }
    }

    pub(super) fn row(self, c: &ContactRow, custom: &[String]) -> Vec<String> {
        match self {
            Preset::Mailchimp => vec![
                c.email.clone(),
                c.first_name.clone(),
                c.last_name.clone(),
                // Mailchimp reads an address as one cell, its parts apart by two spaces.
                crate::text::address::join([
                    &c.street,
                    &c.city,
                    &c.region,
                    &c.postcode,
                    &c.country,
                ]),
                c.phone.clone(),
                c.company.clone(),
                c.job_title.clone(),
                c.city.clone(),
                c.country.clone(),
                c.tags.join(","),
            ],
            Preset::Hubspot => vec![
                c.email.clone(),
                c.first_name.clone(),
                c.last_name.clone(),
                c.phone.clone(),
                c.company.clone(),
                c.job_title.clone(),
                c.city.clone(),
                c.region.clone(),
                c.postcode.clone(),
                c.country.clone(),
                hubspot_stage(&c.lifecycle_stage),
                c.lead_status.clone(),
            ],
            Preset::Csv => {
                let subscribed_at = c
                    .subscribed_at
                    .and_then(|t| chrono::DateTime::from_timestamp(t, 0))
                    .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
                    .unwrap_or_default();
                let mut row = vec![
                    c.external_id.clone(),
                    c.email.clone(),
                    c.first_name.clone(),
                    c.last_name.clone(),
                    c.company.clone(),
                    c.job_title.clone(),
                    c.phone.clone(),
                    c.street.clone(),
                    c.city.clone(),
                    c.region.clone(),
                    c.postcode.clone(),
                    c.country.clone(),
                    c.language.clone(),
                    c.industry.clone(),
                    c.company_size.clone(),
                    c.lifecycle_stage.clone(),
                    c.lead_status.clone(),
                    c.status.clone(),
                    subscribed_at,
                    c.tags.join(";"),
                ];
                row.extend(custom.iter().map(|name| {
                    c.custom
                        .iter()
                        .find(|(n, _)| n == name)
                        .map(|(_, v)| v.clone())
                        .unwrap_or_default()
                }));
                row
            }
        }
    }

    pub(super) fn suppression_header(self) -> Vec<String> {
        let cols: [&str; 2] = match self {
            Preset::Mailchimp => ["Email Address", "Reason"],
            Preset::Hubspot => ["Email", "Reason"],
            Preset::Csv => ["email", "status"],
        };
        cols.iter().map(|s| s.to_string()).collect()
    }

    pub(super) fn suppression_row(self, c: &ContactRow) -> Vec<String> {
        vec![c.email.clone(), c.status.clone()]
    }
}
