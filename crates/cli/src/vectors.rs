//! `psephos vectors check DIR`: runs every published vector file of a directory.

use std::{io::Write, path::PathBuf};

use clap::{Args, Subcommand};
use psephos_vectors::{check_file, vector_files, VectorError};

use crate::Failure;

/// `psephos vectors …`.
#[derive(Subcommand)]
pub(crate) enum VectorsCommand {
    /// Runs every vector file in DIR (its `*.json` files with `testGroups`) and reports per file.
    Check(CheckArgs),
}

/// `psephos vectors check`.
#[derive(Args)]
pub(crate) struct CheckArgs {
    /// The directory of vector files, e.g. `test-vectors`.
    dir: PathBuf,
}

fn input(e: VectorError) -> Failure {
    Failure::Input(e.to_string())
}

/// Checks every file; prints one line per file (and one per failing case) as it goes.
pub(crate) fn run(cmd: VectorsCommand) -> Result<String, Failure> {
    let VectorsCommand::Check(args) = cmd;
    let files = vector_files(&args.dir).map_err(input)?;
    if files.is_empty() {
        return Err(Failure::Input(format!(
            "{}: no vector files (*.json with testGroups)",
            args.dir.display()
        )));
    }
    let mut out = std::io::stdout().lock();
    let (mut failed_files, mut cases, mut failed_cases) = (Vec::new(), 0usize, 0usize);
    for path in &files {
        let name =
            path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into());
        let report = check_file(path).map_err(input)?;
        cases += report.cases;
        let status = if report.passed() { "ok  " } else { "FAIL" };
        // A closed stdout must not turn a verdict into a panic: ignore write errors here.
        let _ = writeln!(out, "{status} {name:<36} {:<48} {:>4} cases", report.algorithm, report.cases);
        for (id, reason) in &report.failures {
            let _ = writeln!(out, "     tcId {id}: {reason}");
        }
        if !report.passed() {
            failed_cases += report.failures.len();
            failed_files.push(name);
        }
    }
    if failed_files.is_empty() {
        Ok(format!("{} files, {cases} cases: all passed\n", files.len()))
    } else {
        Err(Failure::Check(format!("{failed_cases} of {cases} cases failed, in {}", failed_files.join(", "))))
    }
}
