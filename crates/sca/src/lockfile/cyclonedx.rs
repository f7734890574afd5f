//! Parser stub; to be written.

use std::path::Path;

use crate::{Manifest, ParseError};

pub fn parse_json(_path: &Path, _text: &str) -> Result<Manifest, ParseError> {
    Err(ParseError::new("this format is not supported yet"))
}

pub fn parse_xml(_path: &Path, _text: &str) -> Result<Manifest, ParseError> {
    Err(ParseError::new("this format is not supported yet"))
}
