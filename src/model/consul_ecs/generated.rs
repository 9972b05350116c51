//! What `build.rs` generates from `rules/modules/`: the `ModuleKind` enum (one variant per
//! module file) and the `Release` enum (one variant per release of `releases.toml`). Use them
//! through `source_address::ModuleKind` and `version::Release`.

include!(concat!(env!("OUT_DIR"), "/generated.rs"));
