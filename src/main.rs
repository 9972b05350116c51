//! The command line: parse arguments, call the library, map the result to an exit code.

use clap::builder::TypedValueParser;
use clap::{Parser, Subcommand, ValueEnum};
use meshlint::catalog::{Applicability, RuleId, RuleName};
use meshlint::config::{FailOn, Overrides};
use meshlint::output::{self, Format, RenderOptions};
use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// A run builds millions of small strings and nodes on every core at once. With glibc's
/// allocator a tenth of the CPU went to malloc/free; jemalloc's size classes also hold small
/// objects without a per-allocation header (on the 2,000-stack tree: 4.4 s -> 3.4 s of user
/// CPU, peak RSS 412 -> 385 MiB). mimalloc was as fast but kept more memory.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

#[derive(Parser)]
#[command(
    name = "meshlint",
    version,
    about = "Lint Terraform and app sources of ECS tasks in a Consul service mesh"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check files and directories (default: the current directory).
    Check(Box<CheckArgs>),
    /// List every rule: code, name, severity, fix, summary.
    Rules {
        #[arg(long, value_enum, default_value = "text")]
        format: RulesFormat,
    },
    /// Show a rule's documentation.
    Rule {
        /// Rule name or code, e.g. `port-not-string` or `MESH002`.
        name: String,
    },
    /// Print the evaluated project (what policies read) as one JSON document.
    Model(ModelArgs),
    /// Test and explore the teams' Rego policies.
    #[command(subcommand)]
    Policy(PolicyCommand),
    /// Write a commented .meshlint.toml for the project in DIR, with what meshlint finds there.
    Init {
        /// The project folder [default: .]
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Replace an existing .meshlint.toml.
        #[arg(long)]
        force: bool,
    },
    /// Serve editors: the Language Server Protocol over standard input and output.
    Server {
        /// Use this configuration file for every folder instead of the nearest `.meshlint.toml`.
        #[arg(long)]
        config: Option<PathBuf>,
        /// Accepted for editors that pass it; standard input and output are the only transport.
        #[arg(long, hide = true)]
        stdio: bool,
    },
}

#[derive(clap::Args)]
struct ModelArgs {
    /// Files and folders whose projects to model [default: .]
    paths: Vec<PathBuf>,
    /// The only format: the documented model (schema/model-v1.json).
    #[arg(long, value_enum, default_value = "json")]
    format: ModelFormat,
    /// Write the document to this file instead of standard output.
    #[arg(long)]
    output: Option<PathBuf>,
    /// Use this configuration file instead of the nearest `.meshlint.toml`.
    #[arg(long)]
    config: Option<PathBuf>,
    /// The project root (default: found as `check` finds it).
    #[arg(long)]
    project: Option<PathBuf>,
    /// Neither read nor write the cache of application-source facts.
    #[arg(long)]
    no_cache: bool,
}

