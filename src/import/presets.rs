//! Platform presets: which export column feeds which contact field.
//!
//! Sources for the header tables, and how sure they are:
//! - Mailchimp (high): audience export headers quoted verbatim from public code that reads
//!   real exports (`shared/formats/mailchimp-headers.txt`: a subscribed export, and an
//!   unsubscribed one with its repeated `UNSUB_*` columns). Mailchimp's audience export is a
//!   ZIP of subscribed, unsubscribed and cleaned member CSVs with no status column; the
//!   cleaned file's `CLEAN_*` column names are from memory of such exports, not verified.
//!   TAGS cells are `"a","b"` lists. Address is the audience's one-cell ADDRESS field,
//!   its parts apart by two spaces (Mailchimp's guide to formatting import files; exports
//!   write it the same way); CC and REGION are the geo-IP guess of the signup location.
//! - HubSpot (high for the listed columns): `shared/formats/hubspot-headers.txt` (a real
//!   contacts export) plus HubSpot's default contact property labels (Company Name, Job
//!   Title, Postal Code, Industry, Number of Employees, Marketing emails opened/clicked,
//!   Last marketing email open/click date, Unsubscribed from all email, Email hard bounce
//!   reason). Multi-select values are `;`-separated.
//! - Klaviyo (medium): `shared/formats/klaviyo-headers.txt` and the Klaviyo API
//!   consent/suppression vocabulary.
//! - Constant Contact (medium): `shared/formats/constantcontact-headers.txt` (Tags split on
//!   `,`) and the v3 API's export field list (street/city/state/zip per address type).
//! - ActiveCampaign, CleverReach, Brevo (lower: no real export header row was available):
//!   the platforms' contact field names. ActiveCampaign: email, first/last name, phone,
//!   organization, created date, tags; CleverReach receivers: email, registered, activated,
//!   deactivated (a timestamp, 0 while active), source, tags, plus German attribute columns
//!   (Vorname, Nachname, Firma, Anmeldedatum, Abmeldedatum, Aktiv); Brevo attributes EMAIL,
//!   FIRSTNAME/PRENOM, LASTNAME/NOM, SMS, EMAIL_BLACKLISTED, ADDED_TIME. The generic
//!   synonyms back all three up.
//! - `shared/gen_contacts.py` (contacts and events exports) for the generic preset.
//!
//! Only columns that are pure platform bookkeeping map to [`Field::Ignore`]: the IP address
//! of the opt-in/confirmation and the geo-IP coordinates and GMT/DST offsets derived from it
//! (Mailchimp OPTIN_IP, CONFIRM_IP, LATITUDE, LONGITUDE, GMTOFF, DSTOFF; Klaviyo and
//! ActiveCampaign IP Address, Latitude, Longitude). They are personal data with no use for
//! list health; the raw row keeps them anyway. Everything else unknown (TIMEZONE, NOTES,
//! LAST_CHANGED, owners, sources) becomes a custom field.
//!
//! Header matching ignores case, accents, spaces and punctuation, so `E-Mail-Adresse`,
//! `email_adresse` and `EMAIL ADRESSE` are one header. A preset's own table is tried first,
//! then the generic synonym table (English, German, French, Spanish), so an export with an
//! extra column a platform lets users add still maps it.

use crate::text::fold_key;
use crate::text::status::Status;
use std::collections::HashMap;

/// A contact (or event) field an import can fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// The platform's own record id (HubSpot Record ID, Mailchimp LEID...).
    ExternalId,
    Email,
    FirstName,
    LastName,
    /// A full name in one column, split into first/last on import.
    FullName,
    Company,
    JobTitle,
    Phone,
    Street,
    /// A whole postal address in one cell, its parts apart by two spaces (Mailchimp's
    /// ADDRESS: street, second line, city, state, zip, country); split on import
    /// ([`crate::text::address`]), each part filling its field where the row has no column
    /// of its own for it.
    PostalAddress,
    /// A second address line (Klaviyo's Address 2: apartment, suite, building), joined
    /// to the street on import.
    AddressLine2,
    /// A house number in a column of its own (FEBRL `street_number`, German `Hausnummer`),
    /// joined to the street on import.
    HouseNumber,
    City,
    Region,
    Postcode,
    Country,
    /// The country and region a platform guessed from the IP address the person signed up
    /// from (Mailchimp's CC and REGION): theirs only when the row says nothing else.
    GeoCountry,
    GeoRegion,
    DateOfBirth,
    Language,
    Industry,
    CompanySize,
    LifecycleStage,
    LeadStatus,
    /// A status or consent word (see [`Status::parse`]).
    Status,
    MemberRating,
    OpenCount,
    ClickCount,
    PurchaseCount,
    TotalSpent,
    LastOpenAt,
    LastClickAt,
    SubscribedAt,
    /// Multi-value: split with [`Preset::split_multi`].
    Tags,
    /// A flag column that means "unsubscribed" when set (Brevo EMAIL_BLACKLISTED, HubSpot
    /// "Unsubscribed from all email"); see [`flag_is_set`].
    Unsubscribed,
    /// A flag column that means "hard-bounced" when set (HubSpot "Email hard bounce reason").
    Bounced,
    /// A flag column that means "complained" when set.
    Complained,
    /// Events export: the kind of event (open, click, purchase...).
    EventType,
    /// Events export: when it happened.
    OccurredAt,
    /// Events export: the campaign it belongs to.
    Campaign,
    /// Events export: the URL clicked, viewed or bought from.
    Url,
    /// Events export: the purchase or cart amount.
    Amount,
    /// Platform bookkeeping that is neither contact data nor worth a custom field (IP of
    /// the opt-in, geo-IP coordinates, GMT offsets). The raw row still keeps it.
    Ignore,
}

impl Field {
    /// Every field, in declaration order.
    pub const ALL: [Field; 43] = [
        Field::ExternalId,
        Field::Email,
        Field::FirstName,
        Field::LastName,
        Field::FullName,
        Field::Company,
        Field::JobTitle,
        Field::Phone,
        Field::Street,
        Field::PostalAddress,
        Field::AddressLine2,
        Field::HouseNumber,
        Field::City,
        Field::Region,
        Field::Postcode,
        Field::Country,
        Field::GeoCountry,
        Field::GeoRegion,
        Field::DateOfBirth,
        Field::Language,
        Field::Industry,
        Field::CompanySize,
        Field::LifecycleStage,
        Field::LeadStatus,
        Field::Status,
        Field::MemberRating,
        Field::OpenCount,
        Field::ClickCount,
        Field::PurchaseCount,
        Field::TotalSpent,
        Field::LastOpenAt,
        Field::LastClickAt,
        Field::SubscribedAt,
        Field::Tags,
        Field::Unsubscribed,
        Field::Bounced,
        Field::Complained,
        Field::EventType,
        Field::OccurredAt,
        Field::Campaign,
        Field::Url,
        Field::Amount,
        Field::Ignore,
    ];

