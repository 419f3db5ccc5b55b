//! Country names and codes to ISO 3166-1 alpha-2.
//!
//! The table below lists every ISO 3166-1 entry with its alpha-2 and alpha-3 code and its
//! English short name (ISO 3166 Maintenance Agency list), then common English variants
//! ("USA", "UK", "Great Britain", "Holland", "Ivory Coast", "Türkiye"...), then the names in
//! German, French and Spanish (Unicode CLDR territory names) and the country's own name,
//! for at least the EU members, CH, UK, US, CA, MX, BR, AR, AU, JP, CN and IN.
//! Lookup folds case, accents, spaces and punctuation ("ÖSTERREICH", "osterreich",
//! "Côte d’Ivoire" / "Cote d'Ivoire"), and ignores a leading "the".

use super::fold_key;
use std::collections::HashMap;
use std::sync::LazyLock;

/// `(alpha-2, alpha-3, names separated by '|')`.
const COUNTRIES: &[(&str, &str, &str)] = &[
    ("AF", "AFG", "Afghanistan"),
    ("AX", "ALA", "Åland Islands|Aland"),
    ("AL", "ALB", "Albania|Albanien|Albanie|Shqipëria"),
    ("DZ", "DZA", "Algeria|Algerien|Algérie|Argelia"),
    ("AS", "ASM", "American Samoa"),
    ("AD", "AND", "Andorra|Andorre"),
    ("AO", "AGO", "Angola"),
    ("AI", "AIA", "Anguilla"),
    ("AQ", "ATA", "Antarctica|Antarktis|Antarctique|Antártida"),
    ("AG", "ATG", "Antigua and Barbuda|Antigua"),
    ("AR", "ARG", "Argentina|Argentinien|Argentine|República Argentina"),
    ("AM", "ARM", "Armenia|Armenien|Arménie"),
    ("AW", "ABW", "Aruba"),
    ("AU", "AUS", "Australia|Australien|Australie|Commonwealth of Australia"),
    ("AT", "AUT", "Austria|Österreich|Autriche|Republik Österreich"),
    ("AZ", "AZE", "Azerbaijan|Aserbaidschan|Azerbaïdjan|Azerbaiyán"),
    ("BS", "BHS", "Bahamas|The Bahamas"),
    ("BH", "BHR", "Bahrain|Bahreïn|Baréin"),
    ("BD", "BGD", "Bangladesh|Bangladesch"),
    ("BB", "BRB", "Barbados|Barbade"),
    ("BY", "BLR", "Belarus|Belarus|Biélorussie|Bielorrusia|Weißrussland|Byelorussia"),
    ("BE", "BEL", "Belgium|Belgien|Belgique|Bélgica|België|Belgie"),
    ("BZ", "BLZ", "Belize|Belice"),
    ("BJ", "BEN", "Benin|Bénin"),
    ("BM", "BMU", "Bermuda|Bermudes"),
    ("BT", "BTN", "Bhutan|Bhoutan|Bután"),
    ("BO", "BOL", "Bolivia|Bolivien|Bolivie|Plurinational State of Bolivia"),
    ("BQ", "BES", "Bonaire, Sint Eustatius and Saba|Caribbean Netherlands|Bonaire"),
    ("BA", "BIH", "Bosnia and Herzegovina|Bosnia|Bosnien und Herzegowina|Bosnie-Herzégovine|Bosnia y Herzegovina"),
    ("BW", "BWA", "Botswana"),
    ("BV", "BVT", "Bouvet Island"),
    ("BR", "BRA", "Brazil|Brasilien|Brésil|Brasil"),
    ("IO", "IOT", "British Indian Ocean Territory"),
    ("BN", "BRN", "Brunei Darussalam|Brunei"),
    ("BG", "BGR", "Bulgaria|Bulgarien|Bulgarie|България|Balgariya"),
    ("BF", "BFA", "Burkina Faso"),
    ("BI", "BDI", "Burundi"),
    ("CV", "CPV", "Cabo Verde|Cape Verde|Kap Verde|Cap-Vert"),
    ("KH", "KHM", "Cambodia|Kambodscha|Cambodge|Camboya"),
    ("CM", "CMR", "Cameroon|Kamerun|Cameroun|Camerún"),
    ("CA", "CAN", "Canada|Kanada|Canadá"),
    ("KY", "CYM", "Cayman Islands"),
    ("CF", "CAF", "Central African Republic|Zentralafrikanische Republik|République centrafricaine"),
    ("TD", "TCD", "Chad|Tschad|Tchad"),
    ("CL", "CHL", "Chile|Chili"),
    ("CN", "CHN", "China|Chine|People's Republic of China|PRC|Volksrepublik China|中国|中華人民共和国|中华人民共和国"),
    ("CX", "CXR", "Christmas Island"),
    ("CC", "CCK", "Cocos (Keeling) Islands|Cocos Islands"),
    ("CO", "COL", "Colombia|Kolumbien|Colombie"),
    ("KM", "COM", "Comoros|Komoren|Comores"),
    ("CG", "COG", "Congo|Republic of the Congo|Congo-Brazzaville|Kongo"),
    ("CD", "COD", "Congo, Democratic Republic of the|Democratic Republic of the Congo|DR Congo|DRC|Congo-Kinshasa|Zaire"),
    ("CK", "COK", "Cook Islands"),
    ("CR", "CRI", "Costa Rica"),
    ("CI", "CIV", "Côte d'Ivoire|Ivory Coast|Elfenbeinküste|Costa de Marfil"),
    ("HR", "HRV", "Croatia|Kroatien|Croatie|Croacia|Hrvatska"),
    ("CU", "CUB", "Cuba|Kuba"),
    ("CW", "CUW", "Curaçao"),
    ("CY", "CYP", "Cyprus|Zypern|Chypre|Chipre|Κύπρος|Kypros|Kıbrıs"),
    ("CZ", "CZE", "Czechia|Czech Republic|Tschechien|Tschechische Republik|Tchéquie|République tchèque|Chequia|República Checa|Česko|Česká republika"),
    ("DK", "DNK", "Denmark|Dänemark|Danemark|Dinamarca|Danmark"),
    ("DJ", "DJI", "Djibouti|Dschibuti|Yibuti"),
    ("DM", "DMA", "Dominica"),
    ("DO", "DOM", "Dominican Republic|Dominikanische Republik|République dominicaine|República Dominicana"),
    ("EC", "ECU", "Ecuador|Équateur"),
    ("EG", "EGY", "Egypt|Ägypten|Égypte|Egipto"),
    ("SV", "SLV", "El Salvador|Salvador"),
    ("GQ", "GNQ", "Equatorial Guinea|Äquatorialguinea|Guinée équatoriale|Guinea Ecuatorial"),
    ("ER", "ERI", "Eritrea|Érythrée"),
    ("EE", "EST", "Estonia|Estland|Estonie|Eesti"),
    ("SZ", "SWZ", "Eswatini|Swaziland"),
    ("ET", "ETH", "Ethiopia|Äthiopien|Éthiopie|Etiopía"),
    ("FK", "FLK", "Falkland Islands (Malvinas)|Falkland Islands|Malvinas|Islas Malvinas"),
    ("FO", "FRO", "Faroe Islands|Faroes|Färöer"),
    ("FJ", "FJI", "Fiji|Fidschi|Fidji"),
    ("FI", "FIN", "Finland|Finnland|Finlande|Finlandia|Suomi"),
    ("FR", "FRA", "France|Frankreich|Francia|République française"),
    ("GF", "GUF", "French Guiana|Guyane|Guyane française"),
    ("PF", "PYF", "French Polynesia|Polynésie française"),
    ("TF", "ATF", "French Southern Territories"),
    ("GA", "GAB", "Gabon|Gabun|Gabón"),
    ("GM", "GMB", "Gambia|The Gambia|Gambie"),
    ("GE", "GEO", "Georgia|Georgien|Géorgie"),
    ("DE", "DEU", "Germany|Deutschland|Allemagne|Alemania|Bundesrepublik Deutschland|BRD|Federal Republic of Germany"),
    ("GH", "GHA", "Ghana"),
    ("GI", "GIB", "Gibraltar"),
    ("GR", "GRC", "Greece|Griechenland|Grèce|Grecia|Ελλάδα|Ellada|Hellas|EL"),
    ("GL", "GRL", "Greenland|Grönland|Groenland|Groenlandia"),
    ("GD", "GRD", "Grenada"),
    ("GP", "GLP", "Guadeloupe"),
    ("GU", "GUM", "Guam"),
    ("GT", "GTM", "Guatemala"),
    ("GG", "GGY", "Guernsey"),
    ("GN", "GIN", "Guinea|Guinée"),
    ("GW", "GNB", "Guinea-Bissau|Guinée-Bissau"),
    ("GY", "GUY", "Guyana"),
    ("HT", "HTI", "Haiti|Haïti|Haití"),
    ("HM", "HMD", "Heard Island and McDonald Islands"),
    ("VA", "VAT", "Holy See|Vatican City|Vatican|Vatikanstadt|Cité du Vatican|Ciudad del Vaticano"),
    ("HN", "HND", "Honduras"),
    ("HK", "HKG", "Hong Kong|Hongkong"),
    ("HU", "HUN", "Hungary|Ungarn|Hongrie|Hungría|Magyarország"),
    ("IS", "ISL", "Iceland|Island|Islande|Islandia|Ísland"),
    ("IN", "IND", "India|Indien|Inde|Bharat|भारत"),
    ("ID", "IDN", "Indonesia|Indonesien|Indonésie"),
    ("IR", "IRN", "Iran|Iran, Islamic Republic of|Islamic Republic of Iran"),
    ("IQ", "IRQ", "Iraq|Irak"),
    ("IE", "IRL", "Ireland|Irland|Irlande|Irlanda|Éire|Republic of Ireland"),
    ("IM", "IMN", "Isle of Man"),
    ("IL", "ISR", "Israel|Israël"),
    ("IT", "ITA", "Italy|Italien|Italie|Italia"),
    ("JM", "JAM", "Jamaica|Jamaika|Jamaïque"),
    ("JP", "JPN", "Japan|Japon|Japón|日本|Nippon|Nihon"),
    ("JE", "JEY", "Jersey"),
    ("JO", "JOR", "Jordan|Jordanien|Jordanie|Jordania"),
    ("KZ", "KAZ", "Kazakhstan|Kasachstan|Kazajistán"),
    ("KE", "KEN", "Kenya|Kenia"),
    ("KI", "KIR", "Kiribati"),
    ("KP", "PRK", "Korea, Democratic People's Republic of|North Korea|Nordkorea|Corée du Nord|Corea del Norte|DPRK"),
    ("KR", "KOR", "Korea, Republic of|South Korea|Republic of Korea|Korea|Südkorea|Corée du Sud|Corea del Sur"),
    ("KW", "KWT", "Kuwait|Koweït"),
    ("KG", "KGZ", "Kyrgyzstan|Kirgisistan|Kirghizistan"),
    ("LA", "LAO", "Lao People's Democratic Republic|Laos"),
    ("LV", "LVA", "Latvia|Lettland|Lettonie|Letonia|Latvija"),
    ("LB", "LBN", "Lebanon|Libanon|Liban|Líbano"),
    ("LS", "LSO", "Lesotho"),
    ("LR", "LBR", "Liberia"),
    ("LY", "LBY", "Libya|Libyen|Libye|Libia"),
    ("LI", "LIE", "Liechtenstein"),
    ("LT", "LTU", "Lithuania|Litauen|Lituanie|Lituania|Lietuva"),
    ("LU", "LUX", "Luxembourg|Luxemburg|Luxemburgo|Lëtzebuerg"),
    ("MO", "MAC", "Macao|Macau"),
    ("MG", "MDG", "Madagascar|Madagaskar"),
    ("MW", "MWI", "Malawi"),
    ("MY", "MYS", "Malaysia|Malaisie|Malasia"),
    ("MV", "MDV", "Maldives|Malediven|Maldivas"),
    ("ML", "MLI", "Mali"),
    ("MT", "MLT", "Malta|Malte"),
    ("MH", "MHL", "Marshall Islands"),
    ("MQ", "MTQ", "Martinique"),
    ("MR", "MRT", "Mauritania|Mauretanien|Mauritanie"),
    ("MU", "MUS", "Mauritius|Maurice"),
    ("YT", "MYT", "Mayotte"),
    ("MX", "MEX", "Mexico|México|Mexiko|Mexique|Estados Unidos Mexicanos"),
    ("FM", "FSM", "Micronesia, Federated States of|Micronesia"),
    ("MD", "MDA", "Moldova|Moldova, Republic of|Moldawien|Moldavie"),
    ("MC", "MCO", "Monaco|Mónaco"),
    ("MN", "MNG", "Mongolia|Mongolei|Mongolie"),
    ("ME", "MNE", "Montenegro|Monténégro"),
    ("MS", "MSR", "Montserrat"),
    ("MA", "MAR", "Morocco|Marokko|Maroc|Marruecos"),
    ("MZ", "MOZ", "Mozambique|Mosambik"),
    ("MM", "MMR", "Myanmar|Burma"),
    ("NA", "NAM", "Namibia|Namibie"),
    ("NR", "NRU", "Nauru"),
    ("NP", "NPL", "Nepal|Népal"),
    ("NL", "NLD", "Netherlands|The Netherlands|Niederlande|Pays-Bas|Países Bajos|Nederland|Holland|Holanda|Hollande"),
    ("NC", "NCL", "New Caledonia|Nouvelle-Calédonie"),
    ("NZ", "NZL", "New Zealand|Neuseeland|Nouvelle-Zélande|Nueva Zelanda|Aotearoa"),
    ("NI", "NIC", "Nicaragua"),
    ("NE", "NER", "Niger"),
    ("NG", "NGA", "Nigeria|Nigéria"),
    ("NU", "NIU", "Niue"),
    ("NF", "NFK", "Norfolk Island"),
    ("MK", "MKD", "North Macedonia|Macedonia|Nordmazedonien|Macédoine du Nord|Macedonia del Norte"),
    ("MP", "MNP", "Northern Mariana Islands"),
    ("NO", "NOR", "Norway|Norwegen|Norvège|Noruega|Norge"),
    ("OM", "OMN", "Oman|Omán"),
    ("PK", "PAK", "Pakistan|Pakistán"),
    ("PW", "PLW", "Palau"),
    ("PS", "PSE", "Palestine, State of|Palestine|Palästina|Palestina"),
    ("PA", "PAN", "Panama|Panamá"),
    ("PG", "PNG", "Papua New Guinea|Papua-Neuguinea"),
    ("PY", "PRY", "Paraguay"),
    ("PE", "PER", "Peru|Pérou|Perú"),
    ("PH", "PHL", "Philippines|Philippinen|Filipinas"),
    ("PN", "PCN", "Pitcairn|Pitcairn Islands"),
    ("PL", "POL", "Poland|Polen|Pologne|Polonia|Polska"),
    ("PT", "PRT", "Portugal"),
    ("PR", "PRI", "Puerto Rico"),
    ("QA", "QAT", "Qatar|Katar"),
    ("RE", "REU", "Réunion|Reunion|La Réunion"),
    ("RO", "ROU", "Romania|Rumänien|Roumanie|Rumania|România"),
    ("RU", "RUS", "Russian Federation|Russia|Russland|Russie|Rusia|Россия|Rossiya"),
    ("RW", "RWA", "Rwanda|Ruanda"),
    ("BL", "BLM", "Saint Barthélemy|St. Barthélemy|Saint Barthelemy"),
    ("SH", "SHN", "Saint Helena, Ascension and Tristan da Cunha|Saint Helena|St. Helena"),
    ("KN", "KNA", "Saint Kitts and Nevis|St. Kitts and Nevis"),
    ("LC", "LCA", "Saint Lucia|St. Lucia"),
    ("MF", "MAF", "Saint Martin (French part)|Saint Martin|St. Martin"),
    ("PM", "SPM", "Saint Pierre and Miquelon|Saint-Pierre-et-Miquelon"),
    ("VC", "VCT", "Saint Vincent and the Grenadines|St. Vincent and the Grenadines|Saint Vincent"),
    ("WS", "WSM", "Samoa"),
    ("SM", "SMR", "San Marino|Saint-Marin"),
    ("ST", "STP", "Sao Tome and Principe|São Tomé and Príncipe"),
    ("SA", "SAU", "Saudi Arabia|Saudi-Arabien|Arabie saoudite|Arabia Saudita|Arabia Saudí"),
    ("SN", "SEN", "Senegal|Sénégal"),
    ("RS", "SRB", "Serbia|Serbien|Serbie|Srbija"),
    ("SC", "SYC", "Seychelles|Seychellen"),
    ("SL", "SLE", "Sierra Leone|Sierra Leona"),
    ("SG", "SGP", "Singapore|Singapur|Singapour"),
    ("SX", "SXM", "Sint Maarten (Dutch part)|Sint Maarten"),
    ("SK", "SVK", "Slovakia|Slowakei|Slovaquie|Eslovaquia|Slovensko|Slovak Republic"),
    ("SI", "SVN", "Slovenia|Slowenien|Slovénie|Eslovenia|Slovenija"),
    ("SB", "SLB", "Solomon Islands"),
    ("SO", "SOM", "Somalia|Somalie"),
    ("ZA", "ZAF", "South Africa|Südafrika|Afrique du Sud|Sudáfrica|RSA"),
    ("GS", "SGS", "South Georgia and the South Sandwich Islands|South Georgia"),
    ("SS", "SSD", "South Sudan|Südsudan|Soudan du Sud|Sudán del Sur"),
    ("ES", "ESP", "Spain|Spanien|Espagne|España|Reino de España"),
    ("LK", "LKA", "Sri Lanka"),
    ("SD", "SDN", "Sudan|Soudan|Sudán"),
    ("SR", "SUR", "Suriname|Surinam"),
    ("SJ", "SJM", "Svalbard and Jan Mayen|Svalbard"),
    ("SE", "SWE", "Sweden|Schweden|Suède|Suecia|Sverige"),
    ("CH", "CHE", "Switzerland|Schweiz|Suisse|Suiza|Svizzera|Svizra|Confoederatio Helvetica|Helvetia"),
    ("SY", "SYR", "Syrian Arab Republic|Syria|Syrien|Syrie|Siria"),
    ("TW", "TWN", "Taiwan|Taiwan, Province of China|Taïwan|Taiwán"),
    ("TJ", "TJK", "Tajikistan|Tadschikistan|Tadjikistan"),
    ("TZ", "TZA", "Tanzania|Tanzania, United Republic of|Tansania|Tanzanie"),
    ("TH", "THA", "Thailand|Thaïlande|Tailandia"),
    ("TL", "TLS", "Timor-Leste|East Timor|Osttimor"),
    ("TG", "TGO", "Togo"),
    ("TK", "TKL", "Tokelau"),
    ("TO", "TON", "Tonga"),
    ("TT", "TTO", "Trinidad and Tobago|Trinidad"),
    ("TN", "TUN", "Tunisia|Tunesien|Tunisie|Túnez"),
    ("TR", "TUR", "Türkiye|Turkey|Türkei|Turquie|Turquía"),
    ("TM", "TKM", "Turkmenistan|Turkménistan"),
    ("TC", "TCA", "Turks and Caicos Islands"),
    ("TV", "TUV", "Tuvalu"),
    ("UG", "UGA", "Uganda|Ouganda"),
    ("UA", "UKR", "Ukraine|Ucrania|Україна|Ukrayina"),
    ("AE", "ARE", "United Arab Emirates|UAE|Vereinigte Arabische Emirate|Émirats arabes unis|Emiratos Árabes Unidos|Emirates"),
    ("GB", "GBR", "United Kingdom|United Kingdom of Great Britain and Northern Ireland|UK|Great Britain|Britain|England|Scotland|Wales|Northern Ireland|Vereinigtes Königreich|Großbritannien|Royaume-Uni|Grande-Bretagne|Reino Unido|Gran Bretaña|Inglaterra|Angleterre|England, UK"),
    ("US", "USA", "United States|United States of America|US|U.S.|U.S.A.|America|Vereinigte Staaten|Vereinigte Staaten von Amerika|États-Unis|Etats-Unis d'Amérique|Estados Unidos|Estados Unidos de América|EE.UU.|EEUU"),
    ("UM", "UMI", "United States Minor Outlying Islands"),
    ("UY", "URY", "Uruguay"),
    ("UZ", "UZB", "Uzbekistan|Usbekistan|Ouzbékistan"),
    ("VU", "VUT", "Vanuatu"),
    ("VE", "VEN", "Venezuela|Venezuela, Bolivarian Republic of"),
    ("VN", "VNM", "Viet Nam|Vietnam"),
    ("VG", "VGB", "Virgin Islands (British)|British Virgin Islands"),
    ("VI", "VIR", "Virgin Islands (U.S.)|US Virgin Islands|U.S. Virgin Islands"),
    ("WF", "WLF", "Wallis and Futuna|Wallis-et-Futuna"),
    ("EH", "ESH", "Western Sahara|Westsahara|Sahara occidental"),
    ("YE", "YEM", "Yemen|Jemen|Yémen"),
    ("ZM", "ZMB", "Zambia|Sambia|Zambie"),
    ("ZW", "ZWE", "Zimbabwe|Simbabwe"),
    ("XK", "XKX", "Kosovo|Kosova"),
];

