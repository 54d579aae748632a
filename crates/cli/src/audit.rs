//! `psephos audit DIR`: re-verifies a whole election record offline and prints a
//! report (docs/cli.md §Audit, docs/spec/tally.md §5). Exit 0: every item checks;
//! 1: the first bad item is named; 2: the directory cannot be read.

use std::path::PathBuf;

use clap::Args;
use psephos_election::{audit, AuditError, AuditOptions};

use crate::Failure;

/// Arguments of `audit`.
#[derive(Args)]
pub struct AuditArgs {
    /// The record directory.
    dir: PathBuf,
    /// Accept a development (INSECURE) ballot verifying key.
    #[arg(long = "insecure-dev-setup", alias = "dev")]
    insecure_dev_setup: bool,
}

/// `audit DIR`.
pub fn run(args: AuditArgs) -> Result<String, Failure> {
    let options = AuditOptions { allow_development_keys: args.insecure_dev_setup };
    match audit(&args.dir, &options, &mut rand_core::OsRng) {
        Ok(report) => Ok(report.to_string()),
        Err(AuditError::Unreadable(why)) => Err(Failure::Input(why)),
        Err(e @ AuditError::Failed { .. }) => {
            let hint = match &e {
                AuditError::Failed { reason, .. }
                    if !args.insecure_dev_setup && reason.starts_with("insecure verifying key") =>
                {
                    format!(" (pass {} to accept development keys)", crate::keys::DEV_FLAG)
                }
                _ => String::new(),
            };
            Err(Failure::Check(format!("audit failed at {e}{hint}")))
        }
    }
}
