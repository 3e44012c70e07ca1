//! Meta's documented limits, in one place: outgoing messages, media files, template creation and
//! the business profile, and the checks that apply them.
//!
//! Every builder in the crate checks these before a request is built, so a broken limit is a
//! [`ValidationError`] that names the field, the limit and the value, not a rejected call.
//!
//! Lengths are counted in Unicode scalar values (`char`s), as Meta counts characters. Each constant
//! names the page of Meta's documentation that sets it: the message pages under
//! <https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/> (for
//! example "Text messages"), the template pages, the Cloud API's *Messages* object reference
//! (<https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages>), the one page that
//! spells out the limits of each object, and the *Business Profiles* reference.
//!
//! ```
//! use whatsapp_cloud::limits;
//! use whatsapp_cloud::message::Text;
//!
//! let long = "a".repeat(limits::TEXT_BODY_MAX + 1);
//! assert!(Text::new(long).validate().is_err());
//! ```

use crate::error::{ValidationError, Violation};

// --- Envelope -------------------------------------------------------------------------------

/// A message id (`wamid`). (Meta: Messages reference)
pub const MESSAGE_ID_MAX: usize = 128;
/// `biz_opaque_callback_data`. (Meta: Messages reference)
pub const BIZ_OPAQUE_CALLBACK_DATA_MAX: usize = 512;
/// Letters and digits after the prefix (`US.` or `US.ENT.`) of a business-scoped user id.
/// (Meta: Business-scoped user IDs)
pub const BSUID_ID_MAX: usize = 128;

// --- Text and media ---------------------------------------------------------------------------

/// `text.body`. (Meta: Text messages; Messages reference)
pub const TEXT_BODY_MAX: usize = 4096;
/// `caption` of image, video and document. (Meta: Image messages; Video messages; Document
/// messages)
pub const CAPTION_MAX: usize = 1024;

// --- Contacts and location --------------------------------------------------------------------

/// Fewest contacts in a contacts message. (Meta: Contacts messages)
pub const CONTACTS_MIN: usize = 1;
/// Contacts in one contacts message. (Meta: Contacts messages, "up to 257 contacts")
pub const CONTACTS_MAX: usize = 257;
/// Latitude range in degrees. (Meta: Location messages)
pub const LATITUDE_MAX: f64 = 90.0;
/// Longitude range in degrees. (Meta: Location messages)
pub const LONGITUDE_MAX: f64 = 180.0;

// --- Interactive ------------------------------------------------------------------------------

