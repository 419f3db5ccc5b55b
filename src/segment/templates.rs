//! Starting points marketers reach for, as ready rules with the reason to use each.

/// A ready-made segment: its name, its rule and why a marketer would send to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Template {
    pub name: &'static str,
    pub rule: &'static str,
    pub why: &'static str,
}

const fn t(name: &'static str, rule: &'static str, why: &'static str) -> Template {
    Template { name, rule, why }
}

/// The templates, in the order the Segments pane offers them.
pub const TEMPLATES: [Template; 13] = [
    t(
        "Engaged",
        "status = subscribed and (opened in 30d or clicked in 30d)",
        "Opened or clicked in the last 30 days: your most responsive audience and the safest for deliverability.",
    ),
    t(
        "Cooling",
        "status = subscribed and opened in 90d and not opened in 30d",
        "Still opened within 90 days but not in the last 30: win them back before they go inactive.",
    ),
    t(
        "Inactive 180 days",
        "status = subscribed and not opened in 180d and not clicked in 180d",
        "No opens or clicks for six months: re-engage once, then suppress to protect sender reputation.",
    ),
    t(
        "Never engaged",
        "status = subscribed and not opened and not clicked and created_at before 30d",
        "Subscribed over a month ago and never opened or clicked: check the address or sunset it.",
    ),
    t(
        "New subscribers (30 days)",
        "status = subscribed and created_at within 30d",
        "Joined in the last 30 days: the welcome series audience, when interest is highest.",
    ),
    t(
        "One-time buyers",
        "purchased = 1",
        "Bought exactly once: a second purchase is the step that turns buyers into customers.",
    ),
    t(
        "Repeat buyers",
        "purchased >= 2",
        "Bought at least twice: loyalty offers, referrals and early access.",
    ),
    t(
        "VIP by spend",
        "spent >= 500 in 365d",
        "Spent 500 or more in the last year: treat them personally; adjust the threshold to your prices.",
    ),
    t(
        "Lapsed customers",
        "purchased and not purchased in 180d",
        "Bought before but not in six months: a win-back offer while they still remember you.",
    ),
    t(
        "Cart abandoners",
        "added_to_cart in 7d and not purchased in 7d",
        "Added to cart this week without buying: the reminder with the highest return.",
    ),
    t(
        "Pricing-page visitors",
        "visited \"/pricing\" in 30d",
        "Looked at pricing in the last 30 days: buying intent, worth a sales follow-up.",
    ),
    t(
        "Opens but never clicks",
        "opened >= 3 in 90d and not clicked",
        "Read your emails but never click: test other calls to action or content.",
    ),
    t(
        "Birthdays this week",
        "status = subscribed and birthday within 7d",
        "Birthday today or in the next six days: a greeting or a small gift gets opened.",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::segment::engine_tests::{fixture, NOW};
    use crate::segment::{compile, parse, Image, NoSegments};

    #[test]
    fn every_template_parses_compiles_and_is_canonical() {
        let (_dir, ws) = fixture();
        let image = Image::load(ws.conn()).unwrap();
        for t in TEMPLATES {
            let expr = parse(t.rule)
                .unwrap_or_else(|e| panic!("{}: {}", t.name, e.render("rule", t.rule)));
            assert_eq!(
                expr.to_string(),
                t.rule,
                "{} is not written canonically",
                t.name
            );
            compile(&expr, &image, &NoSegments, NOW).unwrap_or_else(|e| panic!("{}: {e}", t.name));
        }
    }
}
