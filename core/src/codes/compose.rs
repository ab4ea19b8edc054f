//! stub

use super::CodeInfo;

pub(super) const CODES: &[CodeInfo] = &[];
