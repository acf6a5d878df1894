//! Reader for scap capture files (plain or gzip), every block type libscap defines.

use super::{Item, Source, SourceError};

/// Placeholder until the reader lands.
pub struct ScapReader;

impl ScapReader {
    /// Opens a capture file.
    pub fn open(_p: &std::path::Path) -> Result<ScapReader, SourceError> {
        Err(SourceError { offset: 0, message: "reader not available".into() })
    }
}

impl Source for ScapReader {
    fn next_item(&mut self) -> Result<Option<Item<'_>>, SourceError> {
        Ok(None)
    }
}
