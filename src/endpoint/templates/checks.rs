//! The creation limits of the template kinds of [`super::kinds`]: single-product templates,
//! carousels, authentication templates and the time-to-live by category.

use super::create::{check_body, check_buttons, required_text};
use super::*;
use crate::error::{ValidationError, Violation};
use crate::limits::{self, invalid, max_chars};
use serde_json::Value;

/// An `OTP` button: its type, apps, autofill label and zero-tap terms.
pub(super) fn check_otp_button(bf: &str, button: &ButtonDefinition) -> Result<(), ValidationError> {
    let field = format!("{bf}.otp_type");
    let Some(otp_type) = button.otp_type() else {
        return Err(ValidationError::new(field, Violation::Missing));
    };
    let tap = match &otp_type {
        OtpType::CopyCode => false,
        OtpType::OneTap | OtpType::ZeroTap => true,
        OtpType::Unknown(other) => {
            return Err(invalid(field, other, "copy_code, one_tap or zero_tap"));
        }
    };
    if let Some(text) = button.extra.get("autofill_text") {
        let text = text.as_str().unwrap_or_default();
        required_text(
            &format!("{bf}.autofill_text"),
            Some(text),
            limits::OTP_AUTOFILL_TEXT_MAX,
        )?;
    }
    if !tap {
        return Ok(());
    }
    let apps_field = format!("{bf}.supported_apps");
    let raw = button
        .extra
        .get("supported_apps")
        .and_then(Value::as_array)
        .map(Vec::len)
        .unwrap_or(0);
    let apps = button.otp_supported_apps();
    if apps.len() != raw {
        return Err(invalid(
            apps_field,
            format!("{raw} entries"),
            "objects with package_name and signature_hash",
        ));
    }
    limits::count(&apps_field, apps.len(), 1, limits::OTP_SUPPORTED_APPS_MAX)?;
    for (i, app) in apps.iter().enumerate() {
        limits::non_blank(
            &format!("{apps_field}[{i}].package_name"),
            &app.package_name,
        )?;
        if app.signature_hash.chars().count() != limits::OTP_SIGNATURE_HASH_LEN {
            return Err(invalid(
                format!("{apps_field}[{i}].signature_hash"),
                &app.signature_hash,
                "the app's signing key hash of 11 characters",
            ));
        }
    }
    if otp_type == OtpType::ZeroTap
        && button.extra.get("zero_tap_terms_accepted") != Some(&Value::Bool(true))
    {
        let given = button
            .extra
            .get("zero_tap_terms_accepted")
            .map_or_else(|| "absent".to_owned(), Value::to_string);
        return Err(invalid(
            format!("{bf}.zero_tap_terms_accepted"),
            given,
            "true: zero-tap buttons need the business to accept Meta's zero-tap terms",
        ));
    }
    Ok(())
}

/// What makes two carousel cards alike: each component's type, header format and button types.
fn card_shape(card: &CarouselCardDefinition) -> Vec<String> {
    card.components
        .iter()
        .map(|c| match c {
            TemplateComponent::Header(h) => format!("HEADER {}", h.format),
            TemplateComponent::Buttons(b) => {
                let kinds: Vec<&str> = b.buttons.iter().map(|x| x.kind.as_str()).collect();
                format!("BUTTONS [{}]", kinds.join(", "))
            }
            other => other.type_name().to_owned(),
        })
        .collect()
}

/// A `CAROUSEL` component: 2 to 10 cards of the same components; product cards have a product
/// header and one `SPM` or `URL` button; media cards an image or video header with its sample and
/// up to two quick-reply, URL or phone-number buttons.
pub(super) fn check_carousel(
    field: &str,
    carousel: &CarouselComponent,
    format: &ParameterFormat,
) -> Result<(), ValidationError> {
    let cards_field = format!("{field}.cards");
    limits::count(
        &cards_field,
        carousel.cards.len(),
        limits::TEMPLATE_CAROUSEL_CARDS_MIN,
        limits::TEMPLATE_CAROUSEL_CARDS_MAX,
    )?;
    let first = carousel.cards.first().map(card_shape).unwrap_or_default();
    for (c, card) in carousel.cards.iter().enumerate() {
        let card_field = format!("{cards_field}[{c}]");
        let shape = card_shape(card);
        if shape != first {
            return Err(invalid(
                format!("{card_field}.components"),
                shape.join("; "),
                &format!("the components of card 0 ({})", first.join("; ")),
            ));
        }
        check_card(&card_field, card, format)?;
    }
    Ok(())
}