    /// The snake_case name shown to users and in `--json` output; for contact fields it is
    /// the `contacts` column the field fills.
    pub fn name(&self) -> &'static str {
        match self {
            Field::ExternalId => "external_id",
            Field::Email => "email",
            Field::FirstName => "first_name",
            Field::LastName => "last_name",
            Field::FullName => "full_name",
            Field::Company => "company",
            Field::JobTitle => "job_title",
            Field::Phone => "phone",
            Field::Street => "street",
            Field::PostalAddress => "postal_address",
            Field::AddressLine2 => "second_address_line",
            Field::HouseNumber => "house_number",
            Field::City => "city",
            Field::Region => "region",
            Field::Postcode => "postcode",
            Field::Country => "country",
            Field::GeoCountry => "geo_country",
            Field::GeoRegion => "geo_region",
            Field::DateOfBirth => "date_of_birth",
            Field::Language => "language",
            Field::Industry => "industry",
            Field::CompanySize => "company_size",
            Field::LifecycleStage => "lifecycle_stage",
            Field::LeadStatus => "lead_status",
            Field::Status => "status",
            Field::MemberRating => "member_rating",
            Field::OpenCount => "open_count",
            Field::ClickCount => "click_count",
            Field::PurchaseCount => "purchase_count",
            Field::TotalSpent => "total_spent",
            Field::LastOpenAt => "last_open_at",
            Field::LastClickAt => "last_click_at",
            Field::SubscribedAt => "subscribed_at",
            Field::Tags => "tags",
            Field::Unsubscribed => "unsubscribed",
            Field::Bounced => "bounced",
            Field::Complained => "complained",
            Field::EventType => "event_type",
            Field::OccurredAt => "occurred_at",
            Field::Campaign => "campaign",
            Field::Url => "url",
            Field::Amount => "amount",
            Field::Ignore => "ignore",
        }
    }

    /// Fields several columns may feed at once; the importer combines them (the most
    /// restrictive status wins). Every other field takes one column: the preset's
    /// preferred one, the rest stay custom fields.
    pub fn multi_column(&self) -> bool {
        matches!(
            self,
            Field::Status
                | Field::Unsubscribed
                | Field::Bounced
                | Field::Complained
                | Field::Ignore
        )
    }

    /// Fields only an events export has: what happened, when, and to what.
    pub fn is_event(&self) -> bool {
        matches!(
            self,
            Field::EventType | Field::OccurredAt | Field::Campaign | Field::Url | Field::Amount
        )
    }

    /// The status a set flag column stands for (`None` for fields that are not flags).
    pub fn flag_status(&self) -> Option<Status> {
        match self {
            Field::Unsubscribed => Some(Status::Unsubscribed),
            Field::Bounced => Some(Status::Bounced),
            Field::Complained => Some(Status::Complained),
            _ => None,
        }
    }
}

/// Whether a flag column's cell is set: a yes-word (true, 1, yes, ja, oui...), or any other
/// text that is not a no-word and not blank, because some platforms write a reason or a
/// date instead of `true` (HubSpot's hard bounce reason "MAILBOX_FULL" means bounced,
/// CleverReach's `deactivated` holds the unsubscribe time). Blank means empty, `null`,
/// `none`, or only zeros and punctuation (`0`, `0000-00-00 00:00:00`, `[]`, `-`).
pub fn flag_is_set(value: &str) -> bool {
    let value = value.trim();
    match crate::text::status::parse_flag(value) {
        Some(set) => set,
        None => {
            let blank = value.chars().all(|c| c == '0' || !c.is_alphanumeric())
                || value.eq_ignore_ascii_case("null")
                || value.eq_ignore_ascii_case("none");
            !blank
        }
    }
}

/// What one input column becomes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Column {
    Known(Field),
    /// An unknown column, kept as a custom field under this name.
    Custom(String),
}

/// How a multi-value cell lists its values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Multi {
    /// Split on the first of these characters that occurs in the value (so a generic
    /// `a;b` and `a,b` both work, and `"VP, Sales;Board"` splits on `;` only).
    SplitOn(&'static [char]),
    /// Mailchimp's `"a","b"`: double-quoted items separated by commas (unquoted items are
    /// taken up to the next comma).
    QuotedList,
}

/// One platform's export layout.
#[derive(Debug)]
pub struct Preset {
    /// Name used on the command line (`--preset`) and stored with each import.
    pub name: &'static str,
    /// Human label.
    pub label: &'static str,
    /// Header → field, most preferred first when several headers claim one field.
    pub columns: &'static [(&'static str, Field)],
    /// Headers that identify the platform, with a weight; [`detect`] needs a total of 2.
    pub signature: &'static [(&'static str, u8)],
    /// How multi-value fields are listed; fields not listed use [`DEFAULT_MULTI`].
    pub multi: &'static [(Field, Multi)],
    /// A header whose presence says every row has this status (Mailchimp's unsubscribed
    /// export has UNSUB_TIME and no status column).
    pub implied: &'static [(&'static str, Status)],
    /// The status of rows in an export without a status column or implying header
    /// (Mailchimp's subscribed export), `None` to leave it to the importer.
    pub default_status: Option<Status>,
    /// Phone numbers always carry their country code, with or without `+` (Brevo's SMS
    /// attribute: `33612345678`, `0033612345678`), so they are read as international.
    pub phones_have_country_code: bool,
}

/// How a multi-value field is split when the preset does not say.
pub const DEFAULT_MULTI: Multi = Multi::SplitOn(&[';', ',', '|']);

const GENERIC: Preset = Preset {
    name: "generic",
    label: "Generic CSV",
    columns: SYNONYMS,
    signature: &[],
    multi: &[],
    implied: &[],
    default_status: None,
    phones_have_country_code: false,
};

const MAILCHIMP: Preset = Preset {
    name: "mailchimp",
    label: "Mailchimp audience export",
    columns: &[
        ("Email Address", Field::Email),
        ("First Name", Field::FirstName),
        ("Last Name", Field::LastName),
        ("Address", Field::PostalAddress),
        ("Phone Number", Field::Phone),
        ("Birthday", Field::DateOfBirth),
        ("TAGS", Field::Tags),
        ("MEMBER_RATING", Field::MemberRating),
        ("OPTIN_TIME", Field::SubscribedAt),
        ("CONFIRM_TIME", Field::SubscribedAt),
        ("LEID", Field::ExternalId),
        ("EUID", Field::ExternalId),
        // A "Country" merge field is what the subscriber typed; CC and REGION are Mailchimp's
        // geo-IP guess, used only where neither such a field nor the address gives one.
        ("Country", Field::Country),
        ("CC", Field::GeoCountry),
        ("REGION", Field::GeoRegion),
        ("OPTIN_IP", Field::Ignore),
        ("CONFIRM_IP", Field::Ignore),
        ("LATITUDE", Field::Ignore),
        ("LONGITUDE", Field::Ignore),
        ("GMTOFF", Field::Ignore),
        ("DSTOFF", Field::Ignore),
    ],
    signature: &[
        ("MEMBER_RATING", 2),
        ("LEID", 2),
        ("EUID", 1),
        ("OPTIN_TIME", 1),
        ("OPTIN_IP", 1),
        ("CONFIRM_TIME", 1),
        ("GMTOFF", 1),
        ("DSTOFF", 1),
        ("LAST_CHANGED", 1),
        ("Email Address", 1),
    ],
    multi: &[(Field::Tags, Multi::QuotedList)],
    implied: &[
        ("CLEAN_TIME", Status::Cleaned),
        ("CLEAN_CAMPAIGN_TITLE", Status::Cleaned),
        ("CLEAN_CAMPAIGN_ID", Status::Cleaned),
        ("UNSUB_TIME", Status::Unsubscribed),
        ("UNSUB_CAMPAIGN_TITLE", Status::Unsubscribed),
        ("UNSUB_CAMPAIGN_ID", Status::Unsubscribed),
        ("UNSUB_REASON", Status::Unsubscribed),
    ],
    default_status: Some(Status::Subscribed),
    phones_have_country_code: false,
};

