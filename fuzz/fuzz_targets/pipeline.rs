//! A two-file module (main.tf + variables.tf, split at a fuzzer-chosen byte) through the
//! whole engine — model, evaluation, every rule and every renderer — in memory.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::collections::BTreeMap;
use std::path::PathBuf;

fuzz_target!(|data: &[u8]| {
    let Some((&split, rest)) = data.split_first() else { return };
    let at = (split as usize * rest.len()) / 256;
    let text = String::from_utf8_lossy(rest);
    let at = (0..=at.min(text.len())).rev().find(|i| text.is_char_boundary(*i)).unwrap_or(0);
    let dir = std::env::temp_dir().join(format!("meshlint-fuzz-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let (main, variables) = (dir.join("main.tf"), dir.join("variables.tf"));
    // The files must exist for discovery; their contents come from the overlay.
    let _ = std::fs::write(&main, "");
    let _ = std::fs::write(&variables, "");
    let overlay: BTreeMap<PathBuf, String> =
        [(main, text[..at].to_string()), (variables, text[at..].to_string())].into_iter().collect();
    let options = meshlint::Options { paths: vec![dir.clone()], base: dir, overlay, ..Default::default() };
    if let Ok(report) = meshlint::check(&options) {
        let render = meshlint::output::RenderOptions { color: false, quiet: false };
        use meshlint::output::Format;
        for format in [Format::Human, Format::Json, Format::Github, Format::Sarif] {
            let _ = meshlint::output::render(&report, format, &render);
        }
    }
});