/// `interactive.body.text` (all types but list). (Meta: Messages reference; Interactive CTA URL
/// messages)
pub const INTERACTIVE_BODY_MAX: usize = 1024;
/// `interactive.body.text` of a list message. (Meta: Interactive list messages; the older Messages
/// reference says 1024)
pub const LIST_BODY_MAX: usize = 4096;
/// `interactive.header.text`. (Meta: Messages reference; the interactive message pages)
pub const HEADER_TEXT_MAX: usize = 60;
/// `interactive.footer.text`. (Meta: Messages reference; the interactive message pages)
pub const FOOTER_MAX: usize = 60;
/// Fewest reply buttons. (Meta: Interactive reply buttons messages)
pub const REPLY_BUTTONS_MIN: usize = 1;
/// Most reply buttons. (Meta: Interactive reply buttons messages)
pub const REPLY_BUTTONS_MAX: usize = 3;
/// `reply.title`. (Meta: Interactive reply buttons messages)
pub const REPLY_BUTTON_TITLE_MAX: usize = 20;
/// `reply.id`. (Meta: Interactive reply buttons messages)
pub const REPLY_BUTTON_ID_MAX: usize = 256;
/// `action.button` of a list. (Meta: Interactive list messages)
pub const LIST_BUTTON_MAX: usize = 20;
/// Fewest sections of a list. (Meta: Interactive list messages)
pub const LIST_SECTIONS_MIN: usize = 1;
/// Fewest rows in one list section. (Meta: Interactive list messages)
pub const SECTION_ROWS_MIN: usize = 1;
/// Sections of a list. (Meta: Interactive list messages)
pub const LIST_SECTIONS_MAX: usize = 10;
/// Rows across all sections of a list. (Meta: Interactive list messages)
pub const LIST_ROWS_TOTAL_MAX: usize = 10;
/// `section.title`. (Meta: Interactive list messages)
pub const SECTION_TITLE_MAX: usize = 24;
/// `row.id`. (Meta: Interactive list messages)
pub const ROW_ID_MAX: usize = 200;
/// `row.title`. (Meta: Interactive list messages)
pub const ROW_TITLE_MAX: usize = 24;
/// `row.description`. (Meta: Interactive list messages)
pub const ROW_DESCRIPTION_MAX: usize = 72;
/// `parameters.display_text` of a CTA URL message. (Meta: Interactive CTA URL messages)
pub const CTA_DISPLAY_TEXT_MAX: usize = 20;
/// `flow_cta` (Meta advises at most 30). (Meta: Messages reference; Sending a Flow)
pub const FLOW_CTA_MAX: usize = 30;
/// Fewest sections of a multi-product message. (Meta: Messages reference)
pub const PRODUCT_SECTIONS_MIN: usize = 1;
/// Fewest products in one multi-product section. (Meta: Messages reference)
pub const PRODUCT_ITEMS_PER_SECTION_MIN: usize = 1;
/// Sections of a multi-product message. (Meta: Messages reference)
pub const PRODUCT_SECTIONS_MAX: usize = 10;
/// Products across all sections of a multi-product message. (Meta: Messages reference)
pub const PRODUCT_ITEMS_TOTAL_MAX: usize = 30;

/// Fewest cards of an interactive media carousel. (Meta: Interactive media carousel messages)
pub const MEDIA_CAROUSEL_CARDS_MIN: usize = 2;
/// Most cards of an interactive media carousel. (Meta: Interactive media carousel messages)
pub const MEDIA_CAROUSEL_CARDS_MAX: usize = 10;
/// `body.text` of one media carousel card. (Meta: Interactive media carousel messages)
pub const MEDIA_CARD_BODY_MAX: usize = 160;
/// `action.parameters.display_text` of a voice call button. (Meta: Call button messages and deep links)
pub const VOICE_CALL_DISPLAY_TEXT_MAX: usize = 20;
/// Shortest `action.parameters.ttl_minutes` of a voice call button. (Meta: Call button messages and
/// deep links)
pub const VOICE_CALL_TTL_MINUTES_MIN: u32 = 1;
/// Longest `action.parameters.ttl_minutes` of a voice call button (30 days; Meta's default is 7 days,
/// 10080). (Meta: Call button messages and deep links)
pub const VOICE_CALL_TTL_MINUTES_MAX: u32 = 43_200;
/// `action.parameters.payload` of a voice call button, returned on the call's webhook.
/// (Meta: Call button messages and deep links)
pub const VOICE_CALL_PAYLOAD_MAX: usize = 512;

// --- Template ---------------------------------------------------------------------------------

/// `template.name`, at send and at creation. (Meta: Messages reference; Utility templates)
pub const TEMPLATE_NAME_MAX: usize = 512;
/// A `text` parameter of the header component. (Meta: Messages reference)
pub const TEMPLATE_HEADER_TEXT_PARAM_MAX: usize = 60;
/// A `text` parameter of the body component when the message has other components. (Meta: Messages
/// reference)
pub const TEMPLATE_BODY_TEXT_PARAM_MAX: usize = 1024;
/// A `text` parameter of the body component when the body is the only component. (Meta: Messages
/// reference)
pub const TEMPLATE_BODY_ONLY_TEXT_PARAM_MAX: usize = 32768;
/// Largest button `index` (0-9). (Meta: Messages reference)
pub const TEMPLATE_BUTTON_INDEX_MAX: u8 = 9;
/// A copy-code button's coupon code, at send and as the example at creation. (Meta: Coupon
/// templates)
pub const COUPON_CODE_MAX: usize = 15;
/// Fewest cards of a carousel template component. (Meta: Interactive media carousel messages)
pub const CAROUSEL_CARDS_MIN: usize = 1;
/// Carousel cards (`card_index` 0-9). (Meta: Interactive media carousel messages)
pub const CAROUSEL_CARDS_MAX: usize = 10;
/// Length of an ISO 4217 currency code. (Meta: Messages reference)
pub const CURRENCY_CODE_LEN: usize = 3;