const HUBSPOT: Preset = Preset {
    name: "hubspot",
    label: "HubSpot contacts export",
    columns: &[
        ("Record ID", Field::ExternalId),
        ("Contact ID", Field::ExternalId),
        ("Email", Field::Email),
        ("First Name", Field::FirstName),
        ("Last Name", Field::LastName),
        ("Phone Number", Field::Phone),
        ("Mobile Phone Number", Field::Phone),
        ("Company Name", Field::Company),
        ("Job Title", Field::JobTitle),
        ("Lifecycle Stage", Field::LifecycleStage),
        ("Lead Status", Field::LeadStatus),
        ("Create Date", Field::SubscribedAt),
        ("Street Address", Field::Street),
        ("Country/Region", Field::Country),
        ("City", Field::City),
        ("State/Region", Field::Region),
        ("Postal Code", Field::Postcode),
        ("Industry", Field::Industry),
        ("Number of Employees", Field::CompanySize),
        ("Date of birth", Field::DateOfBirth),
        ("Preferred language", Field::Language),
        ("Marketing emails opened", Field::OpenCount),
        ("Marketing emails clicked", Field::ClickCount),
        ("Last marketing email open date", Field::LastOpenAt),
        ("Last marketing email click date", Field::LastClickAt),
        ("Unsubscribed from all email", Field::Unsubscribed),
        ("Opted out of all email", Field::Unsubscribed),
        ("Email hard bounce reason", Field::Bounced),
        ("Marked email as spam", Field::Complained),
    ],
    signature: &[
        ("Record ID", 2),
        ("Contact owner", 1),
        ("HubSpot Owner", 2),
        ("Lifecycle Stage", 1),
        ("Lead Status", 1),
        ("Create Date", 1),
        ("Marketing contact status", 2),
        ("Original Source", 1),
        ("Original Source Drill-Down 1", 1),
        ("Associated Note IDs", 1),
        ("Contact URL (HS)", 2),
        ("Country/Region", 1),
        ("Unsubscribed from all email", 1),
    ],
    multi: &[(Field::Tags, Multi::SplitOn(&[';']))],
    implied: &[],
    default_status: None,
    phones_have_country_code: false,
};

const KLAVIYO: Preset = Preset {
    name: "klaviyo",
    label: "Klaviyo profiles export",
    columns: &[
        ("Klaviyo ID", Field::ExternalId),
        ("Email", Field::Email),
        ("First Name", Field::FirstName),
        ("Last Name", Field::LastName),
        ("Organization", Field::Company),
        ("Title", Field::JobTitle),
        ("Phone Number", Field::Phone),
        ("Address", Field::Street),
        ("Address 2", Field::AddressLine2),
        ("City", Field::City),
        ("State / Region", Field::Region),
        ("Country", Field::Country),
        ("Zip Code", Field::Postcode),
        ("Latitude", Field::Ignore),
        ("Longitude", Field::Ignore),
        ("IP Address", Field::Ignore),
        ("Email Marketing Consent", Field::Status),
        ("Email Suppressions", Field::Status),
        // Historic CLV is what the customer has spent; "Total" adds the predicted future
        // spend, so it is only the fallback.
        ("Historic Customer Lifetime Value", Field::TotalSpent),
        ("Total Customer Lifetime Value", Field::TotalSpent),
        ("Historic Number Of Orders", Field::PurchaseCount),
        ("Date Added", Field::SubscribedAt),
        ("Profile Created On", Field::SubscribedAt),
        ("Last Open", Field::LastOpenAt),
        ("Last Click", Field::LastClickAt),
    ],
    signature: &[
        ("Klaviyo ID", 2),
        ("Email Marketing Consent", 2),
        ("Email Suppressions", 1),
        ("Historic Customer Lifetime Value", 1),
        ("Predicted Customer Lifetime Value", 1),
        ("Profile Created On", 1),
        ("Historic Number Of Orders", 1),
    ],
    multi: &[],
    implied: &[],
    default_status: None,
    phones_have_country_code: false,
};

const CONSTANT_CONTACT: Preset = Preset {
    name: "constantcontact",
    label: "Constant Contact contacts export",
    columns: &[
        ("Email address", Field::Email),
        ("First name", Field::FirstName),
        ("Last name", Field::LastName),
        ("Phone - home", Field::Phone),
        ("Phone - mobile", Field::Phone),
        ("Phone - work", Field::Phone),
        ("Company", Field::Company),
        ("Job title", Field::JobTitle),
        ("Email status", Field::Status),
        ("Email permission status", Field::Status),
        ("Tags", Field::Tags),
        ("Street address - Home", Field::Street),
        ("City - Home", Field::City),
        ("State/Province - Home", Field::Region),
        ("Zip/Postal Code - Home", Field::Postcode),
        ("Country - Home", Field::Country),
        ("Birthday", Field::DateOfBirth),
        ("Created At", Field::SubscribedAt),
    ],
    signature: &[
        ("Email status", 1),
        ("Email permission status", 2),
        ("Email Lists", 1),
        ("Phone - home", 1),
        ("Country - Home", 1),
        ("Anniversary", 1),
    ],
    multi: &[(Field::Tags, Multi::SplitOn(&[',']))],
    implied: &[],
    default_status: None,
    phones_have_country_code: false,
};

const ACTIVECAMPAIGN: Preset = Preset {
    name: "activecampaign",
    label: "ActiveCampaign contacts export",
    columns: &[
        ("Contact ID", Field::ExternalId),
        ("Email", Field::Email),
        ("First Name", Field::FirstName),
        ("Last Name", Field::LastName),
        ("Phone", Field::Phone),
        ("Organization", Field::Company),
        ("Account", Field::Company),
        ("Tags", Field::Tags),
        ("Date Created", Field::SubscribedAt),
        ("Status", Field::Status),
        ("IP Address", Field::Ignore),
    ],
    signature: &[
        ("Contact ID", 1),
        ("Date Created", 1),
        ("Date Updated", 1),
        ("Organization", 1),
        ("Account", 1),
        ("Lists", 1),
    ],
    multi: &[(Field::Tags, Multi::SplitOn(&[',']))],
    implied: &[],
    default_status: None,
    phones_have_country_code: false,
};

const CLEVERREACH: Preset = Preset {
    name: "cleverreach",
    label: "CleverReach receivers export",
    columns: &[
        ("ID", Field::ExternalId),
        ("E-Mail", Field::Email),
        ("Vorname", Field::FirstName),
        ("Nachname", Field::LastName),
        ("Firma", Field::Company),
        ("Anmeldedatum", Field::SubscribedAt),
        ("Angemeldet", Field::SubscribedAt),
        ("registered", Field::SubscribedAt),
        ("Abmeldedatum", Field::Unsubscribed),
        ("Abgemeldet", Field::Unsubscribed),
        ("Deaktiviert", Field::Unsubscribed),
        ("deactivated", Field::Unsubscribed),
        ("Aktiv", Field::Status),
        ("Tags", Field::Tags),
    ],
    signature: &[
        ("Anmeldedatum", 2),
        ("Abmeldedatum", 2),
        ("Angemeldet", 2),
        ("Abgemeldet", 2),
        ("Deaktiviert", 2),
        ("Aktiv", 1),
        ("Gruppe", 1),
        ("Vorname", 1),
        ("Nachname", 1),
        ("registered", 1),
        ("activated", 1),
        ("deactivated", 1),
    ],
    multi: &[(Field::Tags, Multi::SplitOn(&[',']))],
    implied: &[],
    default_status: None,
    phones_have_country_code: false,
};

const BREVO: Preset = Preset {
    name: "brevo",
    label: "Brevo (Sendinblue) contacts export",
    columns: &[
        ("CONTACT ID", Field::ExternalId),
        ("EXT_ID", Field::ExternalId),
        ("EMAIL", Field::Email),
        ("FIRSTNAME", Field::FirstName),
        ("PRENOM", Field::FirstName),
        ("LASTNAME", Field::LastName),
        ("NOM", Field::LastName),
        ("SMS", Field::Phone),
        ("EMAIL_BLACKLISTED", Field::Unsubscribed),
        ("ADDED_TIME", Field::SubscribedAt),
    ],
    signature: &[
        ("EMAIL_BLACKLISTED", 2),
        ("SMS_BLACKLISTED", 2),
        ("ADDED_TIME", 1),
        ("MODIFIED_TIME", 1),
        ("DOUBLE_OPT-IN", 1),
        ("SMS", 1),
    ],
    multi: &[],
    implied: &[],
    default_status: None,
    phones_have_country_code: true,
};

