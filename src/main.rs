//! The command line: parse arguments, call the library, map the result to an exit code.

use clap::{Parser, Subcommand, ValueEnum};
use meshlint::output::{self, Format, RenderOptions};
use meshlint::rule::{Applicability, FixAvailability, Severity};
use meshlint::rules::RuleId;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

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
    Check(CheckArgs),
    /// List every rule: code, name, severity, fix, summary.
    Rules,
    /// Show a rule's documentation.
    Rule {
        /// Rule name or code, e.g. `port-not-string` or `MESH002`.
        name: String,
    },
}

#[derive(clap::Args)]
struct CheckArgs {
    paths: Vec<PathBuf>,
    #[arg(long, value_enum, default_value = "human")]
    format: FormatArg,
    /// Write the report to this file instead of standard output.
    #[arg(long)]
    output: Option<PathBuf>,
    /// Exit with 1 when a finding is at or above this severity.
    #[arg(long, value_enum, default_value = "warning")]
    fail_on: FailOn,
    /// Only these rules (names or codes, comma-separated).
    #[arg(long, value_delimiter = ',')]
    select: Vec<String>,
    /// Skip these rules (names or codes, comma-separated).
    #[arg(long, value_delimiter = ',')]
    ignore: Vec<String>,
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
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    Human,
    Json,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FailOn {
    Error,
    Warning,
    Info,
    Never,
}

impl FailOn {
    fn threshold(self) -> Option<Severity> {
        match self {
            FailOn::Error => Some(Severity::Error),
            FailOn::Warning => Some(Severity::Warning),
            FailOn::Info => Some(Severity::Info),
            FailOn::Never => None,
        }
    }
}

/// Exit status of a run that itself failed (bad flag, missing path, unwritable output).
const RUN_FAILED: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Check(args) => check(args),
        Command::Rules => {
            print_rules();
            Ok(ExitCode::SUCCESS)
        }
        Command::Rule { name } => show_rule(&name),
    };
    result.unwrap_or_else(|message| {
        eprintln!("meshlint: error: {message}");
        ExitCode::from(RUN_FAILED)
    })
}

fn parse_rules(names: &[String]) -> Result<Vec<RuleId>, String> {
    names
        .iter()
        .filter(|n| !n.trim().is_empty())
        .map(|name| RuleId::find(name).ok_or_else(|| unknown_rule(name)))
        .collect()
}

fn unknown_rule(name: &str) -> String {
    let names: Vec<&str> = RuleId::all().map(RuleId::name).collect();
    match meshlint::suggest::closest(name, names) {
        Some(near) => format!("unknown rule `{name}`; did you mean `{near}`?"),
        None => format!("unknown rule `{name}`; `meshlint rules` lists them"),
    }
}

fn check(args: CheckArgs) -> Result<ExitCode, String> {
    let mut pool = rayon::ThreadPoolBuilder::new().stack_size(16 * 1024 * 1024);
    if let Some(jobs) = args.jobs {
        pool = pool.num_threads(jobs.max(1));
    }
    pool.build_global()
        .map_err(|e| format!("cannot start worker threads: {e}"))?;

    let select = parse_rules(&args.select)?;
    let options = meshlint::Options {
        paths: args.paths,
        select: (!select.is_empty()).then_some(select),
        ignore: parse_rules(&args.ignore)?,
        base: std::env::current_dir().map_err(|e| format!("cannot read the working directory: {e}"))?,
        ..Default::default()
    };
    if args.diff {
        return show_diff(&options, args.unsafe_fixes);
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
    if report.files == 0 && !report.unreadable.is_empty() {
        return Err("none of the files could be read".to_string());
    }

    let format = match args.format {
        FormatArg::Human => Format::Human,
        FormatArg::Json => Format::Json,
    };
    let color = args.output.is_none()
        && !args.no_color
        && std::env::var_os("NO_COLOR").is_none()
        && std::io::stdout().is_terminal();
    let text = output::render(
        &report,
        format,
        &RenderOptions {
            color,
            quiet: args.quiet,
        },
    );
    match &args.output {
        Some(path) => {
            std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?
        }
        None => {
            let mut stdout = std::io::stdout().lock();
            // A closed pipe (`meshlint check | head`) is not a failure of the check.
            let _ = stdout.write_all(text.as_bytes()).and_then(|_| stdout.flush());
        }
    }

    let failed = args
        .fail_on
        .threshold()
        .is_some_and(|threshold| report.diagnostics.iter().any(|d| d.severity >= threshold));
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
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
    Ok(if run.changes.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn fix_column(fix: FixAvailability) -> String {
    let kind = |a: Applicability| a.as_str();
    match fix {
        FixAvailability::None => "-".to_string(),
        FixAvailability::Always(a) => kind(a).to_string(),
        FixAvailability::Sometimes(a) => format!("{} (sometimes)", kind(a)),
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
                fix_column(meta.fix),
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

fn show_rule(name: &str) -> Result<ExitCode, String> {
    let id = RuleId::find(name).ok_or_else(|| unknown_rule(name))?;
    print!("{}", id.meta().doc);
    Ok(ExitCode::SUCCESS)
}
