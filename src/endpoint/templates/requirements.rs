//! Checking a template send against the fetched template (`TemplateInfo::check_send`).

use super::*;
use crate::error::{ValidationError, Violation};
use crate::limits::invalid;
use serde_json::Value;
use std::collections::BTreeSet;

impl TemplateInfo {
    /// Checks a template send ([`crate::message::Template`]) against this fetched template: the
    /// name, language, header parameter, body parameters (count, or names for named templates) and the
    /// parameters of dynamic buttons. A mismatch is what Meta would reject with error 132000 (parameter
    /// count mismatch) or 132012 (parameter format mismatch).
    ///
    /// ```
    /// use whatsapp_cloud::endpoint::templates::TemplateInfo;
    /// use whatsapp_cloud::message::{Parameter, Template};
    /// let info: TemplateInfo = serde_json::from_str(r#"{"id":"1","name":"order","language":"en_US",
    ///   "status":"APPROVED","category":"UTILITY","components":[{"type":"BODY","text":"Hi {{1}}, {{2}}"}]}"#)?;
    /// let ok = Template::new("order", "en_US").body([Parameter::text("Ana"), Parameter::text("#1")]);
    /// assert!(info.check_send(&ok).is_ok());
    /// let short = Template::new("order", "en_US").body([Parameter::text("Ana")]);
    /// assert!(info.check_send(&short).is_err());
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    ///
    /// # Errors
    /// A [`ValidationError`] naming the component, what the template needs and what the send gives.
    pub fn check_send(&self, template: &crate::message::Template) -> Result<(), ValidationError> {
        let value = serde_json::to_value(template).map_err(|e| {
            invalid(
                "template",
                e.to_string(),
                "a template that serializes to JSON",
            )
        })?;
        self.check_send_json(&value)
    }

    /// Checks a whole send of this template: the message must be this template, [`check_send`]
    /// must pass, and the recipient must be able to receive it. An authentication template with a
    /// one-tap, zero-tap or copy-code button cannot go to a business-scoped user id alone (Meta
    /// refuses it with error 131062); with the phone number as well it can, since Meta uses `to`.
    ///
    /// [`check_send`]: TemplateInfo::check_send
    ///
    /// ```
    /// use whatsapp_cloud::Recipient;
    /// use whatsapp_cloud::endpoint::templates::TemplateInfo;
    /// use whatsapp_cloud::error::Violation;
    /// use whatsapp_cloud::message::{Parameter, SendMessage, Template, TemplateButton};
    /// let otp: TemplateInfo = serde_json::from_str(r#"{"id":"1","name":"login_code","language":"en_US",
    ///   "status":"APPROVED","category":"AUTHENTICATION","components":[
    ///   {"type":"BODY","text":"{{1}} is your verification code."},
    ///   {"type":"BUTTONS","buttons":[{"type":"URL","text":"Copy code",
    ///    "url":"https://www.whatsapp.com/otp/code/?otp_type=COPY_CODE&code=otp{{1}}"}]}]}"#)?;
    /// let code = Template::new("login_code", "en_US")
    ///     .body([Parameter::text("123456")])
    ///     .button(TemplateButton::url(0, "123456"));
    ///
    /// let by_phone = SendMessage::new("+16505551234", code.clone());
    /// assert!(otp.check_send_to(&by_phone).is_ok());
    ///
    /// let by_bsuid = SendMessage::new(Recipient::user_id("US.13491208655302741918"), code);
    /// let err = otp.check_send_to(&by_bsuid).unwrap_err();
    /// assert_eq!(err.field, "recipient");
    /// assert!(matches!(err.violation, Violation::UserIdNotSupported { .. }));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Violation::UserIdNotSupported`] on `recipient` for a BSUID-only send this template cannot
    /// go to; an [`Violation::Invalid`] on `type` when the message is not a template; otherwise as
    /// [`check_send`].
    pub fn check_send_to(&self, send: &crate::message::SendMessage) -> Result<(), ValidationError> {
        let crate::message::Message::Template(template) = send.message() else {
            return Err(invalid(
                "type",
                send.message().type_name(),
                &format!("the template {:?}", self.name),
            ));
        };
        self.check_send(template)?;
        match send.recipient() {
            crate::ids::Recipient::UserId(user_id) if self.refuses_user_ids() => {
                Err(ValidationError::new(
                    "recipient",
                    Violation::UserIdNotSupported {
                        user_id: user_id.as_str().to_owned(),
                    },
                ))
            }
            _ => Ok(()),
        }
    }