/// Generic synonyms in English, German, French and Spanish, most preferred first per field.
const SYNONYMS: &[(&str, Field)] = &[
    // identity
    ("id", Field::ExternalId),
    ("contact_id", Field::ExternalId),
    ("contact id", Field::ExternalId),
    ("external_id", Field::ExternalId),
    ("record id", Field::ExternalId),
    ("customer id", Field::ExternalId),
    ("unique_id", Field::ExternalId),
    ("rec_id", Field::ExternalId),
    ("person_id", Field::ExternalId),
    ("uid", Field::ExternalId),
    ("Kundennummer", Field::ExternalId),
    ("email", Field::Email),
    ("e-mail", Field::Email),
    ("email address", Field::Email),
    ("e-mail address", Field::Email),
    ("mail", Field::Email),
    ("E-Mail-Adresse", Field::Email),
    ("Emailadresse", Field::Email),
    ("courriel", Field::Email),
    ("adresse e-mail", Field::Email),
    ("adresse email", Field::Email),
    ("adresse mail", Field::Email),
    ("correo", Field::Email),
    ("correo electrónico", Field::Email),
    ("dirección de correo", Field::Email),
    ("dirección de correo electrónico", Field::Email),
    ("email_address", Field::Email),
    ("work email", Field::Email),
    ("business email", Field::Email),
    ("primary email", Field::Email),
    ("personal email", Field::Email),
    // names
    ("first_name", Field::FirstName),
    ("first name", Field::FirstName),
    ("firstname", Field::FirstName),
    ("given name", Field::FirstName),
    ("forename", Field::FirstName),
    ("Vorname", Field::FirstName),
    ("prénom", Field::FirstName),
    ("nombre", Field::FirstName),
    ("nombre de pila", Field::FirstName),
    ("last_name", Field::LastName),
    ("last name", Field::LastName),
    ("lastname", Field::LastName),
    ("surname", Field::LastName),
    ("family name", Field::LastName),
    ("Nachname", Field::LastName),
    ("Familienname", Field::LastName),
    ("nom", Field::LastName),
    ("nom de famille", Field::LastName),
    ("apellido", Field::LastName),
    ("apellidos", Field::LastName),
    ("name", Field::FullName),
    ("full name", Field::FullName),
    ("full_name", Field::FullName),
    ("contact name", Field::FullName),
    ("vollständiger Name", Field::FullName),
    ("nom complet", Field::FullName),
    ("nombre completo", Field::FullName),
    // work
    ("company", Field::Company),
    ("company name", Field::Company),
    ("organization", Field::Company),
    ("organisation", Field::Company),
    ("Firma", Field::Company),
    ("Unternehmen", Field::Company),
    ("Firmenname", Field::Company),
    ("société", Field::Company),
    ("entreprise", Field::Company),
    ("empresa", Field::Company),
    ("compañía", Field::Company),
    ("organization name", Field::Company),
    ("account name", Field::Company),
    ("employer", Field::Company),
    ("job_title", Field::JobTitle),
    ("job title", Field::JobTitle),
    ("position", Field::JobTitle),
    ("role", Field::JobTitle),
    ("Berufsbezeichnung", Field::JobTitle),
    ("Funktion", Field::JobTitle),
    ("poste", Field::JobTitle),
    ("fonction", Field::JobTitle),
    ("cargo", Field::JobTitle),
    ("puesto", Field::JobTitle),
    ("jobtitle", Field::JobTitle),
    ("designation", Field::JobTitle),
    ("title", Field::JobTitle),
    ("industry", Field::Industry),
    ("sector", Field::Industry),
    ("Branche", Field::Industry),
    ("secteur", Field::Industry),
    ("secteur d'activité", Field::Industry),
    ("industria", Field::Industry),
    ("company_size", Field::CompanySize),
    ("company size", Field::CompanySize),
    ("employees", Field::CompanySize),
    ("number of employees", Field::CompanySize),
    ("Mitarbeiter", Field::CompanySize),
    ("Mitarbeiterzahl", Field::CompanySize),
    ("Unternehmensgröße", Field::CompanySize),
    ("taille de l'entreprise", Field::CompanySize),
    ("effectif", Field::CompanySize),
    ("tamaño de la empresa", Field::CompanySize),
    ("empleados", Field::CompanySize),
    // contact details
    ("phone", Field::Phone),
    ("phone number", Field::Phone),
    ("telephone", Field::Phone),
    ("mobile", Field::Phone),
    ("mobile phone", Field::Phone),
    ("work phone", Field::Phone),
    ("business phone", Field::Phone),
    ("office phone", Field::Phone),
    ("direct phone", Field::Phone),
    ("Telefon", Field::Phone),
    ("Telefonnummer", Field::Phone),
    ("Handy", Field::Phone),
    ("Mobiltelefon", Field::Phone),
    ("téléphone", Field::Phone),
    ("portable", Field::Phone),
    ("teléfono", Field::Phone),
    ("móvil", Field::Phone),
    ("celular", Field::Phone),
    ("street", Field::Street),
    ("address", Field::Street),
    ("street address", Field::Street),
    ("address 1", Field::Street),
    ("full address", Field::Street),
    ("Straße", Field::Street),
    ("Strasse", Field::Street),
    ("Adresse", Field::Street),
    ("Anschrift", Field::Street),
    ("rue", Field::Street),
    ("calle", Field::Street),
    ("dirección", Field::Street),
    ("domicilio", Field::Street),
    ("address 2", Field::AddressLine2),
    ("address line 2", Field::AddressLine2),
    ("street 2", Field::AddressLine2),
    ("Adresszusatz", Field::AddressLine2),
    ("complément d'adresse", Field::AddressLine2),
    ("dirección 2", Field::AddressLine2),
    ("street_number", Field::HouseNumber),
    ("house number", Field::HouseNumber),
    ("house no", Field::HouseNumber),
    ("Hausnummer", Field::HouseNumber),
    ("Hausnr", Field::HouseNumber),
    ("numéro de rue", Field::HouseNumber),
    ("número de calle", Field::HouseNumber),
    ("city", Field::City),
    ("town", Field::City),
    ("suburb", Field::City),
    ("locality", Field::City),
    ("Stadt", Field::City),
    ("Ort", Field::City),
    ("Wohnort", Field::City),
    ("ville", Field::City),
    ("ciudad", Field::City),
    ("localidad", Field::City),
    ("region", Field::Region),
    ("state", Field::Region),
    ("province", Field::Region),
    ("state/region", Field::Region),
    ("state / region", Field::Region),
    ("county", Field::Region),
    ("Bundesland", Field::Region),
    ("Kanton", Field::Region),
    ("région", Field::Region),
    ("département", Field::Region),
    ("provincia", Field::Region),
    ("estado", Field::Region),
    ("comunidad autónoma", Field::Region),
    ("postcode", Field::Postcode),
    ("postal code", Field::Postcode),
    ("zip", Field::Postcode),
    ("zip code", Field::Postcode),
    ("zipcode", Field::Postcode),
    ("PLZ", Field::Postcode),
    ("Postleitzahl", Field::Postcode),
    ("code postal", Field::Postcode),
    ("CP", Field::Postcode),
    ("código postal", Field::Postcode),
    ("country", Field::Country),
    ("country code", Field::Country),
    ("country/region", Field::Country),
    ("Land", Field::Country),
    ("pays", Field::Country),
    ("país", Field::Country),
    ("date_of_birth", Field::DateOfBirth),
    ("date of birth", Field::DateOfBirth),
    ("birthday", Field::DateOfBirth),
    ("birthdate", Field::DateOfBirth),
    ("dob", Field::DateOfBirth),
    ("Geburtsdatum", Field::DateOfBirth),
    ("Geburtstag", Field::DateOfBirth),
    ("date de naissance", Field::DateOfBirth),
    ("anniversaire", Field::DateOfBirth),
    ("fecha de nacimiento", Field::DateOfBirth),
    ("cumpleaños", Field::DateOfBirth),
    ("language", Field::Language),
    ("languages", Field::Language),
    ("preferred language", Field::Language),
    ("locale", Field::Language),
    ("Sprache", Field::Language),
    ("langue", Field::Language),
    ("idioma", Field::Language),
    // marketing state
    ("lifecycle_stage", Field::LifecycleStage),
    ("lifecycle stage", Field::LifecycleStage),
    ("lifecycle", Field::LifecycleStage),
    ("Lebenszyklusphase", Field::LifecycleStage),
    ("étape du cycle de vie", Field::LifecycleStage),
    ("etapa del ciclo de vida", Field::LifecycleStage),
    ("lead_status", Field::LeadStatus),
    ("lead status", Field::LeadStatus),
    ("Lead-Status", Field::LeadStatus),
    ("statut du lead", Field::LeadStatus),
    ("estado del lead", Field::LeadStatus),
    ("status", Field::Status),
    ("subscribed", Field::Status),
    ("subscription status", Field::Status),
    ("email status", Field::Status),
    ("email marketing status", Field::Status),
    ("email marketing consent", Field::Status),
    ("marketing status", Field::Status),
    ("consent", Field::Status),
    ("opt-in", Field::Status),
    ("newsletter", Field::Status),
    ("Abonnementstatus", Field::Status),
    ("Einwilligung", Field::Status),
    ("statut", Field::Status),
    ("abonnement", Field::Status),
    ("estado de suscripción", Field::Status),
    ("suscripción", Field::Status),
    ("member_rating", Field::MemberRating),
    ("member rating", Field::MemberRating),
    ("rating", Field::MemberRating),
    ("opens", Field::OpenCount),
    ("opens_90d", Field::OpenCount),
    ("open count", Field::OpenCount),
    ("emails opened", Field::OpenCount),
    ("Öffnungen", Field::OpenCount),
    ("ouvertures", Field::OpenCount),
    ("aperturas", Field::OpenCount),
    ("clicks", Field::ClickCount),
    ("clicks_90d", Field::ClickCount),
    ("click count", Field::ClickCount),
    ("emails clicked", Field::ClickCount),
    ("Klicks", Field::ClickCount),
    ("clics", Field::ClickCount),
    ("purchases", Field::PurchaseCount),
    ("orders", Field::PurchaseCount),
    ("number of orders", Field::PurchaseCount),
    ("purchase count", Field::PurchaseCount),
    ("Bestellungen", Field::PurchaseCount),
    ("Käufe", Field::PurchaseCount),
    ("commandes", Field::PurchaseCount),
    ("achats", Field::PurchaseCount),
    ("compras", Field::PurchaseCount),
    ("pedidos", Field::PurchaseCount),
    ("total_spent", Field::TotalSpent),
    ("total spent", Field::TotalSpent),
    ("revenue", Field::TotalSpent),
    ("lifetime value", Field::TotalSpent),
    ("Umsatz", Field::TotalSpent),
    ("Gesamtumsatz", Field::TotalSpent),
    ("chiffre d'affaires", Field::TotalSpent),
    ("total dépensé", Field::TotalSpent),
    ("gasto total", Field::TotalSpent),
    ("last_open_at", Field::LastOpenAt),
    ("last open", Field::LastOpenAt),
    ("last opened", Field::LastOpenAt),
    ("last open date", Field::LastOpenAt),
    ("letzte Öffnung", Field::LastOpenAt),
    ("dernière ouverture", Field::LastOpenAt),
    ("última apertura", Field::LastOpenAt),
    ("last_click_at", Field::LastClickAt),
    ("last click", Field::LastClickAt),
    ("last clicked", Field::LastClickAt),
    ("last click date", Field::LastClickAt),
    ("letzter Klick", Field::LastClickAt),
    ("dernier clic", Field::LastClickAt),
    ("último clic", Field::LastClickAt),
    ("created_at", Field::SubscribedAt),
    ("created", Field::SubscribedAt),
    ("create date", Field::SubscribedAt),
    ("date created", Field::SubscribedAt),
    ("subscribed_at", Field::SubscribedAt),
    ("signup date", Field::SubscribedAt),
    ("opt-in date", Field::SubscribedAt),
    ("optin_time", Field::SubscribedAt),
    ("Anmeldedatum", Field::SubscribedAt),
    ("Erstellt am", Field::SubscribedAt),
    ("Eintragungsdatum", Field::SubscribedAt),
    ("date d'inscription", Field::SubscribedAt),
    ("date de création", Field::SubscribedAt),
    ("fecha de alta", Field::SubscribedAt),
    ("fecha de suscripción", Field::SubscribedAt),
    ("fecha de creación", Field::SubscribedAt),
    ("tags", Field::Tags),
    ("tag", Field::Tags),
    ("labels", Field::Tags),
    ("groups", Field::Tags),
    ("interests", Field::Tags),
    ("Gruppen", Field::Tags),
    ("Interessen", Field::Tags),
    ("groupes", Field::Tags),
    ("centres d'intérêt", Field::Tags),
    ("grupos", Field::Tags),
    ("intereses", Field::Tags),
    ("Schlagworte", Field::Tags),
    ("étiquettes", Field::Tags),
    ("etiquetas", Field::Tags),
    ("unsubscribed", Field::Unsubscribed),
    ("unsubscribed_at", Field::Unsubscribed),
    ("unsubscribe date", Field::Unsubscribed),
    ("Abmeldedatum", Field::Unsubscribed),
    ("date de désinscription", Field::Unsubscribed),
    ("fecha de baja", Field::Unsubscribed),
    ("opted out", Field::Unsubscribed),
    ("email_blacklisted", Field::Unsubscribed),
    ("blacklisted", Field::Unsubscribed),
    ("abgemeldet", Field::Unsubscribed),
    ("désabonné", Field::Unsubscribed),
    ("dado de baja", Field::Unsubscribed),
    ("bounced", Field::Bounced),
    ("hard bounce", Field::Bounced),
    ("complained", Field::Complained),
    ("spam complaint", Field::Complained),
    // events exports
    ("type", Field::EventType),
    ("event", Field::EventType),
    ("event type", Field::EventType),
    ("event_type", Field::EventType),
    ("activity", Field::EventType),
    ("activity type", Field::EventType),
    ("Ereignis", Field::EventType),
    ("Aktivität", Field::EventType),
    ("événement", Field::EventType),
    ("evento", Field::EventType),
    ("occurred_at", Field::OccurredAt),
    ("timestamp", Field::OccurredAt),
    ("event time", Field::OccurredAt),
    ("event date", Field::OccurredAt),
    ("datetime", Field::OccurredAt),
    ("Zeitpunkt", Field::OccurredAt),
    ("horodatage", Field::OccurredAt),
    ("fecha y hora", Field::OccurredAt),
    ("campaign", Field::Campaign),
    ("campaign name", Field::Campaign),
    ("campaign title", Field::Campaign),
    ("Kampagne", Field::Campaign),
    ("campagne", Field::Campaign),
    ("campaña", Field::Campaign),
    ("url", Field::Url),
    ("link", Field::Url),
    ("page", Field::Url),
    ("page url", Field::Url),
    ("amount", Field::Amount),
    ("value", Field::Amount),
    ("order total", Field::Amount),
    ("Betrag", Field::Amount),
    ("montant", Field::Amount),
    ("importe", Field::Amount),
];

