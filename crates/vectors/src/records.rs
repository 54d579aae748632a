//! Election records: a complete record `psephos audit` must accept, and single-fault
//! corruptions of it that it must reject, naming the bad item.
//!
//! A valid case names a record directory (relative to the vector file) and the totals
//! and counts the audit must report. An invalid case names the record, one file in it
//! and one exact text edit (`find` must occur exactly once; it is replaced by
//! `replace`); the record is copied to a scratch directory, edited, and audited: the
//! audit must fail, and the failing item must start with `item`.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use psephos_election::{audit, AuditError, AuditOptions};
use rand_core::OsRng;
use serde_json::Value;

use crate::json::{array_of, ensure, expect_eq, fail, get, str_of, u64_of, CaseError};
use crate::Ctx;

fn options(group: &Value) -> Result<AuditOptions, CaseError> {
    let dev = get(group, "developmentKeys")?
        .as_bool()
        .ok_or_else(|| CaseError("developmentKeys: not a bool".into()))?;
    Ok(AuditOptions { allow_development_keys: dev })
}

/// The record directory a case names, which must lie inside the vector directory.
fn record_dir(cx: &Ctx<'_>, t: &Value) -> Result<PathBuf, CaseError> {
    let rel = str_of(t, "record")?;
    ensure(
        !rel.is_empty() && !rel.starts_with('/') && !rel.split('/').any(|c| c == ".." || c.is_empty()),
        "record: a relative path inside the vector directory",
    )?;
    let dir = cx.dir.join(rel);
    ensure(dir.join("manifest.json").is_file(), &format!("record {rel}: no manifest.json"))?;
    Ok(dir)
}

fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}

/// A scratch copy of a record, removed on drop.
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn scratch(from: &Path) -> Result<Scratch, CaseError> {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let dir = std::env::temp_dir().join(format!(
        "psephos-record-vector-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    copy_dir(from, &dir).map_err(|e| CaseError(format!("copying the record: {e}")))?;
    Ok(Scratch(dir))
}

pub(crate) fn record(cx: &Ctx<'_>, ty: &str, group: &Value, t: &Value) -> Result<(), CaseError> {
    let opts = options(group)?;
    let dir = record_dir(cx, t)?;
    match ty {
        "RecordAudit" => {
            let report =
                audit(&dir, &opts, &mut OsRng).map_err(|e| CaseError(format!("audit refused: {e}")))?;
            let totals: Vec<i64> = array_of(t, "totals")?
                .iter()
                .map(|v| v.as_i64().ok_or_else(|| CaseError("a total is not an integer".into())))
                .collect::<Result<_, _>>()?;
            expect_eq("totals", report.totals, totals)?;
            expect_eq("counted ballots", report.counted as u64, u64_of(t, "countedBallots")?)?;
            expect_eq("submissions", report.submissions as u64, u64_of(t, "submissions")?)?;
            expect_eq("voters on the roll", report.roll_size as u64, u64_of(t, "rollSize")?)
        }
        "RecordAuditInvalid" => {
            let file = str_of(t, "file")?;
            let (find, replace) = (str_of(t, "find")?, str_of(t, "replace")?);
            ensure(find != replace, "the edit changes nothing")?;
            let copy = scratch(&dir)?;
            let path = copy.0.join(file);
            let text = std::fs::read_to_string(&path).map_err(|e| CaseError(format!("{file}: {e}")))?;
            ensure(text.matches(find).count() == 1, &format!("{file}: `find` must occur exactly once"))?;
            std::fs::write(&path, text.replacen(find, replace, 1)).map_err(|e| CaseError(e.to_string()))?;
            let expected = str_of(t, "item")?;
            match audit(&copy.0, &opts, &mut OsRng) {
                Ok(_) => fail!("the corrupted record passes the audit"),
                Err(AuditError::Failed { item, reason }) => ensure(
                    item.starts_with(expected),
                    &format!("the audit names {item:?} ({reason}), the vector says {expected:?}"),
                ),
                Err(e) => fail!("the audit could not run: {e}"),
            }
        }
        other => fail!("unknown group type {other}"),
    }
}