#[derive(Subcommand)]
enum PolicyCommand {
    /// Run the `test_` rules of `*_test.rego` files, as `opa test` does; exit 1 when one fails.
    Test {
        /// Policy files and folders [default: the policies `check` would load here].
        paths: Vec<PathBuf>,
        /// The project whose model is `input` for test files without `# meshlint-input:`.
        #[arg(long, value_name = "DIR")]
        input: Option<PathBuf>,
        /// Use this configuration file instead of the nearest `.meshlint.toml`.
        #[arg(long)]
        config: Option<PathBuf>,
        /// Neither read nor write the cache of application-source facts.
        #[arg(long)]
        no_cache: bool,
    },
    /// Evaluate a Rego query with the model of PATHS as `input` and print the results as JSON.
    Eval {
        /// The query, e.g. `data.org.mesh_tls.deny` or `input.modules[_].mesh_tasks[_].name`.
        query: String,
        /// Files and folders whose projects are `input` [default: .]
        paths: Vec<PathBuf>,
        /// Use this configuration file instead of the nearest `.meshlint.toml`.
        #[arg(long)]
        config: Option<PathBuf>,
        /// The project root (default: found as `check` finds it).
        #[arg(long)]
        project: Option<PathBuf>,
        /// Neither read nor write the cache of application-source facts.
        #[arg(long)]
        no_cache: bool,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum ModelFormat {
    Json,
}

#[derive(clap::Args)]
struct CheckArgs {
    /// Files and folders to check [default: .]; `-` reads one file's text from standard
    /// input (with --stdin-filename).
    paths: Vec<PathBuf>,
    /// With `-` as the path: lint standard input as if it were this file (which need not
    /// exist yet); the rest of its project is read from disk.
    #[arg(long, value_name = "PATH")]
    stdin_filename: Option<PathBuf>,
    #[arg(long, value_enum, default_value = "human")]
    format: FormatArg,
    /// Write the report to this file instead of standard output.
    #[arg(long)]
    output: Option<PathBuf>,
    /// Exit with 1 when a finding is at or above this severity [default: warning, or `fail-on`
    /// in .meshlint.toml].
    #[arg(long, value_parser = fail_on_parser())]
    fail_on: Option<FailOn>,
    /// Only these rules (names or codes, comma-separated); replaces `select` of .meshlint.toml.
    #[arg(long, value_delimiter = ',')]
    select: Option<Vec<String>>,
    /// Skip these rules (names or codes, comma-separated); replaces `ignore` of .meshlint.toml.
    #[arg(long, value_delimiter = ',')]
    ignore: Option<Vec<String>>,
    /// Add these rules to `select` of .meshlint.toml (comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    extend_select: Option<Vec<String>>,
    /// Add these rules to `ignore` of .meshlint.toml (comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    extend_ignore: Option<Vec<String>>,
    /// Write `meshlint-ignore: <rule> -- REASON` above every current finding (in each file's
    /// comment syntax), then report what remains.
    #[arg(long, value_name = "REASON", conflicts_with_all = ["fix", "diff", "write_baseline"])]
    add_ignore: Option<String>,
    /// SARIF: `automationDetails.id`, to tell code scanning apart several meshlint runs over
    /// one commit (e.g. `meshlint/infra/`).
    #[arg(long, value_name = "ID")]
    sarif_automation_id: Option<String>,
    /// Print how many findings each rule has (and how many are fixable) instead of the
    /// findings; `--format json` prints it as JSON.
    #[arg(long)]
    statistics: bool,
    /// Use this configuration file for every path instead of the nearest .meshlint.toml.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Print the effective settings and where each came from, then exit.
    #[arg(long)]
    show_config: bool,
    /// Check the whole folder (Terraform module) of every file argument, not only the file.
    #[arg(long)]
    whole_modules: bool,
    /// The project root: its Terraform and sources are the context of every checked file
    /// [default: the nearest folder with .meshlint.toml, else the git work tree (file
    /// arguments), else the directory checked].
    #[arg(long, value_name = "DIR")]
    project: Option<PathBuf>,
    /// Colour the human output: `auto` (a terminal, unless NO_COLOR is set or TERM=dumb;
    /// FORCE_COLOR or CLICOLOR_FORCE force it), `always` or `never`.
    #[arg(long, value_enum, default_value = "auto")]
    color: ColorArg,
    /// The same as `--color never`.
    #[arg(long)]
    no_color: bool,
    /// Leave out the summary line.
    #[arg(long)]
    quiet: bool,
    /// Threads to use (default: one per core).
    #[arg(long)]
    jobs: Option<usize>,
    /// Apply safe fixes, then report what remains.
    #[arg(long)]
    fix: bool,
    /// With --fix or --diff, also apply fixes that may change behaviour.
    #[arg(long)]
    unsafe_fixes: bool,
    /// Print what --fix would change as a unified diff; write nothing.
    #[arg(long, conflicts_with = "fix")]
    diff: bool,
    /// Report only findings this baseline file does not list [default: `baseline` in
    /// .meshlint.toml].
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Record the fingerprints of every current finding in FILE, then exit with 0.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["baseline", "fix", "diff"])]
    write_baseline: Option<PathBuf>,
    /// List the baseline's entries about checked files that no finding matches any more.
    #[arg(long)]
    show_baseline_stale: bool,
    /// Neither read nor write the cache of application-source facts (.meshlint_cache/ in the
    /// project root, or `cache-dir` in .meshlint.toml).
    #[arg(long)]
    no_cache: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum RulesFormat {
    Text,
    /// code, name, severity, fix, summary and documentation URL of every rule.
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum ColorArg {
    Auto,
    Always,
    Never,
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    Human,
    /// `path:line:col: severity[CODE/name] message`, one line per finding.
    Concise,
    Json,
    Github,
    Sarif,
    /// JUnit XML (Jenkins, GitLab, CircleCI test reports).
    Junit,
    /// GitLab Code Quality report.
    Gitlab,
    /// Checkstyle XML (reviewdog, CI plugins).
    Checkstyle,
}

fn fail_on_parser() -> impl TypedValueParser<Value = FailOn> {
    clap::builder::PossibleValuesParser::new(FailOn::ALL.map(FailOn::as_str))
        .map(|text: String| FailOn::parse(&text).expect("one of the possible values"))
}

/// Exit status of a run that itself failed (bad flag, missing path, unwritable output).
const RUN_FAILED: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Check(args) => check(*args),
        Command::Rules { format } => {
            match format {
                RulesFormat::Text => print_rules(),
                RulesFormat::Json => print_rules_json(),
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Rule { name } => show_rule(&name),
        Command::Model(args) => model(args),
        Command::Policy(command) => policy(command),
        Command::Init { dir, force } => init(&dir, force),
        Command::Server { config, stdio: _ } => {
            meshlint::server::run(meshlint::server::ServerOptions { config }).map(|()| ExitCode::SUCCESS)
        }
    };
    result.unwrap_or_else(|message| {
        eprintln!("meshlint: error: {message}");
        ExitCode::from(RUN_FAILED)
    })
}

fn parse_rules(names: Option<&[String]>) -> Result<Option<Vec<RuleName>>, String> {
    names
        .map(|names| {
            names
                .iter()
                .filter(|n| !n.trim().is_empty())
                .map(|name| RuleName::lookup(name))
                .collect()
        })
        .transpose()
}

fn check(args: CheckArgs) -> Result<ExitCode, String> {
    let mut pool = rayon::ThreadPoolBuilder::new().stack_size(16 * 1024 * 1024);
    if let Some(jobs) = args.jobs {
        pool = pool.num_threads(jobs.max(1));
    }
    pool.build_global()
        .map_err(|e| format!("cannot start worker threads: {e}"))?;

    let (paths, overlay) = stdin_input(&args)?;
    let options = meshlint::Options {
        paths,
        overlay,
        base: std::env::current_dir().map_err(|e| format!("cannot read the working directory: {e}"))?,
        config: args.config,
        overrides: Overrides {
            select: parse_rules(args.select.as_deref())?,
            ignore: parse_rules(args.ignore.as_deref())?,
            extend_select: parse_rules(args.extend_select.as_deref())?.unwrap_or_default(),
            extend_ignore: parse_rules(args.extend_ignore.as_deref())?.unwrap_or_default(),
            fail_on: args.fail_on,
        },
        whole_modules: args.whole_modules,
        project: args.project,
        cache: None,
        skip_policies: false,
        baseline: args.baseline.clone(),
        no_baseline: args.write_baseline.is_some(),
        persistent_cache: !args.no_cache,
    };
    if args.show_config {
        let text = meshlint::show_config(&options).map_err(|e| e.to_string())?;
        write_report(args.output.as_deref(), &text)?;
        return Ok(ExitCode::SUCCESS);
    }
    if args.diff {
        return show_diff(&options, args.unsafe_fixes);
    }
    if let Some(reason) = &args.add_ignore {
        if reason.trim().is_empty() {
            return Err("--add-ignore needs a reason: why these findings are accepted for now".to_string());
        }
        let run = meshlint::add_ignore::add_ignores(&options, reason).map_err(|e| e.to_string())?;
        for skipped in &run.skipped {
            eprintln!("meshlint: warning: {skipped}");
        }
        let errors = meshlint::fix::write(&run.changes);
        if !errors.is_empty() {
            return Err(errors.join("\n"));
        }
        eprintln!(
            "meshlint: added {} meshlint-ignore comment{} in {} file{}",
            run.added,
            if run.added == 1 { "" } else { "s" },
            run.changes.len(),
            if run.changes.len() == 1 { "" } else { "s" }
        );
    }
    let report = if args.fix {
        let run = meshlint::fix::fix(&options, args.unsafe_fixes).map_err(|e| e.to_string())?;
        for refused in &run.refused {
            eprintln!("meshlint: warning: {refused}");
        }
        let errors = meshlint::fix::write(&run.changes);
        if !errors.is_empty() {
            return Err(errors.join("\n"));
        }
        meshlint::Report {
            fixed: run.fixed,
            ..run.report
        }
    } else {
        meshlint::check(&options).map_err(|e| e.to_string())?
    };
    for (file, reason) in &report.unreadable {
        eprintln!("meshlint: warning: cannot read {file}: {reason}");
    }
    if let Some(path) = &args.write_baseline {
        let baseline = report.to_baseline();
        baseline.write(path)?;
        let n = baseline.entries.len();
        eprintln!(
            "meshlint: wrote {n} finding{} to {}; later runs with --baseline {} report only new ones",
            if n == 1 { "" } else { "s" },
            path.display(),
            path.display()
        );
        return Ok(ExitCode::SUCCESS);
    }
    if !report.stale_baseline.is_empty() {
        let n = report.stale_baseline.len();
        if args.show_baseline_stale {
            for entry in &report.stale_baseline {
                eprintln!(
                    "meshlint: baseline entry {} ({} in {}: {}) matches no finding",
                    entry.fingerprint, entry.rule, entry.file, entry.message
                );
            }
        }
        eprintln!(
            "meshlint: {n} baseline entr{} about checked files match{} no finding any more{}; rewrite it with --write-baseline",
            if n == 1 { "y" } else { "ies" },
            if n == 1 { "es" } else { "" },
            if args.show_baseline_stale { "" } else { " (--show-baseline-stale lists them)" }
        );
    }
    if report.files == 0 && !report.unreadable.is_empty() {
        return Err("none of the files could be read".to_string());
    }
    // Said on stderr, so that a hook or script that reads the report still learns it.
    for (file, why) in &report.coverage.skipped {
        eprintln!("meshlint: warning: {file}: {why}; not checked");
    }
    for path in &report.coverage.empty {
        if !report.coverage.skipped.iter().any(|(file, _)| file == path) {
            eprintln!("meshlint: warning: {path}: nothing meshlint reads; checked 0 files");
        }
    }

    let format = match args.format {
        FormatArg::Human => Format::Human,
        FormatArg::Concise => Format::Concise,
        FormatArg::Json => Format::Json,
        FormatArg::Github => Format::Github,
        FormatArg::Sarif => Format::Sarif,
        FormatArg::Junit => Format::Junit,
        FormatArg::Gitlab => Format::Gitlab,
        FormatArg::Checkstyle => Format::Checkstyle,
    };
    let choice = match (args.no_color, args.color) {
        (true, _) | (false, ColorArg::Never) => output::ColorChoice::Never,
        (false, ColorArg::Always) => output::ColorChoice::Always,
        (false, ColorArg::Auto) => output::ColorChoice::Auto,
    };
    let env = |name: &str| std::env::var(name).ok();
    let color = output::use_color(
        choice,
        &env,
        args.output.is_none() && std::io::stdout().is_terminal(),
    );
    let text = match (args.statistics, format) {
        (true, Format::Json) => output::statistics::render_json(&report),
        (true, _) => output::statistics::render_text(&report),
        (false, _) => output::render(
            &report,
            format,
            &RenderOptions {
                color,
                quiet: args.quiet,
                automation_id: args.sarif_automation_id.clone(),
            },
        ),
    };
    write_report(args.output.as_deref(), &text)?;
    if format == Format::Github {
        append_step_summary(&report);
    }
    let code = if report.failed() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    };
    // The process ends here: freeing every syntax tree and model one allocation at a time
    // took a tenth of the run on large trees, for memory the exit returns anyway.
    std::mem::forget(report);
    Ok(code)
}

/// The paths to check, and the text of the one read from standard input (`check -
/// --stdin-filename PATH`), keyed as the engine knows files.
fn stdin_input(args: &CheckArgs) -> Result<(Vec<PathBuf>, BTreeMap<PathBuf, String>), String> {
    let dash = args.paths.iter().any(|p| p.as_os_str() == "-");
    match (&args.stdin_filename, dash) {
        (None, false) => return Ok((args.paths.clone(), BTreeMap::new())),
        (None, true) => {
            return Err("`-` reads standard input: say which file it is with --stdin-filename PATH".into())
        }
        (Some(_), false) => {
            return Err("--stdin-filename names what standard input is: give `-` as the path".into())
        }
        (Some(_), true) if args.paths.len() > 1 => {
            return Err("`-` checks standard input alone: give no other path".into());
        }
        (Some(_), true) if args.fix || args.diff => {
            return Err("--fix and --diff change files on disk, not standard input".into());
        }
        (Some(_), true) => {}
    }
    let name = args.stdin_filename.clone().unwrap_or_default();
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut std::io::stdin(), &mut bytes)
        .map_err(|e| format!("cannot read standard input: {e}"))?;
    // Editors send UTF-8; anything else is read the way a file on disk with bad bytes is.
    let text =
        String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    // Keyed by the absolute path: the walk of its project may know the file by another form.
    let cwd = std::env::current_dir().map_err(|e| format!("cannot read the working directory: {e}"))?;
    let key = meshlint::source::absolute(&cwd, &meshlint::discover::normalize(&name));
    let overlay = BTreeMap::from([(key, text)]);
    Ok((vec![name], overlay))
}

