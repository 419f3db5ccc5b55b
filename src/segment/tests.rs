//! Parser tests: every form of DESIGN.md, precedence, errors, and printed round trips.

use super::*;
use proptest::prelude::*;

fn roundtrip(text: &str) -> String {
    let expr = parse(text).unwrap_or_else(|e| panic!("{text}: {}", e.render("rule", text)));
    let printed = expr.to_string();
    let again =
        parse(&printed).unwrap_or_else(|e| panic!("{printed}: {}", e.render("rule", &printed)));
    assert_eq!(again, expr, "{text} -> {printed}");
    printed
}

#[test]
fn every_documented_form_parses_and_prints_canonically() {
    let cases = [
        (
            "status = subscribed and country in (\"DE\", \"AT\", \"CH\")",
            "status = subscribed and country in (DE, AT, CH)",
        ),
        (
            "lifecycle_stage = customer or lifecycle_stage = evangelist",
            "lifecycle_stage = customer or lifecycle_stage = evangelist",
        ),
        (
            "job_title contains \"market\"",
            "job_title contains \"market\"",
        ),
        (
            "email ends_with \"@gmail.com\"",
            "email ends_with \"@gmail.com\"",
        ),
        ("company is empty", "company is empty"),
        ("company IS NOT empty", "company is not empty"),
        (
            "created_at before 2025-01-01",
            "created_at before 2025-01-01",
        ),
        ("created_at within 30d", "created_at within 30d"),
        ("tag \"vip\"", "tag \"vip\""),
        ("not tag \"test\"", "not tag \"test\""),
        ("opened >= 3 in 90d", "opened >= 3 in 90d"),
        ("clicked in 30d", "clicked in 30d"),
        ("not opened in 180d", "not opened in 180d"),
        ("purchased >= 2 in 180d", "purchased >= 2 in 180d"),
        ("spent >= 100 in 365d", "spent >= 100 in 365d"),
        (
            "visited \"/pricing\" >= 2 in 14d",
            "visited \"/pricing\" >= 2 in 14d",
        ),
        (
            "added_to_cart in 2d and not purchased in 2d",
            "added_to_cart in 2d and not purchased in 2d",
        ),
        ("in segment \"Engaged\"", "in segment \"Engaged\""),
        (
            "(tag a or tag b) and not tag c",
            "(tag \"a\" or tag \"b\") and not tag \"c\"",
        ),
        ("\"Industry\" = \"Retail\"", "\"Industry\" = Retail"),
        ("open_count <= 2.5", "open_count <= 2.5"),
        ("status = unsubscribed", "status = unsubscribed"),
        ("country not in (DE)", "not country in (DE)"),
        ("last_open_at before 6m", "last_open_at before 6m"),
        ("clicked", "clicked"),
    ];
    for (input, canonical) in cases {
        assert_eq!(roundtrip(input), canonical, "{input}");
    }
}

#[test]
fn and_binds_tighter_than_or() {
    let e = parse("tag a or tag b and tag c").unwrap();
    match e {
        Expr::Or(items) => assert!(matches!(items[1], Expr::And(_))),
        other => panic!("{other:?}"),
    }
}

#[test]
fn errors_say_where_and_what_was_expected() {
    let text = "status = subscribed and country =";
    let e = parse(text).unwrap_err();
    assert_eq!(
        e.render("rule", text),
        "rule:1:34: expected a value after \"=\""
    );

    let text = "country equals \"DE\"";
    let e = parse(text).unwrap_err();
    assert!(
        e.render("rule", text)
            .starts_with("rule:1:9: expected an operator"),
        "{}",
        e.render("rule", text)
    );

    let text = "country = DE and not purch";
    let e = parse(text).unwrap_err();
    assert_eq!(
        e.render("rule", text),
        "rule:1:22: \"purch\" is not a behaviour and no operator follows it — did you mean \"purchased\"?"
    );

    let text = "job_title contain \"x\"";
    assert_eq!(
        parse(text).unwrap_err().suggestion.as_deref(),
        Some("contains")
    );

    let text = "tag a adn tag b";
    let e = parse(text).unwrap_err();
    assert_eq!(e.suggestion.as_deref(), Some("and"));
    assert_eq!(e.line_col(text), (1, 7));

    for bad in [
        "(tag a",
        "opened >= x",
        "opened in",
        "in segmnt \"x\"",
        "",
        "and",
        "spent in 30d",
        "created_at within 2025-01-01",
    ] {
        assert!(parse(bad).is_err(), "{bad}");
    }
}