static ALL: [Preset; 8] = [
    MAILCHIMP,
    HUBSPOT,
    ACTIVECAMPAIGN,
    CLEVERREACH,
    KLAVIYO,
    BREVO,
    CONSTANT_CONTACT,
    GENERIC,
];

/// Every preset; `generic` last.
pub fn all() -> &'static [Preset] {
    &ALL
}

/// The preset called `name` (case-insensitive), e.g. `mailchimp`, `hubspot`, `generic`.
pub fn by_name(name: &str) -> Option<&'static Preset> {
    let key = fold_key(name);
    ALL.iter().find(|p| fold_key(p.name) == key)
}

/// The preset whose signature columns best match the header row; `generic` unless some
/// platform scores at least 2 (one strong marker such as HubSpot's "Record ID" or
/// Mailchimp's "LEID", or two weaker ones). Ties go to the earlier preset in [`all`].
pub fn detect(headers: &[String]) -> &'static Preset {
    let keys: Vec<String> = headers.iter().map(|h| fold_key(h)).collect();
    let mut best: Option<(&'static Preset, u32)> = None;
    for preset in &ALL {
        let score: u32 = preset
            .signature
            .iter()
            .filter(|(h, _)| keys.contains(&fold_key(h)))
            .map(|&(_, w)| u32::from(w))
            .sum();
        if score >= 2 && best.is_none_or(|(_, s)| score > s) {
            best = Some((preset, score));
        }
    }
    best.map_or(generic(), |(p, _)| p)
}