/// `--diff`: exit 1 when `--fix` would change anything.
fn show_diff(options: &meshlint::Options, unsafe_fixes: bool) -> Result<ExitCode, String> {
    let run = meshlint::fix::fix(options, unsafe_fixes).map_err(|e| e.to_string())?;
    for refused in &run.refused {
        eprintln!("meshlint: warning: {refused}");
    }
    let mut stdout = std::io::stdout().lock();
    let _ = stdout
        .write_all(meshlint::fix::unified_diff(&run.changes).as_bytes())
        .and_then(|_| stdout.flush());
    if let Some(note) = unfixed_note(&run.report, unsafe_fixes) {
        eprintln!("meshlint: {note}");
    }
    Ok(if run.changes.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// What `--diff` leaves undone: the findings that remain after the fixes it shows, and how
/// many of them `--unsafe-fixes` would fix too.
fn unfixed_note(after: &meshlint::Report, unsafe_fixes: bool) -> Option<String> {
    let left = after.diagnostics.len();
    if left == 0 {
        return None;
    }
    let findings = if left == 1 { "finding" } else { "findings" };
    let unsafe_fixable = after
        .diagnostics
        .iter()
        .filter(|d| {
            d.fix
                .as_ref()
                .is_some_and(|f| f.applicability == Applicability::Unsafe)
        })
        .count();
    let more = if unsafe_fixes || unsafe_fixable == 0 {
        String::new()
    } else {
        format!("; --unsafe-fixes would fix {unsafe_fixable} of them")
    };
    Some(format!("note: {left} {findings} would remain unfixed{more}"))
}

/// In a GitHub Actions step, every finding goes to the job summary as well: annotations are
/// capped, the summary is not. A summary that cannot be written is a warning, not a failure.
fn append_step_summary(report: &meshlint::Report) {
    let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) else {
        return;
    };
    let text = output::github_step_summary(report);
    let written = std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(&path)
        .and_then(|mut file| file.write_all(text.as_bytes()));
    if let Err(e) = written {
        eprintln!(
            "meshlint: warning: cannot append to GITHUB_STEP_SUMMARY ({}): {e}",
            Path::new(&path).display()
        );
    }
}

/// `meshlint model`: the model of every project the paths belong to. Findings do not matter
/// here: the exit status is 0 unless the run itself fails.
fn model(args: ModelArgs) -> Result<ExitCode, String> {
    let ModelFormat::Json = args.format;
    let options = meshlint::Options {
        paths: args.paths,
        base: std::env::current_dir().map_err(|e| format!("cannot read the working directory: {e}"))?,
        config: args.config,
        project: args.project,
        skip_policies: true,
        persistent_cache: !args.no_cache,
        ..Default::default()
    };
    let report = meshlint::check(&options).map_err(|e| e.to_string())?;
    write_report(args.output.as_deref(), &meshlint::export::render(&report))?;
    Ok(ExitCode::SUCCESS)
}

fn policy(command: PolicyCommand) -> Result<ExitCode, String> {
    let base = std::env::current_dir().map_err(|e| format!("cannot read the working directory: {e}"))?;
    let persistent_cache = match &command {
        PolicyCommand::Test { no_cache, .. } | PolicyCommand::Eval { no_cache, .. } => !no_cache,
    };
    // The model of a folder's project, as `meshlint model` prints it, for regorus.
    let model_of = |paths: Vec<PathBuf>, config: Option<PathBuf>, project: Option<PathBuf>| {
        let options = meshlint::Options {
            paths,
            base: base.clone(),
            config,
            project,
            skip_policies: true,
            persistent_cache,
            ..Default::default()
        };
        let report = meshlint::check(&options).map_err(|e| e.to_string())?;
        Ok::<_, String>(meshlint::policy::input::document(&report.project))
    };
    // The policies named, or those `check` would load for `projects`.
    let load = |policies: Vec<PathBuf>, projects: Vec<PathBuf>, config: Option<PathBuf>, with_tests: bool| {
        let paths = match policies.is_empty() {
            false => policies.iter().map(|p| base.join(p)).collect(),
            true => meshlint::policy_paths(&meshlint::Options {
                paths: projects,
                base: base.clone(),
                config,
                ..Default::default()
            })
            .map_err(|e| e.to_string())?,
        };
        if paths.is_empty() {
            return Err("no policies: give policy files or folders, or add `.meshlint/policies/` or `policies = [...]` to .meshlint.toml".to_string());
        }
        meshlint::policy::Policies::load(&paths, &base, with_tests).map_err(|errors| {
            errors
                .iter()
                .map(|e| e.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        })
    };
    match command {
        PolicyCommand::Test {
            paths, input, config, ..
        } => {
            let policies = load(paths, vec![PathBuf::from(".")], config.clone(), true)?;
            let default_input = match input {
                Some(dir) => model_of(vec![dir], config.clone(), None)?,
                None => regorus::Value::Undefined,
            };
            let mut models = |dir: &Path| model_of(vec![dir.to_path_buf()], None, None);
            let outcomes = meshlint::policy::testing::run(&policies, &mut models, &default_input);
            if outcomes.is_empty() {
                return Err("no tests: `test_` rules in `*_test.rego` files".to_string());
            }
            write_report(None, &meshlint::policy::testing::render(&outcomes))?;
            let failed = outcomes
                .iter()
                .any(|o| o.verdict != meshlint::policy::testing::Verdict::Pass);
            Ok(if failed {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        PolicyCommand::Eval {
            query,
            paths,
            config,
            project,
            ..
        } => {
            // A query over the model alone needs no policies.
            let projects = if paths.is_empty() {
                vec![PathBuf::from(".")]
            } else {
                paths.clone()
            };
            let policies = load(Vec::new(), projects, config.clone(), false).or_else(|e| {
                match e.starts_with("no policies") {
                    true => meshlint::policy::Policies::load(&[], &base, false).map_err(|_| e.clone()),
                    false => Err(e),
                }
            })?;
            let input = model_of(paths, config, project)?;
            let mut engine = policies.engine_with_input(input);
            let results = engine
                .eval_query(query, false)
                .map_err(|e| format!("the query failed: {e}"))?;
            let json = serde_json::to_string_pretty(&results).map_err(|e| e.to_string())?;
            write_report(None, &format!("{json}\n"))?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn init(dir: &Path, force: bool) -> Result<ExitCode, String> {
    let path = dir.join(meshlint::config::CONFIG_FILE_NAME);
    if path.exists() && !force {
        return Err(format!("{} exists; --force replaces it", path.display()));
    }
    let text = meshlint::init::configuration(&meshlint::Options {
        paths: vec![dir.to_path_buf()],
        base: std::env::current_dir().map_err(|e| format!("cannot read the working directory: {e}"))?,
        project: Some(dir.to_path_buf()),
        ..Default::default()
    })
    .map_err(|e| e.to_string())?;
    let temporary = dir.join(".meshlint.toml.meshlint-tmp");
    std::fs::write(&temporary, &text)
        .and_then(|()| std::fs::rename(&temporary, &path))
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    eprintln!(
        "meshlint: wrote {}; `meshlint check --show-config` shows the settings",
        path.display()
    );
    Ok(ExitCode::SUCCESS)
}

fn write_report(output: Option<&Path>, text: &str) -> Result<(), String> {
    match output {
        Some(path) => std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display())),
        None => {
            let mut stdout = std::io::stdout().lock();
            // A closed pipe (`meshlint check | head`) is not a failure of the check.
            let _ = stdout.write_all(text.as_bytes()).and_then(|_| stdout.flush());
            Ok(())
        }
    }
}

fn print_rules() {
    let rows: Vec<[String; 5]> = RuleId::all()
        .map(|id| {
            let meta = id.meta();
            [
                meta.code.to_string(),
                meta.name.to_string(),
                meta.severity.as_str().to_string(),
                meta.fix.describe(),
                meta.summary.to_string(),
            ]
        })
        .collect();
    let header = ["CODE", "NAME", "SEVERITY", "FIX", "SUMMARY"].map(String::from);
    let widths: Vec<usize> = (0..4)
        .map(|c| {
            rows.iter()
                .chain([&header])
                .map(|r| r[c].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    for row in std::iter::once(&header).chain(&rows) {
        let mut line = String::new();
        for (c, width) in widths.iter().enumerate() {
            line.push_str(&format!("{:<width$}  ", row[c], width = *width));
        }
        line.push_str(&row[4]);
        println!("{line}");
    }
}

fn print_rules_json() {
    let rules: Vec<serde_json::Value> = RuleId::all()
        .map(|id| {
            let meta = id.meta();
            serde_json::json!({
                "code": meta.code,
                "name": meta.name,
                "severity": meta.severity.as_str(),
                "fix": match meta.fix {
                    meshlint::catalog::FixAvailability::None => None,
                    meshlint::catalog::FixAvailability::Always(a) => Some(serde_json::json!({"applicability": a.as_str(), "always": true})),
                    meshlint::catalog::FixAvailability::Sometimes(a) => Some(serde_json::json!({"applicability": a.as_str(), "always": false})),
                },
                "summary": meta.summary,
                "url": output::rule_url(id),
            })
        })
        .collect();
    let text = serde_json::to_string_pretty(&rules).unwrap_or_default();
    let _ = write_report(None, &format!("{text}\n"));
}

fn show_rule(name: &str) -> Result<ExitCode, String> {
    let id = RuleId::lookup(name)?;
    print!("{}", id.meta().doc);
    Ok(ExitCode::SUCCESS)
}