// --- Template creation ----------------------------------------------------------------------

/// A header component's text at creation. (Meta: Templates; Template components)
pub const TEMPLATE_HEADER_TEXT_MAX: usize = 60;
/// A body component's text at creation. (Meta: Templates; Template components)
pub const TEMPLATE_BODY_TEXT_MAX: usize = 1024;
/// A footer component's text at creation. (Meta: Templates; Template components)
pub const TEMPLATE_FOOTER_TEXT_MAX: usize = 60;
/// A template button's label. (Meta: Template components, "Buttons")
pub const TEMPLATE_BUTTON_TEXT_MAX: usize = 25;
/// A URL button's URL. (Meta: Template components, "URL buttons")
pub const TEMPLATE_BUTTON_URL_MAX: usize = 2000;
/// A phone-number button's number. (Meta: Template components, "Phone number buttons")
pub const TEMPLATE_BUTTON_PHONE_MAX: usize = 20;
/// A limited-time offer's text. (Meta: Limited-time offer templates)
pub const LIMITED_TIME_OFFER_TEXT_MAX: usize = 16;
/// Buttons in one template. (Meta: Template components, "Buttons")
pub const TEMPLATE_BUTTONS_MAX: usize = 10;
/// Quick-reply buttons in one template. (Meta: Template components, "Buttons")
pub const QUICK_REPLY_BUTTONS_MAX: usize = 10;
/// URL buttons in one template. (Meta: Template components, "Buttons")
pub const URL_BUTTONS_MAX: usize = 2;
/// Phone-number buttons in one template. (Meta: Template components, "Buttons")
pub const PHONE_BUTTONS_MAX: usize = 1;
/// Copy-code buttons in one template. (Meta: Coupon templates)
pub const COPY_CODE_BUTTONS_MAX: usize = 1;
/// Shortest `ttl_minutes` of a template's voice call button (1 day). (Meta: Call button messages and
/// deep links)
pub const TEMPLATE_VOICE_CALL_TTL_MINUTES_MIN: u32 = 1_440;
/// Longest `ttl_minutes` of a template's voice call button (30 days). (Meta: Call button messages and
/// deep links)
pub const TEMPLATE_VOICE_CALL_TTL_MINUTES_MAX: u32 = 43_200;

// --- Payments (order_details and order_status) ---------------------------------------------------

/// An order's `reference_id`: letters, digits, `_`, `-` and `.`. (Meta: Receive payments via
/// payment gateways on WhatsApp)
pub const ORDER_REFERENCE_ID_MAX: usize = 35;
/// An order item's `name`. (Meta: Receive payments via payment gateways on WhatsApp)
pub const ORDER_ITEM_NAME_MAX: usize = 60;
/// The `description` of an order's tax, shipping or discount, and the discount's program name.
/// (Meta: Receive payments via payment gateways on WhatsApp)
pub const ORDER_CHARGE_DESCRIPTION_MAX: usize = 60;
/// The `description` of an order's expiration. (Meta: Receive payments via payment gateways on
/// WhatsApp)
pub const ORDER_EXPIRATION_DESCRIPTION_MAX: usize = 120;
/// The shortest time between the send and an order's expiration, in seconds. (Meta: Receive
/// payments via payment gateways on WhatsApp)
pub const ORDER_EXPIRATION_MIN_SECONDS: u64 = 300;
/// The `description` of an `order_status` message. (Meta: Receive payments via payment gateways on
/// WhatsApp)
pub const ORDER_STATUS_DESCRIPTION_MAX: usize = 120;
// --- Templates complete: product, carousel and authentication templates, TTL, bulk calls ------