/// Folded name or code → alpha-2, built once on first use.
static INDEX: LazyLock<HashMap<String, &'static str>> = LazyLock::new(|| {
    let mut index = HashMap::with_capacity(COUNTRIES.len() * 5);
    for &(alpha2, alpha3, names) in COUNTRIES {
        index.insert(fold_key(alpha2), alpha2);
        index.insert(fold_key(alpha3), alpha2);
        for name in names.split('|') {
            index.entry(fold_key(name)).or_insert(alpha2);
        }
    }
    index
});

/// The ISO 3166-1 alpha-2 code of a country given by code (alpha-2 or alpha-3) or by name
/// (English, German, French, Spanish or local; see the module doc). `None` when unknown.
pub fn to_iso(name: &str) -> Option<&'static str> {
    let trimmed = name.trim();
    if trimmed.len() <= 3 && trimmed.bytes().all(|b| b.is_ascii_alphabetic()) {
        // Codes, the common case in exports: skip the Unicode folding.
        return INDEX.get(&trimmed.to_ascii_lowercase()).copied();
    }
    let key = fold_key(name);
    let key = match key.strip_prefix("the") {
        Some(rest)
            if name
                .trim_start()
                .get(..4)
                .is_some_and(|p| p.eq_ignore_ascii_case("the ")) =>
        {
            rest.to_string()
        }
        _ => key,
    };
    if key.is_empty() {
        return None;
    }
    INDEX.get(&key).copied()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn codes() {
        assert_eq!(to_iso("DE"), Some("DE"));
        assert_eq!(to_iso("de"), Some("DE"));
        assert_eq!(to_iso("DEU"), Some("DE"));
        assert_eq!(to_iso("usa"), Some("US"));
        assert_eq!(to_iso("UK"), Some("GB"));
        assert_eq!(to_iso("GBR"), Some("GB"));
        assert_eq!(to_iso("ZZ"), None);
        assert_eq!(to_iso(""), None);
        assert_eq!(to_iso(" - "), None);
    }

    #[test]
    fn english_names_and_variants() {
        let cases = [
            ("United States of America", "US"),
            ("United States", "US"),
            ("U.S.A.", "US"),
            ("Great Britain", "GB"),
            ("United Kingdom", "GB"),
            ("the Netherlands", "NL"),
            ("Holland", "NL"),
            ("Ivory Coast", "CI"),
            ("Côte d’Ivoire", "CI"),
            ("Turkey", "TR"),
            ("Türkiye", "TR"),
            ("Czech Republic", "CZ"),
            ("South Korea", "KR"),
            ("Niger", "NE"),
            ("Nigeria", "NG"),
        ];
        for (name, want) in cases {
            assert_eq!(to_iso(name), Some(want), "{name}");
        }
    }

    #[test]
    fn local_names() {
        let cases = [
            ("Deutschland", "DE"),
            ("DEUTSCHLAND", "DE"),
            ("Allemagne", "DE"),
            ("Alemania", "DE"),
            ("Österreich", "AT"),
            ("osterreich", "AT"),
            ("Autriche", "AT"),
            ("Schweiz", "CH"),
            ("Suisse", "CH"),
            ("Suiza", "CH"),
            ("España", "ES"),
            ("Espana", "ES"),
            ("Espagne", "ES"),
            ("Spanien", "ES"),
            ("Frankreich", "FR"),
            ("Italien", "IT"),
            ("Niederlande", "NL"),
            ("Pays-Bas", "NL"),
            ("Países Bajos", "NL"),
            ("Royaume-Uni", "GB"),
            ("Reino Unido", "GB"),
            ("Vereinigte Staaten", "US"),
            ("États-Unis", "US"),
            ("Estados Unidos", "US"),
            ("Kanada", "CA"),
            ("Mexiko", "MX"),
            ("México", "MX"),
            ("Brasilien", "BR"),
            ("Brésil", "BR"),
            ("Argentinien", "AR"),
            ("Australien", "AU"),
            ("日本", "JP"),
            ("Japon", "JP"),
            ("中国", "CN"),
            ("Chine", "CN"),
            ("Indien", "IN"),
            ("Inde", "IN"),
            ("Polska", "PL"),
            ("Česko", "CZ"),
            ("Magyarország", "HU"),
            ("Ελλάδα", "GR"),
            ("Sverige", "SE"),
            ("Suomi", "FI"),
            ("Danmark", "DK"),
            ("Éire", "IE"),
            ("Lëtzebuerg", "LU"),
            ("Türkei", "TR"),
        ];
        for (name, want) in cases {
            assert_eq!(to_iso(name), Some(want), "{name}");
        }
    }

    /// A name must never point at two countries; the first would silently win.
    #[test]
    fn no_name_maps_to_two_countries() {
        let mut seen: HashMap<String, &str> = HashMap::new();
        for &(alpha2, alpha3, names) in COUNTRIES {
            assert_eq!(alpha2.len(), 2);
            assert_eq!(alpha3.len(), 3);
            let keys = [alpha2, alpha3]
                .into_iter()
                .chain(names.split('|'))
                .map(fold_key);
            for key in keys {
                if let Some(prev) = seen.insert(key.clone(), alpha2) {
                    assert_eq!(prev, alpha2, "{key} is both {prev} and {alpha2}");
                }
            }
        }
        assert!(COUNTRIES.len() >= 249);
    }

    proptest! {
        #[test]
        fn never_panics(s in any::<String>()) {
            let _ = to_iso(&s);
        }
    }
}