    /// True when Meta refuses this template to a business-scoped user id alone (error 131062): an
    /// authentication template with a one-tap, zero-tap or copy-code button. A fetched template
    /// shows such a button as `OTP`, `COPY_CODE` or, once created, `URL`.
    pub fn refuses_user_ids(&self) -> bool {
        self.category == TemplateCategory::Authentication
            && self.components.iter().any(|c| match c {
                TemplateComponent::Buttons(b) => b.buttons.iter().any(|button| {
                    matches!(
                        button.kind,
                        ButtonType::Otp | ButtonType::CopyCode | ButtonType::Url
                    )
                }),
                _ => false,
            })
    }

    /// Checks a send of this template, given as Meta's JSON (`{"name", "language": {"code"},
    /// "components": [...]}`, the `template` object of a send), against what the template needs: the
    /// name and language, the header parameter, the number (or names) of body parameters and the
    /// parameters of dynamic buttons. A mismatch is what Meta rejects with error 132000 (parameter count
    /// mismatch) or 132012 (parameter format mismatch).
    ///
    /// ```
    /// use whatsapp_cloud::endpoint::templates::TemplateInfo;
    /// let t: TemplateInfo = serde_json::from_str(r#"{"id":"1","name":"order","language":"en_US",
    ///   "status":"APPROVED","category":"UTILITY","components":[{"type":"BODY","text":"Hi {{1}}, {{2}}"}]}"#)?;
    /// let send = serde_json::json!({"name": "order", "language": {"code": "en_US"}, "components": [
    ///     {"type": "body", "parameters": [{"type": "text", "text": "Ana"}]}]});
    /// let err = t.check_send_json(&send).unwrap_err();
    /// assert_eq!(err.field, "template.components[body].parameters");
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    ///
    /// # Errors
    /// A [`ValidationError`] naming the component, what the template needs and what the send gives.
    pub fn check_send_json(&self, send: &Value) -> Result<(), ValidationError> {
        let name = send.get("name").and_then(Value::as_str).unwrap_or_default();
        if name != self.name {
            return Err(invalid(
                "template.name",
                name,
                &format!("the template's name {:?}", self.name),
            ));
        }
        let code = send
            .pointer("/language/code")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if !self.language.is_empty() && code != self.language {
            return Err(invalid(
                "template.language.code",
                code,
                &format!("the template's language {:?}", self.language),
            ));
        }
        let required = self.required_parameters();
        let components: &[Value] = send
            .get("components")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let top = CardParameters {
            header: required.header.clone(),
            body: required.body.clone(),
            buttons: required.buttons.clone(),
        };
        check_part("template.components", components, &top)?;
        if required.cards.is_empty() {
            return Ok(());
        }
        let field = "template.components[carousel].cards";
        let cards: &[Value] = components
            .iter()
            .find(|c| {
                c.get("type")
                    .and_then(Value::as_str)
                    .is_some_and(|t| t.eq_ignore_ascii_case("carousel"))
            })
            .and_then(|c| c.get("cards"))
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let defined = required.cards.len();
        let fits = if required.product_cards {
            (1..=crate::limits::TEMPLATE_CAROUSEL_CARDS_MAX).contains(&cards.len())
        } else {
            cards.len() == defined
        };
        if !fits {
            let expected = if required.product_cards {
                "1 to 10 product cards".to_owned()
            } else {
                format!("{defined} cards, as many as the template defines")
            };
            return Err(invalid(field, format!("{} cards", cards.len()), &expected));
        }
        for (i, card) in cards.iter().enumerate() {
            let index = card
                .get("card_index")
                .and_then(Value::as_u64)
                .and_then(|n| usize::try_from(n).ok())
                .unwrap_or(i);
            // Product cards are all alike; media cards match the template's card of that index.
            let wanted = if required.product_cards {
                required.cards.first()
            } else {
                required.cards.get(index)
            };
            let Some(wanted) = wanted else {
                return Err(invalid(
                    format!("{field}[{i}].card_index"),
                    index.to_string(),
                    &format!("0 to {}", defined.saturating_sub(1)),
                ));
            };
            let card_components: &[Value] = card
                .get("components")
                .and_then(Value::as_array)
                .map(Vec::as_slice)
                .unwrap_or_default();
            check_part(&format!("{field}[{i}].components"), card_components, wanted)?;
        }
        Ok(())
    }
}

