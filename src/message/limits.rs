//! Meta's limits on outgoing messages (`api-facts.md` §1-§2), and the checks that apply them.
//!
//! Lengths are counted in Unicode scalar values (`char`s), as Meta counts characters.

use crate::error::{ValidationError, Violation};

/// `text.body`.
pub(crate) const TEXT_BODY_MAX: usize = 4096;
/// A message id (`wamid`).
pub(crate) const MESSAGE_ID_MAX: usize = 128;
/// `biz_opaque_callback_data`.
pub(crate) const BIZ_OPAQUE_CALLBACK_DATA_MAX: usize = 512;

/// Fails when `value` has more than `max` characters.
pub(crate) fn max_chars(field: &str, value: &str, max: usize) -> Result<(), ValidationError> {
    // Fast path: a string of at most `max` bytes has at most `max` characters.
    if value.len() <= max {
        return Ok(());
    }
    let actual = value.chars().count();
    if actual > max {
        return Err(ValidationError::new(
            field,
            Violation::TooLong { max, actual },
        ));
    }
    Ok(())
}

/// Fails when `value` is empty or only whitespace.
pub(crate) fn non_blank(field: &str, value: &str) -> Result<(), ValidationError> {
    if value.trim().is_empty() {
        return Err(ValidationError::new(field, Violation::Empty));
    }
    Ok(())
}

/// `non_blank` and `max_chars` together: a required text.
pub(crate) fn required_text(field: &str, value: &str, max: usize) -> Result<(), ValidationError> {
    non_blank(field, value)?;
    max_chars(field, value, max)
}
