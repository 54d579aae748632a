//! The error type of the election crate.

use psephos_ballot::BallotError;
use thiserror::Error;

/// Errors from the durable ballot log, the record files and the ballot box.
#[derive(Debug, Error)]
pub enum ElectionError {
    /// A file could not be read, written or synced.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// A complete line of the ballot log is not a valid entry, or the entries are
    /// inconsistent with the ballot-box rules: the log is corrupt and the box refuses
    /// to start (a torn *last* line is not corruption: it is truncated on open).
    #[error("ballots.jsonl line {line}: {reason}")]
    CorruptLog {
        /// 1-based line number.
        line: usize,
        /// What is wrong with it.
        reason: String,
    },
    /// A record file is malformed.
    #[error("{file}: {reason}")]
    Malformed {
        /// The file (and line, where it has lines).
        file: String,
        /// What is wrong with it.
        reason: String,
    },
    /// An earlier write failed, so the in-memory box may be ahead of the log; reopen it.
    #[error("the ballot box is poisoned by an earlier write failure; reopen it to recover from the log")]
    Poisoned,
    /// A ballot or manifest error.
    #[error(transparent)]
    Ballot(#[from] BallotError),
}

impl ElectionError {
    pub(crate) fn io(path: &std::path::Path, source: std::io::Error) -> Self {
        ElectionError::Io { path: path.display().to_string(), source }
    }
}