/// A one-time password sent in an authentication template. (Meta: Authentication templates)
pub const OTP_CODE_MAX: usize = 15;
/// The body of a single-product (SPM) template. (Meta: Single-product message templates)
pub const SPM_BODY_TEXT_MAX: usize = 160;
/// Cards of a carousel template at creation. (Meta: Media card carousel templates; Product card
/// carousel templates)
pub const TEMPLATE_CAROUSEL_CARDS_MIN: usize = 2;
/// Cards of a carousel template at creation. (Meta: Media card carousel templates)
pub const TEMPLATE_CAROUSEL_CARDS_MAX: usize = 10;
/// Buttons of a media card of a carousel template. (Meta: Media card carousel templates)
pub const TEMPLATE_CAROUSEL_CARD_BUTTONS_MAX: usize = 2;
/// A card body of a carousel template. (Meta: Media card carousel templates)
pub const TEMPLATE_CAROUSEL_CARD_BODY_MAX: usize = 160;
/// An authentication template's code expiry, in minutes. (Meta: Authentication templates)
pub const CODE_EXPIRATION_MINUTES_MIN: u32 = 1;
/// An authentication template's code expiry, in minutes. (Meta: Authentication templates)
pub const CODE_EXPIRATION_MINUTES_MAX: u32 = 90;
/// Apps of a one-tap or zero-tap button. (Meta: One-tap autofill authentication templates)
pub const OTP_SUPPORTED_APPS_MAX: usize = 5;
/// An Android app signing key hash. (Meta: One-tap autofill authentication templates)
pub const OTP_SIGNATURE_HASH_LEN: usize = 11;
/// The autofill label of a one-tap button. (Meta: One-tap autofill authentication templates)
pub const OTP_AUTOFILL_TEXT_MAX: usize = 25;
/// `message_send_ttl_seconds` of authentication templates. (Meta: Time-to-live)
pub const TTL_AUTHENTICATION_SECONDS: (i64, i64) = (30, 900);
/// `message_send_ttl_seconds` of utility templates. (Meta: Time-to-live)
pub const TTL_UTILITY_SECONDS: (i64, i64) = (30, 43_200);
/// `message_send_ttl_seconds` of marketing templates (Marketing Messages API). (Meta: Time-to-live)
pub const TTL_MARKETING_SECONDS: (i64, i64) = (43_200, 2_592_000);
/// Template ids in one archive, unarchive or bulk delete. (Meta: Template archival; Template
/// management)
pub const TEMPLATE_IDS_PER_CALL_MAX: usize = 100;

// --- Business profile -------------------------------------------------------------------------

/// `about`: 1 to 139 characters. (Meta: Business Profiles reference)
pub const PROFILE_ABOUT_MAX: usize = 139;
/// `address`. (Meta: Business Profiles reference)
pub const PROFILE_ADDRESS_MAX: usize = 256;
/// `description`. (Meta: Business Profiles reference)
pub const PROFILE_DESCRIPTION_MAX: usize = 512;
/// `email`. (Meta: Business Profiles reference)
pub const PROFILE_EMAIL_MAX: usize = 128;
/// Number of `websites`. (Meta: Business Profiles reference)
pub const PROFILE_WEBSITES_MAX: usize = 2;
/// One website URL. (Meta: Business Profiles reference)
pub const PROFILE_WEBSITE_MAX: usize = 256;

// --- Media files ----------------------------------------------------------------------------
// Meta's "Media" reference gives sizes in MB; they are read as MiB, so a file Meta accepts is never
// refused here.

