//! Fuzzes the rule lexer and parser: any input either fails with an error whose position
//! lies inside the text, or parses to a rule whose canonical print parses back to itself.
#![no_main]

use libfuzzer_sys::fuzz_target;
use listwarden::segment::parse;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match parse(text) {
        Ok(expr) => {
            let printed = expr.to_string();
            let again = parse(&printed).expect("a printed rule parses");
            assert_eq!(again, expr, "{text:?} printed as {printed:?}");
        }
        Err(e) => {
            assert!(e.offset <= text.len(), "error offset past the end");
            let _ = e.render("rule", text);
        }
    }
});
