//! stub

use super::CodeInfo;

pub(super) const CODES: &[CodeInfo] = &[];
pub(super) const API: &[CodeInfo] = &[];
