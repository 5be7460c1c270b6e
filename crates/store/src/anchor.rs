//! The access log's anchor outside the database. The signed checkpoint lives in the database, so whoever can
//! rewrite the database can delete the log and its checkpoint together; the anchor is a copy of the latest
//! signed checkpoint in a file beside the audit key (or wherever `--audit-anchor` puts it, such as a
//! write-once mount), which the database alone cannot rewrite. After every audited write commits, the anchor
//! moves forward to the new checkpoint, but only when the log still holds the event the anchor records
//! (never backwards, never onto another chain). Verification then needs the log to reach the anchored event
//! with the anchored hash: a log that was cut off or wiped, checkpoint and all, is reported.

use crate::{Store, StoreError, on_pool};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The anchor file's format name.
const FORMAT: &str = "safeguard-audit-anchor/1";

/// What the anchor file holds: the signed checkpoint it copies.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Anchored {
    /// `safeguard-audit-anchor/1`.
    pub format: String,
    /// The last event's sequence number when it was written.
    pub seq: i64,
    /// That event's hash.
    pub hash: String,
    /// The checkpoint's signature (HMAC with the audit key).
    pub mac: String,
    /// When it was written (RFC 3339).
    pub written_at: String,
}

/// Where the anchor is kept, and the last one written by this process.
#[derive(Debug)]
pub(crate) struct Anchor {
    pub(crate) path: PathBuf,
    last: tokio::sync::Mutex<Option<Anchored>>,
}

impl Anchor {
    pub(crate) fn new(path: PathBuf) -> Self {
        Anchor {
            path,
            last: Default::default(),
        }
    }
}

/// Read an anchor file: `None` when there is none.
pub fn read_anchor(path: &Path) -> Result<Option<Anchored>, StoreError> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(StoreError::Config(format!(
                "cannot read the access log's anchor {}: {e}",
                path.display()
            )));
        }
    };
    let a: Anchored = serde_json::from_str(&text).map_err(|e| {
        StoreError::Corrupt(format!(
            "the access log's anchor {} is not an anchor: {e}",
            path.display()
        ))
    })?;
    if a.format != FORMAT {
        return Err(StoreError::Corrupt(format!(
            "the access log's anchor {} has format '{}', not {FORMAT}",
            path.display(),
            a.format
        )));
    }
    Ok(Some(a))
}

/// Write an anchor file whole or not at all: a temporary file beside it, flushed to disk, then renamed.
fn write_anchor(path: &Path, a: &Anchored) -> Result<(), StoreError> {
    use std::io::Write;
    let fail = |e: std::io::Error| {
        StoreError::Config(format!(
            "cannot write the access log's anchor {}: {e}",
            path.display()
        ))
    };
    let tmp = path.with_extension("anchor.tmp");
    let mut f = std::fs::File::create(&tmp).map_err(fail)?;
    f.write_all(
        serde_json::to_string_pretty(a)
            .expect("an anchor serialises")
            .as_bytes(),
    )
    .map_err(fail)?;
    f.sync_all().map_err(fail)?;
    std::fs::rename(&tmp, path).map_err(fail)
}

impl Store {
    /// Keep the access log's anchor in `path` (created on the first audited write).
    pub fn with_anchor(mut self, path: PathBuf) -> Self {
        self.anchor = Some(std::sync::Arc::new(Anchor::new(path)));
        self
    }

    /// Where the anchor is kept, if anywhere.
    pub fn anchor_path(&self) -> Option<&Path> {
        self.anchor.as_deref().map(|a| a.path.as_path())
    }

    /// The signed checkpoint as it stands: (seq, hash, mac).
    pub(crate) async fn checkpoint(&self) -> Result<Option<(i64, String, String)>, StoreError> {
        Ok(on_pool!(self, p => sqlx::query_as(
            "SELECT seq, hash, mac FROM audit_checkpoint WHERE id = 1").fetch_optional(p).await)?)
    }

    /// After an audited write has committed: move the anchor forward to the checkpoint. A failure is logged,
    /// not returned: the write itself stands, and an anchor left behind still catches any later cut.
    pub(crate) async fn advance_anchor(&self) {
        if let Err(e) = self.try_advance_anchor().await {
            tracing::error!("the access log's anchor was not moved forward: {e}");
        }
    }

    /// Move the anchor to the checkpoint now: for a database written without its anchor (the demo's bulk
    /// generation), once at the end.
    pub async fn anchor_to_checkpoint(&self) -> Result<(), StoreError> {
        self.try_advance_anchor().await
    }

    async fn try_advance_anchor(&self) -> Result<(), StoreError> {
        let Some(anchor) = self.anchor.as_deref() else {
            return Ok(());
        };
        let mut last = anchor.last.lock().await;
        if last.is_none() {
            *last = read_anchor(&anchor.path)?;
        }
        let Some((seq, hash, mac)) = self.checkpoint().await? else {
            return Ok(());
        };
        if self.checkpoint_mac_pub(seq, &hash) != mac {
            return Err(StoreError::Corrupt(
                "the checkpoint's signature is wrong; the anchor is left where it was".into(),
            ));
        }
        if let Some(prev) = last.as_ref() {
            if seq < prev.seq || (seq == prev.seq && hash == prev.hash) {
                if seq < prev.seq {
                    return Err(StoreError::Corrupt(format!(
                        "the checkpoint (event {seq}) is behind the anchor (event {}): the log has been cut off",
                        prev.seq
                    )));
                }
                return Ok(());
            }
            let held: Option<(String,)> = on_pool!(self, p => sqlx::query_as(
                "SELECT hash FROM access_log WHERE seq = $1").bind(prev.seq).fetch_optional(p).await)?;
            if held.map(|(h,)| h) != Some(prev.hash.clone()) {
                return Err(StoreError::Corrupt(format!(
                    "the log no longer holds the anchored event {} as it was",
                    prev.seq
                )));
            }
        }
        let next = Anchored {
            format: FORMAT.into(),
            seq,
            hash,
            mac,
            written_at: jiff::Timestamp::now().to_string(),
        };
        // The write ends with a flush to disk: on a thread for blocking work, not on one of the threads that
        // answer requests.
        let (path, copy) = (anchor.path.clone(), next.clone());
        tokio::task::spawn_blocking(move || write_anchor(&path, &copy))
            .await
            .map_err(|e| StoreError::Config(format!("the anchor's writer stopped: {e}")))??;
        *last = Some(next);
        Ok(())
    }

    /// Set the anchor to the checkpoint as it stands, whatever it held: after a restore, whose log is
    /// rightly shorter than the anchor of the database it replaces.
    pub async fn reset_anchor(&self) -> Result<(), StoreError> {
        let Some(anchor) = self.anchor.as_deref() else {
            return Ok(());
        };
        let mut last = anchor.last.lock().await;
        let Some((seq, hash, mac)) = self.checkpoint().await? else {
            return Ok(());
        };
        let next = Anchored {
            format: FORMAT.into(),
            seq,
            hash,
            mac,
            written_at: jiff::Timestamp::now().to_string(),
        };
        // The write ends with a flush to disk: on a thread for blocking work, not on one of the threads that
        // answer requests.
        let (path, copy) = (anchor.path.clone(), next.clone());
        tokio::task::spawn_blocking(move || write_anchor(&path, &copy))
            .await
            .map_err(|e| StoreError::Config(format!("the anchor's writer stopped: {e}")))??;
        *last = Some(next);
        Ok(())
    }
}