fn generic() -> &'static Preset {
    &ALL[ALL.len() - 1]
}

impl Preset {
    /// Which field each header feeds, in header order.
    ///
    /// The preset's own table is tried first, then the generic synonyms. When several
    /// headers claim one single-column field the preset's preferred header wins (LEID over
    /// EUID), then the first column; the others stay custom fields, so nothing is dropped.
    /// A repeated header (Mailchimp repeats UNSUB_REASON) maps its first occurrence; later
    /// ones become custom fields named `Name (2)`, `Name (3)`.
    pub fn map(&self, headers: &[String]) -> Vec<Column> {
        let keys: Vec<String> = headers.iter().map(|h| fold_key(h)).collect();
        let lookup = |key: &str| -> Option<(usize, Field)> {
            let find = |table: &[(&str, Field)]| {
                table
                    .iter()
                    .position(|(h, _)| fold_key(h) == key)
                    .map(|i| (i, table[i].1))
            };
            find(self.columns).or_else(|| find(SYNONYMS).map(|(i, f)| (self.columns.len() + i, f)))
        };
        let claims: Vec<Option<(usize, Field)>> = keys
            .iter()
            .enumerate()
            .map(|(i, key)| {
                let repeated = keys[..i].contains(key);
                if key.is_empty() || repeated {
                    None
                } else {
                    lookup(key)
                }
            })
            .collect();
        // The winning (rank, column) per field.
        let mut winners: HashMap<Field, (usize, usize)> = HashMap::new();
        for (i, claim) in claims.iter().enumerate() {
            if let Some((rank, field)) = *claim {
                let best = winners.entry(field).or_insert((rank, i));
                *best = (*best).min((rank, i));
            }
        }
        (0..headers.len())
            .map(|i| match claims[i] {
                Some((rank, field))
                    if field.multi_column() || winners.get(&field) == Some(&(rank, i)) =>
                {
                    Column::Known(field)
                }
                _ => Column::Custom(custom_name(headers, &keys, i)),
            })
            .collect()
    }

    /// The status every row of an export with these headers has unless it says otherwise:
    /// the most restrictive implying header present (Mailchimp UNSUB_TIME → unsubscribed,
    /// CLEAN_TIME → cleaned), else the preset's default.
    pub fn implied_status(&self, headers: &[String]) -> Option<Status> {
        let keys: Vec<String> = headers.iter().map(|h| fold_key(h)).collect();
        self.implied
            .iter()
            .filter(|(h, _)| keys.contains(&fold_key(h)))
            .map(|&(_, s)| s)
            .reduce(Status::most_restrictive)
            .or(self.default_status)
    }

    /// The values of a multi-value cell, each cleaned, empty ones and repeats dropped.
    /// Single-value fields give the cleaned value alone (or nothing when it is empty).
    pub fn split_multi(&self, field: Field, value: &str) -> Vec<String> {
        if field != Field::Tags {
            let v = crate::text::clean(value);
            return if v.is_empty() {
                Vec::new()
            } else {
                vec![v.into_owned()]
            };
        }
        let how = self
            .multi
            .iter()
            .find(|(f, _)| *f == field)
            .map_or(DEFAULT_MULTI, |&(_, m)| m);
        let mut out: Vec<String> = Vec::new();
        let mut keep = |item: &str| {
            let item = crate::text::clean(item);
            if !item.is_empty() && !out.iter().any(|kept| *kept == item) {
                out.push(item.into_owned());
            }
        };
        match how {
            Multi::SplitOn(seps) => match seps.iter().find(|&&c| value.contains(c)) {
                Some(&sep) => value.split(sep).for_each(keep),
                None => keep(value),
            },
            Multi::QuotedList => quoted_list(value).iter().for_each(|item| keep(item)),
        }
        out
    }
}

/// A custom field's name for column `i`: the header itself, `Name (n)` for the n-th
/// occurrence of a repeated header, `Column n` for an empty header.
fn custom_name(headers: &[String], keys: &[String], i: usize) -> String {
    let name = crate::text::clean(&headers[i]);
    if name.is_empty() {
        return format!("Column {}", i + 1);
    }
    let occurrence = keys[..i].iter().filter(|k| **k == keys[i]).count();
    if occurrence == 0 {
        name.into_owned()
    } else {
        format!("{name} ({})", occurrence + 1)
    }
}

