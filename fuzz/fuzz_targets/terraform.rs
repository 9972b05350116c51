//! Any bytes through decoding, the HCL parser (with its error-tolerant fallback) and the
//! Terraform JSON parser: no panic, and every span inside the text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use meshlint::parse;
use meshlint::source::FileId;

fuzz_target!(|data: &[u8]| {
    let decoded = parse::decode(data.to_vec());
    let (_, error) = parse::terraform(FileId(0), &decoded.text);
    if let Some(error) = error {
        assert!(error.span.start <= error.span.end && error.span.end <= decoded.text.len());
    }
    let _ = parse::terraform_json(FileId(0), &decoded.text, false);
});
