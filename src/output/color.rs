//! Whether human output is coloured: `--color`, then the conventions of no-color.org,
//! force-color.org and `CLICOLOR_FORCE`, then whether the output is a terminal that shows
//! colour.

/// `--color`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// `env` reads an environment variable; `to_terminal` says whether the report goes to a
/// terminal (not a pipe, not `--output`).
pub fn use_color(choice: ColorChoice, env: &dyn Fn(&str) -> Option<String>, to_terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => return true,
        ColorChoice::Never => return false,
        ColorChoice::Auto => {}
    }
    let set = |name: &str| env(name).is_some_and(|v| !v.is_empty());
    // force-color.org: any non-empty value; CLICOLOR_FORCE: anything but `0`. A CI log that
    // shows colour asks for it this way, and it wins over NO_COLOR as in the `colored` crate.
    if set("FORCE_COLOR") || env("CLICOLOR_FORCE").is_some_and(|v| !v.is_empty() && v != "0") {
        return true;
    }
    // no-color.org: only a non-empty NO_COLOR turns colour off.
    if set("NO_COLOR") {
        return false;
    }
    to_terminal && env("TERM").as_deref() != Some("dumb")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(vars: &[(&str, &str)], choice: ColorChoice, terminal: bool) -> bool {
        let vars: Vec<(String, String)> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        let env = move |name: &str| vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
        use_color(choice, &env, terminal)
    }

    #[test]
    fn the_conventions_decide_in_order() {
        use ColorChoice::*;
        assert!(with(&[], Auto, true));
        assert!(!with(&[], Auto, false), "a pipe gets no colour");
        assert!(
            with(&[("NO_COLOR", "")], Auto, true),
            "an empty NO_COLOR is not set"
        );
        assert!(!with(&[("NO_COLOR", "1")], Auto, true));
        assert!(!with(&[("TERM", "dumb")], Auto, true));
        assert!(with(&[("FORCE_COLOR", "1")], Auto, false));
        assert!(
            with(&[("FORCE_COLOR", "0")], Auto, false),
            "force-color.org: any non-empty value"
        );
        assert!(!with(&[("FORCE_COLOR", "")], Auto, false));
        assert!(with(&[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")], Auto, false));
        assert!(!with(&[("CLICOLOR_FORCE", "0")], Auto, false));
        assert!(with(&[("NO_COLOR", "1")], Always, false), "the flag wins");
        assert!(!with(&[("FORCE_COLOR", "1")], Never, true), "the flag wins");
    }
}
