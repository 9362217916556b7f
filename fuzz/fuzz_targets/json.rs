//! The JSON string escaping written by hand for speed (`mdbook_compare::json`), which carries
//! every chapter back to mdBook, against serde_json's own: the same bytes for any text.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let mut ours = b"\"".to_vec();
    ours.extend_from_slice(&mdbook_compare::json::escaped(text));
    ours.push(b'"');
    let serde = serde_json::to_vec(text).expect("a string always serializes");
    assert_eq!(ours, serde, "{text:?}");
});