/// Checks the header, body and button parameters of one level of a send (the template, or a
/// carousel card) against what the template needs there.
fn check_part(
    prefix: &str,
    components: &[Value],
    required: &CardParameters,
) -> Result<(), ValidationError> {
    let of_type = |t: &str| {
        components.iter().find(|c| {
            c.get("type")
                .and_then(Value::as_str)
                .is_some_and(|x| x.eq_ignore_ascii_case(t))
        })
    };
    let params = |c: Option<&Value>| -> Vec<Value> {
        c.and_then(|c| c.get("parameters"))
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };

    // Header.
    let header = params(of_type("header"));
    let field = format!("{prefix}[header].parameters");
    match &required.header {
        None if !header.is_empty() => {
            return Err(invalid(
                field,
                format!("{} parameters", header.len()),
                "none: the template's header has no variable",
            ));
        }
        None => {}
        Some(needed) => {
            let want_type = match needed {
                HeaderParameter::Text(_) => "text".to_owned(),
                HeaderParameter::Location => "location".to_owned(),
                HeaderParameter::Product => "product".to_owned(),
                HeaderParameter::Media(format) => format.as_str().to_ascii_lowercase(),
            };
            let given_type = header
                .first()
                .and_then(|p| p.get("type"))
                .and_then(Value::as_str)
                .map(str::to_ascii_lowercase);
            if header.len() != 1 || given_type.as_deref() != Some(want_type.as_str()) {
                return Err(invalid(
                    field,
                    describe_params(&header),
                    &format!("one {want_type} parameter"),
                ));
            }
            if let HeaderParameter::Text(ParameterSlot::Named(name)) = needed {
                check_named(&field, &header, std::slice::from_ref(name))?;
            }
        }
    }

    // Body.
    let body = params(of_type("body"));
    let field = format!("{prefix}[body].parameters");
    if body.len() != required.body.len() {
        return Err(invalid(
            field,
            format!("{} parameters", body.len()),
            &format!(
                "{} parameters, one per variable of the template's body",
                required.body.len()
            ),
        ));
    }
    let names: Vec<String> = required
        .body
        .iter()
        .filter_map(|s| match s {
            ParameterSlot::Named(n) => Some(n.clone()),
            ParameterSlot::Positional(_) => None,
        })
        .collect();
    if !names.is_empty() {
        check_named(&field, &body, &names)?;
    }

    // Buttons.
    for needed in &required.buttons {
        let sub_type = needed.kind.as_str().to_ascii_lowercase();
        let field = format!("{prefix}[button index={}]", needed.index);
        let button = components.iter().find(|c| {
            c.get("type")
                .and_then(Value::as_str)
                .is_some_and(|t| t.eq_ignore_ascii_case("button"))
                && button_index(c) == Some(needed.index)
        });
        let Some(button) = button else {
            return Err(ValidationError::new(field, Violation::Missing));
        };
        let given_sub = button
            .get("sub_type")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if !given_sub.eq_ignore_ascii_case(&sub_type) {
            return Err(invalid(
                format!("{field}.sub_type"),
                given_sub,
                &format!("{sub_type}, the type of the template's button"),
            ));
        }
        let n = params(Some(button)).len();
        if n != 1 {
            return Err(invalid(
                format!("{field}.parameters"),
                format!("{n} parameters"),
                "exactly 1 parameter",
            ));
        }
    }
    Ok(())
}

pub(super) fn button_index(component: &Value) -> Option<usize> {
    match component.get("index")? {
        Value::Number(n) => n.as_u64().and_then(|n| usize::try_from(n).ok()),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

pub(super) fn describe_params(params: &[Value]) -> String {
    let types: Vec<&str> = params
        .iter()
        .map(|p| p.get("type").and_then(Value::as_str).unwrap_or("?"))
        .collect();
    format!("{} parameters [{}]", params.len(), types.join(", "))
}

pub(super) fn check_named(
    field: &str,
    params: &[Value],
    names: &[String],
) -> Result<(), ValidationError> {
    let given: BTreeSet<&str> = params
        .iter()
        .filter_map(|p| p.get("parameter_name").and_then(Value::as_str))
        .collect();
    let wanted: BTreeSet<&str> = names.iter().map(String::as_str).collect();
    if given != wanted {
        return Err(invalid(
            field,
            format!(
                "parameter names {:?}",
                given.into_iter().collect::<Vec<_>>()
            ),
            &format!(
                "the template's named parameters {:?}",
                wanted.into_iter().collect::<Vec<_>>()
            ),
        ));
    }
    Ok(())
}