fn check_card(
    card_field: &str,
    card: &CarouselCardDefinition,
    format: &ParameterFormat,
) -> Result<(), ValidationError> {
    let header = card.components.iter().find_map(|c| match c {
        TemplateComponent::Header(h) => Some(h),
        _ => None,
    });
    let Some(header) = header else {
        return Err(ValidationError::new(
            format!("{card_field}.components[type=HEADER]"),
            Violation::Missing,
        ));
    };
    let buttons = card.components.iter().find_map(|c| match c {
        TemplateComponent::Buttons(b) => Some(b),
        _ => None,
    });
    let Some(buttons) = buttons else {
        return Err(ValidationError::new(
            format!("{card_field}.components[type=BUTTONS]"),
            Violation::Missing,
        ));
    };
    let product = match &header.format {
        HeaderFormat::Product => true,
        HeaderFormat::Image | HeaderFormat::Video => false,
        other => {
            return Err(invalid(
                format!("{card_field}.header.format"),
                other.as_str(),
                "IMAGE or VIDEO (media cards) or PRODUCT (product cards)",
            ));
        }
    };
    for (i, component) in card.components.iter().enumerate() {
        let cf = format!("{card_field}.components[{i}]");
        match component {
            TemplateComponent::Header(h) if !product => {
                let has_sample = h
                    .example
                    .as_ref()
                    .is_some_and(|e| e.header_handle.iter().any(|x| !x.trim().is_empty()));
                if !has_sample {
                    return Err(ValidationError::new(
                        format!("{cf}.example.header_handle"),
                        Violation::Missing,
                    ));
                }
            }
            TemplateComponent::Header(_) => {}
            TemplateComponent::Body(b) if !product => {
                check_body(&cf, b, format, None)?;
                if let Some(text) = &b.text {
                    max_chars(
                        &format!("{cf}.text"),
                        text,
                        limits::TEMPLATE_CAROUSEL_CARD_BODY_MAX,
                    )?;
                }
            }
            TemplateComponent::Buttons(b) => check_buttons(&cf, b)?,
            other => {
                return Err(invalid(
                    format!("{cf}.type"),
                    other.type_name(),
                    if product {
                        "HEADER or BUTTONS (a product card)"
                    } else {
                        "HEADER, BODY or BUTTONS (a media card)"
                    },
                ));
            }
        }
    }
    let bf = format!("{card_field}.buttons");
    if product {
        limits::count(&bf, buttons.buttons.len(), 1, 1)?;
        if !matches!(buttons.buttons[0].kind, ButtonType::Spm | ButtonType::Url) {
            return Err(invalid(
                format!("{bf}[0].type"),
                buttons.buttons[0].kind.as_str(),
                "SPM or URL (a product card)",
            ));
        }
    } else {
        limits::count(
            &bf,
            buttons.buttons.len(),
            1,
            limits::TEMPLATE_CAROUSEL_CARD_BUTTONS_MAX,
        )?;
        for (i, b) in buttons.buttons.iter().enumerate() {
            if !matches!(
                b.kind,
                ButtonType::QuickReply | ButtonType::Url | ButtonType::PhoneNumber
            ) {
                return Err(invalid(
                    format!("{bf}[{i}].type"),
                    b.kind.as_str(),
                    "QUICK_REPLY, URL or PHONE_NUMBER (a media card)",
                ));
            }
        }
    }
    Ok(())
}

fn component_index(
    components: &[TemplateComponent],
    pick: impl Fn(&TemplateComponent) -> bool,
) -> Option<usize> {
    components.iter().position(pick)
}

