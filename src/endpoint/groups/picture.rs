//! The group picture check: a square JPEG larger than 192 pixels on a side, read from the JPEG
//! header (the start-of-frame segment) without decoding the image.

use crate::error::{ValidationError, Violation};

/// A group picture's side must be larger than this many pixels.
pub const GROUP_PICTURE_MIN_SIDE: u32 = 192;

const FIELD: &str = "profile_picture_file";

/// The width and height of a JPEG, read from its start-of-frame segment; `None` for bytes that are
/// not a JPEG or whose header ends before the frame.
///
/// ```
/// use whatsapp_cloud::endpoint::groups::jpeg_dimensions;
/// // SOI, then a baseline SOF0 segment: 8-bit, 480 high, 640 wide, 3 components.
/// let jpeg = [0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x11, 0x08, 0x01, 0xE0, 0x02, 0x80, 0x03,
///     1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1, 0xFF, 0xD9];
/// assert_eq!(jpeg_dimensions(&jpeg), Some((640, 480)));
/// assert_eq!(jpeg_dimensions(b"\x89PNG\r\n\x1a\n"), None);
/// ```
pub fn jpeg_dimensions(bytes: &[u8]) -> Option<(u32, u32)> {
    if bytes.get(..2)? != [0xFF, 0xD8] {
        return None;
    }
    let mut at = 2;
    loop {
        // A marker: 0xFF, any fill 0xFF bytes, then the marker code.
        if *bytes.get(at)? != 0xFF {
            return None;
        }
        while *bytes.get(at)? == 0xFF {
            at += 1;
        }
        let marker = *bytes.get(at)?;
        at += 1;
        match marker {
            // Markers without a segment: TEM, RST0-7, SOI.
            0x01 | 0xD0..=0xD8 => continue,
            // End of image or start of scan before any frame: no size to read.
            0xD9 | 0xDA => return None,
            _ => {}
        }
        let length = usize::from(u16::from_be_bytes([*bytes.get(at)?, *bytes.get(at + 1)?]));
        // SOF0-SOF15 except DHT (C4), JPG (C8) and DAC (CC).
        if matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC) {
            let frame = bytes.get(at + 2..at + 7)?;
            let height = u32::from(u16::from_be_bytes([frame[1], frame[2]]));
            let width = u32::from(u16::from_be_bytes([frame[3], frame[4]]));
            return Some((width, height));
        }
        if length < 2 {
            return None;
        }
        at += length;
    }
}

/// A JPEG, square, larger than 192 pixels on a side.
pub(super) fn check_group_picture(bytes: &[u8]) -> Result<(), ValidationError> {
    let Some((width, height)) = jpeg_dimensions(bytes) else {
        let start: Vec<String> = bytes.iter().take(4).map(|b| format!("{b:02X}")).collect();
        return Err(ValidationError::new(
            FIELD,
            Violation::Invalid {
                value: format!("{} bytes starting {}", bytes.len(), start.join(" ")),
                expected: "a JPEG image (starting FF D8, with a readable frame header)".into(),
            },
        ));
    };
    if width != height {
        return Err(ValidationError::new(
            FIELD,
            Violation::Invalid {
                value: format!("{width}x{height} pixels"),
                expected: "a square image (width equal to height)".into(),
            },
        ));
    }
    if width <= GROUP_PICTURE_MIN_SIDE {
        return Err(ValidationError::new(
            FIELD,
            Violation::Invalid {
                value: format!("{width}x{height} pixels"),
                expected: format!("more than {GROUP_PICTURE_MIN_SIDE} pixels on a side"),
            },
        ));
    }
    Ok(())
}