/// An audio file, in bytes (16 MB). (Meta: Media reference, "Supported media types")
pub const MEDIA_AUDIO_MAX: u64 = 16 * 1024 * 1024;
/// A video file, in bytes (16 MB). (Meta: Media reference, "Supported media types")
pub const MEDIA_VIDEO_MAX: u64 = 16 * 1024 * 1024;
/// A document, in bytes (100 MB). (Meta: Media reference, "Supported media types")
pub const MEDIA_DOCUMENT_MAX: u64 = 100 * 1024 * 1024;
/// An image, in bytes (5 MB). (Meta: Media reference, "Supported media types")
pub const MEDIA_IMAGE_MAX: u64 = 5 * 1024 * 1024;
/// A static sticker, in bytes (100 KB). (Meta: Media reference, "Supported media types")
pub const STICKER_STATIC_MAX: u64 = 100 * 1024;
/// An animated sticker, in bytes (500 KB). (Meta: Media reference, "Supported media types")
pub const STICKER_ANIMATED_MAX: u64 = 500 * 1024;

// --- Checks -----------------------------------------------------------------------------------

/// The longest value quoted back in an error, in characters.
const QUOTE_MAX: usize = 80;

/// Shortens `value` for an error message.
pub(crate) fn quote(value: &str) -> String {
    if value.chars().count() <= QUOTE_MAX {
        value.to_owned()
    } else {
        let mut s: String = value.chars().take(QUOTE_MAX).collect();
        s.push('…');
        s
    }
}

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

/// Fails when `value` starts or ends with whitespace.
pub(crate) fn no_surrounding_whitespace(field: &str, value: &str) -> Result<(), ValidationError> {
    if value.trim() != value {
        return Err(ValidationError::new(
            field,
            Violation::SurroundingWhitespace {
                value: quote(value),
            },
        ));
    }
    Ok(())
}

/// An identifier: present, without surrounding whitespace, at most `max` characters.
pub(crate) fn id(field: &str, value: &str, max: usize) -> Result<(), ValidationError> {
    non_blank(field, value)?;
    no_surrounding_whitespace(field, value)?;
    max_chars(field, value, max)
}

/// An identifier without a documented length limit.
pub(crate) fn id_unbounded(field: &str, value: &str) -> Result<(), ValidationError> {
    non_blank(field, value)?;
    no_surrounding_whitespace(field, value)
}

/// An absolute `http://` or `https://` URL with a host.
pub(crate) fn http_url(field: &str, value: &str) -> Result<(), ValidationError> {
    non_blank(field, value)?;
    let ok = url::Url::parse(value).is_ok_and(|u| {
        matches!(u.scheme(), "http" | "https") && u.host_str().is_some_and(|h| !h.is_empty())
    });
    if !ok || value.trim() != value {
        return Err(ValidationError::new(
            field,
            Violation::Invalid {
                value: quote(value),
                expected: "an absolute http:// or https:// URL".to_owned(),
            },
        ));
    }
    Ok(())
}

/// Fails when `actual` is outside `min..=max` items.
pub(crate) fn count(
    field: &str,
    actual: usize,
    min: usize,
    max: usize,
) -> Result<(), ValidationError> {
    if actual < min {
        return Err(ValidationError::new(
            field,
            Violation::TooFew { min, actual },
        ));
    }
    if actual > max {
        return Err(ValidationError::new(
            field,
            Violation::TooMany { max, actual },
        ));
    }
    Ok(())
}

/// Fails when `actual` is outside `min..=max`.
pub(crate) fn range(field: &str, actual: i64, min: i64, max: i64) -> Result<(), ValidationError> {
    if actual < min || actual > max {
        return Err(ValidationError::new(
            field,
            Violation::OutOfRange { min, max, actual },
        ));
    }
    Ok(())
}

/// A value of the wrong format.
pub(crate) fn invalid(
    field: impl Into<String>,
    value: impl AsRef<str>,
    expected: &str,
) -> ValidationError {
    ValidationError::new(
        field,
        Violation::Invalid {
            value: quote(value.as_ref()),
            expected: expected.to_owned(),
        },
    )
}

