//! What `build.rs` generates from `rules/modules/`: the `Release` enum (one variant per release
//! of `releases.toml`). Use it through `version::Release`.

include!(concat!(env!("OUT_DIR"), "/generated.rs"));
