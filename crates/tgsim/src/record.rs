//! The traffic log: one JSON line per Bot API call, appended atomically so that several
//! processes can share one file (`TGSIM_RECORD`).

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::Path;
use std::sync::Mutex;

use serde_json::Value;

#[derive(Debug)]
pub struct Recorder {
    file: Mutex<File>,
}

impl Recorder {
    pub fn open(path: &Path) -> std::io::Result<Self> {
        let file = OpenOptions::new().create(true).append(true).open(path)?;
        Ok(Self {
            file: Mutex::new(file),
        })
    }

    /// Appends one line. The whole line goes out in a single `write` on an `O_APPEND` file,
    /// which Linux keeps intact against concurrent appenders.
    pub fn append(&self, entry: &Value) {
        let mut line = entry.to_string();
        line.push('\n');
        let mut f = self
            .file
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Err(e) = f.write_all(line.as_bytes()) {
            tracing::warn!("tgsim: traffic log write failed: {e}");
        }
    }
}