/// Splits `"a","b, c",d` into `a`, `b, c`, `d`: quoted items may hold commas, `""` is a
/// literal quote.
fn quoted_list(value: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut item = String::new();
    let mut chars = value.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                item.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => items.push(std::mem::take(&mut item)),
            c => item.push(c),
        }
    }
    items.push(item);
    items
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::status::Status as S;
    use proptest::prelude::*;
    use Column::{Custom, Known};
    use Field::Status;
    use Field::*;

    fn headers(line: &str) -> Vec<String> {
        quoted_list(line)
    }

    fn c(name: &str) -> Column {
        Custom(name.to_string())
    }

    #[test]
    fn names_are_unique_and_found() {
        let names: Vec<&str> = all().iter().map(|p| p.name).collect();
        assert_eq!(
            names,
            [
                "mailchimp",
                "hubspot",
                "activecampaign",
                "cleverreach",
                "klaviyo",
                "brevo",
                "constantcontact",
                "generic"
            ]
        );
        for p in all() {
            assert_eq!(by_name(p.name).map(|q| q.name), Some(p.name));
        }
        assert_eq!(by_name("HubSpot").map(|p| p.name), Some("hubspot"));
        assert!(by_name("salesforce").is_none());
    }

    #[test]
    fn mailchimp_subscribed_export() {
        let h = headers(
            r#""Email Address","First Name","Last Name",MEMBER_RATING,OPTIN_TIME,OPTIN_IP,CONFIRM_TIME,CONFIRM_IP,LATITUDE,LONGITUDE,GMTOFF,DSTOFF,TIMEZONE,CC,REGION,LAST_CHANGED,LEID,EUID,NOTES"#,
        );
        let p = detect(&h);
        assert_eq!(p.name, "mailchimp");
        assert_eq!(
            p.map(&h),
            [
                Known(Email),
                Known(FirstName),
                Known(LastName),
                Known(MemberRating),
                Known(SubscribedAt),
                Known(Ignore),
                c("CONFIRM_TIME"),
                Known(Ignore),
                Known(Ignore),
                Known(Ignore),
                Known(Ignore),
                Known(Ignore),
                c("TIMEZONE"),
                Known(GeoCountry),
                Known(GeoRegion),
                c("LAST_CHANGED"),
                Known(ExternalId),
                c("EUID"),
                c("NOTES"),
            ]
        );
        assert_eq!(p.implied_status(&h), Some(S::Subscribed));
    }

    #[test]
    fn mailchimp_unsubscribed_export_with_duplicate_headers() {
        let h = headers(
            r#""Email Address",Name,"ZIP code","Help time",Country,UNSUB_CAMPAIGN_ID,UNSUB_REASON,UNSUB_TIME,UNSUB_CAMPAIGN_TITLE,UNSUB_CAMPAIGN_ID,UNSUB_REASON,UNSUB_REASON_OTHER,"MailChimp Integration",Languages,"Help Location",MEMBER_RATING,OPTIN_TIME,OPTIN_IP,CONFIRM_TIME,CONFIRM_IP,LATITUDE,LONGITUDE,GMTOFF,DSTOFF,TIMEZONE,CC,REGION,LAST_CHANGED,LEID,EUID,NOTES"#,
        );
        let p = detect(&h);
        assert_eq!(p.name, "mailchimp");
        let m = p.map(&h);
        assert_eq!(m[0], Known(Email));
        assert_eq!(m[1], Known(FullName));
        assert_eq!(m[2], Known(Postcode));
        assert_eq!(m[3], c("Help time"));
        // The typed "Country" merge field is the country; the geo-IP CC column only
        // stands in where it is empty.
        assert_eq!(m[4], Known(Country));
        assert_eq!(m[25], Known(GeoCountry));
        assert_eq!(m[5], c("UNSUB_CAMPAIGN_ID"));
        assert_eq!(m[6], c("UNSUB_REASON"));
        assert_eq!(m[9], c("UNSUB_CAMPAIGN_ID (2)"));
        assert_eq!(m[10], c("UNSUB_REASON (2)"));
        assert_eq!(m[13], Known(Language));
        assert_eq!(m[28], Known(ExternalId));
        assert_eq!(p.implied_status(&h), Some(S::Unsubscribed));
    }

    #[test]
    fn mailchimp_merge_fields_and_cleaned() {
        let h = headers(
            r#""Email Address","First Name","Last Name","Zip Code",Country,"Full Address","Number of Joule Cooks","Meat Referral Discount","Pick-up Areas",MEMBER_RATING,OPTIN_TIME,OPTIN_IP,CONFIRM_TIME,CONFIRM_IP,LATITUDE,LONGITUDE,GMTOFF,DSTOFF,TIMEZONE,CC,REGION,LAST_CHANGED,LEID,EUID,NOTES"#,
        );
        let p = detect(&h);
        assert_eq!(p.name, "mailchimp");
        let m = p.map(&h);
        assert_eq!(m[3], Known(Postcode));
        assert_eq!(m[5], Known(Street));
        assert_eq!(m[8], c("Pick-up Areas"));
        let mut cleaned = h.clone();
        cleaned.push("CLEAN_TIME".into());
        assert_eq!(p.implied_status(&cleaned), Some(S::Cleaned));
    }

    #[test]
    fn hubspot_export() {
        // shared/formats/hubspot-headers.txt, verbatim
        let h: Vec<String> = [
            "Record ID",
            "First Name",
            "Last Name",
            "Email",
            "Phone Number",
            "Contact owner",
            "HubSpot Owner",
            "Lead Status",
            "Lifecycle Stage",
            "Create Date",
            "Last Activity Date",
            "Marketing contact status",
            "Original Source",
            "Original Source Drill-Down 1",
            "Original Source Drill-Down 2",
            "Associated Note IDs",
            "Country/Region",
            "City",
            "Contact URL (HS)",
        ]
        .map(String::from)
        .to_vec();
        let p = detect(&h);
        assert_eq!(p.name, "hubspot");
        assert_eq!(
            p.map(&h),
            [
                Known(ExternalId),
                Known(FirstName),
                Known(LastName),
                Known(Email),
                Known(Phone),
                c("Contact owner"),
                c("HubSpot Owner"),
                Known(LeadStatus),
                Known(LifecycleStage),
                Known(SubscribedAt),
                c("Last Activity Date"),
                c("Marketing contact status"),
                c("Original Source"),
                c("Original Source Drill-Down 1"),
                c("Original Source Drill-Down 2"),
                c("Associated Note IDs"),
                Known(Country),
                Known(City),
                c("Contact URL (HS)"),
            ]
        );
        let mut extra = h.clone();
        extra.extend(
            [
                "Industry",
                "Unsubscribed from all email",
                "Email hard bounce reason",
            ]
            .map(String::from),
        );
        let m = p.map(&extra);
        assert_eq!(
            m[19..],
            [Known(Industry), Known(Unsubscribed), Known(Bounced)]
        );
        assert_eq!(p.implied_status(&h), None);
        assert_eq!(p.split_multi(Tags, "a; b;;a"), ["a", "b"]);
    }

    #[test]
    fn klaviyo_export() {
        let h = headers("Email,Klaviyo ID,First Name,Last Name,Organization,Title,Phone Number,Address,Address 2,City,State / Region,Country,Zip Code,Latitude,Longitude,Source,IP Address,Email Marketing Consent,Email Marketing Consent Timestamp,Historic Customer Lifetime Value,Total Customer Lifetime Value,Predicted Customer Lifetime Value,Average Order Value,Historic Number Of Orders,First Active,Last Active,Profile Created On,Date Added,Last Open,Last Click,Average Days Between Orders,Email Suppressions");
        let p = detect(&h);
        assert_eq!(p.name, "klaviyo");
        assert_eq!(
            p.map(&h),
            [
                Known(Email),
                Known(ExternalId),
                Known(FirstName),
                Known(LastName),
                Known(Company),
                Known(JobTitle),
                Known(Phone),
                Known(Street),
                Known(AddressLine2),
                Known(City),
                Known(Region),
                Known(Country),
                Known(Postcode),
                Known(Ignore),
                Known(Ignore),
                c("Source"),
                Known(Ignore),
                Known(Status),
                c("Email Marketing Consent Timestamp"),
                Known(TotalSpent),
                c("Total Customer Lifetime Value"),
                c("Predicted Customer Lifetime Value"),
                c("Average Order Value"),
                Known(PurchaseCount),
                c("First Active"),
                c("Last Active"),
                c("Profile Created On"),
                Known(SubscribedAt),
                Known(LastOpenAt),
                Known(LastClickAt),
                c("Average Days Between Orders"),
                Known(Status),
            ]
        );
    }

    #[test]
    fn constant_contact_export() {
        let h = headers("Email address,First name,Last name,Phone - home,Company,Job title,Email status,Email permission status,Tags,Email Lists,Country - Home,Birthday,Anniversary,Created At,Updated At");
        let p = detect(&h);
        assert_eq!(p.name, "constantcontact");
        assert_eq!(
            p.map(&h),
            [
                Known(Email),
                Known(FirstName),
                Known(LastName),
                Known(Phone),
                Known(Company),
                Known(JobTitle),
                Known(Status),
                Known(Status),
                Known(Tags),
                c("Email Lists"),
                Known(Country),
                Known(DateOfBirth),
                c("Anniversary"),
                Known(SubscribedAt),
                c("Updated At"),
            ]
        );
        let short = headers(
            "Email address,First name,Last name,Email status,Email permission status,Email Lists",
        );
        assert_eq!(detect(&short).name, "constantcontact");
        assert_eq!(
            p.split_multi(Tags, "VIP, Webinar 2024"),
            ["VIP", "Webinar 2024"]
        );
    }

    #[test]
    fn activecampaign_export() {
        let h = headers("Contact ID,Email,First Name,Last Name,Phone,Organization,Tags,Date Created,Date Updated");
        let p = detect(&h);
        assert_eq!(p.name, "activecampaign");
        assert_eq!(
            p.map(&h),
            [
                Known(ExternalId),
                Known(Email),
                Known(FirstName),
                Known(LastName),
                Known(Phone),
                Known(Company),
                Known(Tags),
                Known(SubscribedAt),
                c("Date Updated"),
            ]
        );
    }

    #[test]
    fn cleverreach_export() {
        let h =
            headers("E-Mail,Vorname,Nachname,Firma,PLZ,Ort,Anmeldedatum,Abmeldedatum,Aktiv,Tags");
        let p = detect(&h);
        assert_eq!(p.name, "cleverreach");
        assert_eq!(
            p.map(&h),
            [
                Known(Email),
                Known(FirstName),
                Known(LastName),
                Known(Company),
                Known(Postcode),
                Known(City),
                Known(SubscribedAt),
                Known(Unsubscribed),
                Known(Status),
                Known(Tags),
            ]
        );
        assert_eq!(S::parse("ja"), Some(S::Subscribed));
    }

    #[test]
    fn brevo_export() {
        let h = headers("CONTACT ID,EMAIL,FIRSTNAME,LASTNAME,SMS,EMAIL_BLACKLISTED,SMS_BLACKLISTED,ADDED_TIME,MODIFIED_TIME");
        let p = detect(&h);
        assert_eq!(p.name, "brevo");
        assert_eq!(
            p.map(&h),
            [
                Known(ExternalId),
                Known(Email),
                Known(FirstName),
                Known(LastName),
                Known(Phone),
                Known(Unsubscribed),
                c("SMS_BLACKLISTED"),
                Known(SubscribedAt),
                c("MODIFIED_TIME"),
            ]
        );
        let fr = headers("EMAIL,PRENOM,NOM,EMAIL_BLACKLISTED,SMS_BLACKLISTED");
        assert_eq!(
            p.map(&fr)[..3],
            [Known(Email), Known(FirstName), Known(LastName)]
        );
        assert!(flag_is_set("true"));
        assert!(flag_is_set("1"));
        assert!(!flag_is_set("false"));
        assert!(!flag_is_set(""));
        assert!(flag_is_set("MAILBOX_FULL"));
        assert!(flag_is_set("2024-05-01 13:45:10"));
        assert!(!flag_is_set("0000-00-00 00:00:00"));
        assert!(!flag_is_set("null"));
        assert!(!flag_is_set("[]"));
    }

    #[test]
    fn generic_contacts_and_events() {
        let h = headers("email,first_name,last_name,company,job_title,phone,country,city,lifecycle_stage,industry,company_size,created_at,last_open_at,last_click_at,opens_90d,clicks_90d,purchases,total_spent,tags,status");
        let p = detect(&h);
        assert_eq!(p.name, "generic");
        assert_eq!(
            p.map(&h),
            [
                Email,
                FirstName,
                LastName,
                Company,
                JobTitle,
                Phone,
                Country,
                City,
                LifecycleStage,
                Industry,
                CompanySize,
                SubscribedAt,
                LastOpenAt,
                LastClickAt,
                OpenCount,
                ClickCount,
                PurchaseCount,
                TotalSpent,
                Tags,
                Status
            ]
            .map(Known)
        );
        assert_eq!(
            p.split_multi(Tags, "webinar-2024;promo-bf2025;ebook-download"),
            ["webinar-2024", "promo-bf2025", "ebook-download"]
        );
        let ev = headers("email,type,occurred_at,campaign,url,amount");
        assert_eq!(detect(&ev).name, "generic");
        assert_eq!(
            p.map(&ev),
            [Email, EventType, OccurredAt, Campaign, Url, Amount].map(Known)
        );
        // Tags win over groups; the groups column is kept as a custom field.
        assert_eq!(
            p.map(&headers("email,groups,tags")),
            [Known(Email), c("groups"), Known(Tags)]
        );
        let ids = headers("id,contact_id,external_id");
        assert_eq!(
            p.map(&ids),
            [Known(ExternalId), c("contact_id"), c("external_id")]
        );
    }

    #[test]
    fn generic_synonyms_in_four_languages() {
        let cases = [
            ("work_email", Email),
            ("Title", JobTitle),
            ("Account Name", Company),
            ("Business Phone", Phone),
            ("rec_id", ExternalId),
            ("unique_id", ExternalId),
            ("street_number", HouseNumber),
            ("Hausnummer", HouseNumber),
            ("suburb", City),
            ("E-Mail-Adresse", Email),
            ("courriel", Email),
            ("Adresse e-mail", Email),
            ("Correo electrónico", Email),
            ("Vorname", FirstName),
            ("Prénom", FirstName),
            ("Nombre", FirstName),
            ("Nachname", LastName),
            ("Nom", LastName),
            ("Apellidos", LastName),
            ("Firma", Company),
            ("Unternehmen", Company),
            ("Société", Company),
            ("Empresa", Company),
            ("Telefon", Phone),
            ("Téléphone", Phone),
            ("Teléfono", Phone),
            ("PLZ", Postcode),
            ("Code postal", Postcode),
            ("Código postal", Postcode),
            ("Land", Country),
            ("Pays", Country),
            ("País", Country),
            ("Stadt", City),
            ("Ort", City),
            ("Ville", City),
            ("Ciudad", City),
            ("Geburtsdatum", DateOfBirth),
            ("Straße", Street),
            ("Branche", Industry),
            ("Sprache", Language),
            ("Gruppen", Tags),
            ("Centres d'intérêt", Tags),
        ];
        let generic = by_name("generic").map(|p| p as *const Preset);
        let p = detect(&[]);
        assert_eq!(Some(p as *const Preset), generic);
        for (header, field) in cases {
            assert_eq!(p.map(&[header.to_string()]), [Known(field)], "{header}");
        }
    }

    #[test]
    fn no_synonym_maps_to_two_fields() {
        for table in all().iter().map(|p| p.columns) {
            for (i, (a, fa)) in table.iter().enumerate() {
                for (b, fb) in &table[i + 1..] {
                    if fold_key(a) == fold_key(b) {
                        assert_eq!(fa, fb, "{a} / {b}");
                    }
                }
            }
        }
    }

    #[test]
    fn field_names_are_unique_snake_case() {
        let mut names: Vec<&str> = Field::ALL.iter().map(Field::name).collect();
        assert!(names
            .iter()
            .all(|n| n.chars().all(|c| c.is_ascii_lowercase() || c == '_')));
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Field::ALL.len());
        assert_eq!(Field::DateOfBirth.name(), "date_of_birth");
    }

    /// The receiver list's German column labels for the same dates as the API's
    /// `registered` and `deactivated`.
    #[test]
    fn cleverreach_german_date_labels() {
        let h = headers("E-Mail,Vorname,Angemeldet,Aktiviert,Abgemeldet,Deaktiviert");
        let p = detect(&h);
        assert_eq!(p.name, "cleverreach");
        assert_eq!(
            p.map(&h),
            [
                Known(Email),
                Known(FirstName),
                Known(SubscribedAt),
                c("Aktiviert"),
                Known(Unsubscribed),
                Known(Unsubscribed),
            ]
        );
    }

    #[test]
    fn cleverreach_api_style_export() {
        let h = headers("email,activated,registered,deactivated,source,tags,vorname,nachname");
        let p = detect(&h);
        assert_eq!(p.name, "cleverreach");
        assert_eq!(
            p.map(&h),
            [
                Known(Email),
                c("activated"),
                Known(SubscribedAt),
                Known(Unsubscribed),
                c("source"),
                Known(Tags),
                Known(FirstName),
                Known(LastName),
            ]
        );
    }

    #[test]
    fn empty_and_weird_headers() {
        let p = detect(&[]);
        assert_eq!(
            p.map(&["".to_string(), "  ".to_string(), "Email".to_string()]),
            [c("Column 1"), c("Column 2"), Known(Email)]
        );
    }

    #[test]
    fn mailchimp_tags_are_quoted_lists() {
        let p = by_name("mailchimp").unwrap();
        assert_eq!(
            p.split_multi(Tags, r#""VIP","Webinar, 2024","say ""hi""""#),
            ["VIP", "Webinar, 2024", r#"say "hi""#]
        );
        assert_eq!(p.split_multi(Tags, "plain"), ["plain"]);
        assert_eq!(p.split_multi(Tags, ""), Vec::<String>::new());
        assert_eq!(p.split_multi(Email, "  a@b.c "), ["a@b.c"]);
    }

    proptest! {
        #[test]
        fn never_panics(hs in proptest::collection::vec(any::<String>(), 0..12), v in any::<String>()) {
            let p = detect(&hs);
            let m = p.map(&hs);
            prop_assert_eq!(m.len(), hs.len());
            let _ = p.implied_status(&hs);
            for preset in all() {
                let items = preset.split_multi(Field::Tags, &v);
                prop_assert!(items.iter().all(|i| !i.is_empty()));
            }
        }
    }
}