/// The rules of the whole template that depend on its kind: single-product (product header),
/// authentication (category) and which buttons a category may have.
pub(super) fn check_kind(
    components: &[TemplateComponent],
    category: Option<&TemplateCategory>,
) -> Result<(), ValidationError> {
    let buttons_at = component_index(components, |c| matches!(c, TemplateComponent::Buttons(_)));
    let buttons: &[ButtonDefinition] = match buttons_at.map(|i| &components[i]) {
        Some(TemplateComponent::Buttons(b)) => &b.buttons,
        _ => &[],
    };
    let authentication = category == Some(&TemplateCategory::Authentication);
    for (i, b) in buttons.iter().enumerate() {
        let bf = format!("components[{}].buttons[{i}]", buttons_at.unwrap_or(0));
        match b.kind {
            ButtonType::Otp if category.is_some() && !authentication => {
                return Err(invalid(
                    format!("{bf}.type"),
                    "OTP",
                    "buttons of a MARKETING or UTILITY template (OTP buttons are for AUTHENTICATION)",
                ));
            }
            ButtonType::RequestContactInfo if authentication => {
                return Err(invalid(
                    format!("{bf}.type"),
                    "REQUEST_CONTACT_INFO",
                    "an OTP button (REQUEST_CONTACT_INFO is for UTILITY and MARKETING templates)",
                ));
            }
            _ => {}
        }
    }
    if authentication {
        if buttons.len() != 1 || buttons[0].kind != ButtonType::Otp {
            let given: Vec<&str> = buttons.iter().map(|b| b.kind.as_str()).collect();
            return Err(invalid(
                "components[type=BUTTONS]",
                format!("[{}]", given.join(", ")),
                "one OTP button (an authentication template)",
            ));
        }
        for (i, c) in components.iter().enumerate() {
            match c {
                TemplateComponent::Body(b) if b.text.is_some() => {
                    return Err(invalid(
                        format!("components[{i}].text"),
                        b.text.as_deref().unwrap_or_default(),
                        "no text: Meta writes an authentication template's body \
                         (BodyComponent::authentication)",
                    ));
                }
                TemplateComponent::Header(_) | TemplateComponent::Carousel(_) => {
                    return Err(invalid(
                        format!("components[{i}].type"),
                        c.type_name(),
                        "BODY, FOOTER or BUTTONS (an authentication template)",
                    ));
                }
                _ => {}
            }
        }
    }
    let product_header = components
        .iter()
        .any(|c| matches!(c, TemplateComponent::Header(h) if h.format == HeaderFormat::Product));
    if product_header {
        check_single_product(components, buttons, buttons_at)?;
    }
    Ok(())
}

fn check_single_product(
    components: &[TemplateComponent],
    buttons: &[ButtonDefinition],
    buttons_at: Option<usize>,
) -> Result<(), ValidationError> {
    for (i, c) in components.iter().enumerate() {
        if let TemplateComponent::Body(b) = c
            && let Some(text) = &b.text
        {
            max_chars(
                &format!("components[{i}].text"),
                text,
                limits::SPM_BODY_TEXT_MAX,
            )?;
        }
    }
    if buttons.len() != 1 || buttons[0].kind != ButtonType::Spm {
        let given: Vec<&str> = buttons.iter().map(|b| b.kind.as_str()).collect();
        let field = match buttons_at {
            Some(i) => format!("components[{i}].buttons"),
            None => "components[type=BUTTONS]".to_owned(),
        };
        return Err(invalid(
            field,
            format!("[{}]", given.join(", ")),
            "one SPM button (a single-product template)",
        ));
    }
    Ok(())
}

/// An authentication code expiry: 1 to 90 minutes.
pub(super) fn check_code_expiration(field: &str, minutes: u32) -> Result<(), ValidationError> {
    limits::range(
        field,
        i64::from(minutes),
        i64::from(limits::CODE_EXPIRATION_MINUTES_MIN),
        i64::from(limits::CODE_EXPIRATION_MINUTES_MAX),
    )
}

/// `message_send_ttl_seconds` for the category (Meta's "Time-to-live"): authentication 30-900,
/// utility 30-43,200, marketing 43,200-2,592,000; `-1` (30 days) for authentication and utility.
pub(super) fn check_ttl(
    category: Option<&TemplateCategory>,
    ttl: Option<i64>,
) -> Result<(), ValidationError> {
    let Some(ttl) = ttl else { return Ok(()) };
    let field = "message_send_ttl_seconds";
    let (min, max, minus_one) = match category {
        Some(TemplateCategory::Authentication) => {
            let (a, b) = limits::TTL_AUTHENTICATION_SECONDS;
            (a, b, true)
        }
        Some(TemplateCategory::Utility) => {
            let (a, b) = limits::TTL_UTILITY_SECONDS;
            (a, b, true)
        }
        Some(TemplateCategory::Marketing) => {
            let (a, b) = limits::TTL_MARKETING_SECONDS;
            (a, b, false)
        }
        // Unknown here (an edit that keeps the category): Meta checks it.
        _ => return Ok(()),
    };
    if ttl == -1 && minus_one {
        return Ok(());
    }
    limits::range(field, ttl, min, max)
}