/// Fails when the same value appears twice; values are compared as given.
pub(crate) fn unique<'a>(
    field: impl Fn(usize) -> String,
    values: impl IntoIterator<Item = &'a str>,
) -> Result<(), ValidationError> {
    let mut seen: Vec<&str> = Vec::new();
    for (i, value) in values.into_iter().enumerate() {
        if seen.contains(&value) {
            return Err(ValidationError::new(
                field(i),
                Violation::Duplicate {
                    value: quote(value),
                },
            ));
        }
        seen.push(value);
    }
    Ok(())
}

/// A business-scoped user id: an ISO 3166 alpha-2 country code, `.`, an optional `ENT.` (a parent
/// BSUID), then 1 to [`BSUID_ID_MAX`] letters or digits (Meta says alphanumeric, so letters pass).
pub(crate) fn bsuid(field: &str, value: &str) -> Result<(), ValidationError> {
    let rest = value
        .split_once('.')
        .filter(|(country, _)| {
            country.len() == 2 && country.bytes().all(|b| b.is_ascii_uppercase())
        })
        .map(|(_, rest)| rest.strip_prefix("ENT.").unwrap_or(rest));
    match rest {
        Some(id)
            if (1..=BSUID_ID_MAX).contains(&id.len())
                && id.bytes().all(|b| b.is_ascii_alphanumeric()) =>
        {
            Ok(())
        }
        _ => Err(invalid(
            field,
            value,
            "a business-scoped user id: a country code such as \"US\", \".\", an optional \"ENT.\", \
             then 1 to 128 letters or digits",
        )),
    }
}

/// A `YYYY-MM-DD` calendar date.
pub(crate) fn date(field: &str, value: &str) -> Result<(), ValidationError> {
    let bytes = value.as_bytes();
    let shape = bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes
            .iter()
            .enumerate()
            .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
    let valid = shape && {
        let num = |s: &str| s.parse::<u32>().unwrap_or(0);
        let (year, month, day) = (num(&value[0..4]), num(&value[5..7]), num(&value[8..10]));
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => 0,
        };
        (1..=days).contains(&day)
    };
    if valid {
        Ok(())
    } else {
        Err(invalid(field, value, "a date in YYYY-MM-DD form"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_checked_for_shape_and_calendar() {
        assert!(date("d", "1999-01-23").is_ok());
        assert!(date("d", "2024-02-29").is_ok());
        assert!(date("d", "2023-02-29").is_err());
        assert!(date("d", "1999-13-01").is_err());
        assert!(date("d", "1999-1-23").is_err());
        assert!(date("d", "23-01-1999").is_err());
        assert!(date("d", "1999-01-2é").is_err());
    }

    #[test]
    fn urls_must_be_absolute_http() {
        assert!(http_url("u", "https://example.com/a.jpg").is_ok());
        assert!(http_url("u", "http://example.com").is_ok());
        assert!(http_url("u", "ftp://example.com").is_err());
        assert!(http_url("u", "example.com/a.jpg").is_err());
        assert!(http_url("u", " https://example.com").is_err());
        assert!(http_url("u", "").is_err());
    }

    #[test]
    fn bsuids_follow_metas_format_without_being_stricter() {
        for ok in [
            "US.13491208655302741918",
            "US.ENT.11815799212886844830",
            "BR.a1B2c3",
            &format!("US.{}", "9".repeat(BSUID_ID_MAX)),
            &format!("US.ENT.{}", "z".repeat(BSUID_ID_MAX)),
        ] {
            assert!(bsuid("recipient", ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "US.",
            "US.ENT.",
            "us.1349",
            "USA.1349",
            "1349120865",
            "user.0a1b2c",
            "US.1349-1208",
            "US.ENT.ENT.1",
            &format!("US.{}", "9".repeat(BSUID_ID_MAX + 1)),
        ] {
            assert!(bsuid("recipient", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn long_values_are_shortened_in_errors() {
        let q = quote(&"é".repeat(200));
        assert_eq!(q.chars().count(), QUOTE_MAX + 1);
        assert!(q.ends_with('…'));
    }
}