fn field() -> impl Strategy<Value = Field> {
    prop_oneof![
        prop::sample::select(vec![
            "country",
            "status",
            "email",
            "open_count",
            "created_at"
        ])
        .prop_map(|n| Field {
            name: n.to_string(),
            quoted: false,
            span: Span::default()
        }),
        "[ -~]{0,8}".prop_map(|n| Field {
            name: n,
            quoted: true,
            span: Span::default()
        }),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    prop_oneof![
        "\\PC{0,8}".prop_map(ValueKind::Text),
        (-1.0e9f64..1.0e9).prop_map(ValueKind::Number),
        (1900i32..2100, 1u32..13, 1u32..29).prop_map(|(y, m, d)| ValueKind::Date(
            chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
        )),
    ]
    .prop_map(|kind| Value {
        kind,
        span: Span::default(),
    })
}

fn duration() -> impl Strategy<Value = Duration> {
    (
        0..=Duration::MAX_COUNT,
        prop::sample::select(vec![Unit::Days, Unit::Weeks, Unit::Months, Unit::Years]),
    )
        .prop_map(|(count, unit)| Duration { count, unit })
}

fn op() -> impl Strategy<Value = CmpOp> {
    prop::sample::select(CmpOp::ALL.to_vec())
}

fn cond() -> impl Strategy<Value = Cond> {
    let action = prop_oneof![
        Just(Action::Opened),
        Just(Action::Clicked),
        Just(Action::Purchased),
        Just(Action::AddedToCart),
        Just(Action::Bounced),
        Just(Action::Unsubscribed),
        Just(Action::Complained),
        "\\PC{0,8}".prop_map(Action::Visited),
    ];
    prop_oneof![
        (field(), op(), value()).prop_map(|(field, op, value)| Cond::Compare { field, op, value }),
        (field(), prop::collection::vec(value(), 1..4))
            .prop_map(|(field, values)| Cond::In { field, values }),
        (
            field(),
            prop::sample::select(vec![TextOp::Contains, TextOp::StartsWith, TextOp::EndsWith]),
            "\\PC{0,8}"
        )
            .prop_map(|(field, op, text)| Cond::Text { field, op, text }),
        (field(), any::<bool>()).prop_map(|(field, negated)| Cond::Empty { field, negated }),
        (field(), any::<bool>(), duration(), any::<bool>()).prop_map(|(field, before, d, ago)| {
            Cond::When {
                field,
                op: if before {
                    WhenOp::Before
                } else {
                    WhenOp::After
                },
                at: if ago {
                    When::Ago(d)
                } else {
                    When::Date(chrono::NaiveDate::from_ymd_opt(2024, 2, 29).unwrap_or_default())
                },
            }
        }),
        (field(), duration()).prop_map(|(field, window)| Cond::Within { field, window }),
        "\\PC{0,8}".prop_map(Cond::Tag),
        "\\PC{0,8}".prop_map(Cond::InSegment),
        (
            action,
            prop::option::of((op(), any::<u32>())),
            prop::option::of(duration())
        )
            .prop_map(|(action, count, window)| Cond::Did {
                action,
                count,
                window
            }),
        (op(), -1.0e9f64..1.0e9, prop::option::of(duration()))
            .prop_map(|(op, amount, window)| Cond::Spent { op, amount, window }),
    ]
}

fn expr() -> impl Strategy<Value = Expr> {
    let leaf = cond().prop_map(|c| Expr::Cond(c, Span::default()));
    leaf.prop_recursive(4, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 2..4).prop_map(Expr::And),
            prop::collection::vec(inner.clone(), 2..4).prop_map(Expr::Or),
            inner.prop_map(|e| Expr::Not(Box::new(e))),
        ]
    })
}

proptest! {
    #[test]
    fn printing_then_parsing_gives_the_same_rule(e in expr()) {
        let printed = e.to_string();
        let parsed = parse(&printed).map_err(|err| TestCaseError::fail(err.render("rule", &printed)))?;
        prop_assert_eq!(parsed, e);
    }

    #[test]
    fn the_parser_never_panics(text in "\\PC{0,40}") {
        let _ = parse(&text);
    }
}
