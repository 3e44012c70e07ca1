//! What the fake Cloud API records of each message send: [`RecordedMessage`] and its typed
//! [`RecordedKind`].

use serde_json::Value;

/// What a message send carried, as recorded by the fake.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct RecordedMessage {
    /// Who the send went to, as Meta picks it: the `to` field, or the `recipient` field (a
    /// business-scoped user id) when no `to` was sent.
    pub to: String,
    /// The `recipient` field (a business-scoped user id), when sent.
    pub recipient: Option<String>,
    /// The message, typed.
    pub kind: RecordedKind,
    /// `context.message_id`, for replies.
    pub reply_to: Option<String>,
    /// The whole request body.
    pub json: Value,
}

/// The typed content of a recorded send.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum RecordedKind {
    /// A text message.
    Text {
        /// The body.
        body: String,
    },
    /// A template.
    Template {
        /// Its name.
        name: String,
        /// Its language code.
        language: String,
        /// The text of every parameter, in order (header, body, buttons).
        parameters: Vec<String>,
    },
    /// An interactive message.
    Interactive {
        /// `button`, `list`, `cta_url`, `flow`, `location_request_message`, ...
        interactive_type: String,
        /// The body text.
        body: Option<String>,
        /// Reply button ids or list row ids.
        choices: Vec<String>,
    },
    /// Image, audio, video, document or sticker.
    Media {
        /// The media type.
        media_type: String,
        /// The media id or link.
        source: String,
        /// The caption.
        caption: Option<String>,
        /// The document file name.
        filename: Option<String>,
    },
    /// A location.
    Location {
        /// Latitude as sent.
        latitude: Value,
        /// Longitude as sent.
        longitude: Value,
        /// The name.
        name: Option<String>,
    },
    /// A reaction (empty emoji removes it).
    Reaction {
        /// The message reacted to.
        message_id: String,
        /// The emoji.
        emoji: String,
    },
    /// Anything else (contacts, new types): see [`RecordedMessage::json`].
    Other {
        /// The `type` field.
        message_type: String,
    },
}

impl RecordedMessage {
    /// Reads a recorded request body; `None` for bodies that are not message sends.
    pub(super) fn from_json(json: Value) -> Option<Self> {
        let recipient = json
            .get("recipient")
            .and_then(Value::as_str)
            .map(str::to_owned);
        let to = match json.get("to").and_then(Value::as_str) {
            Some(to) => to.to_owned(),
            None => recipient.clone()?,
        };
        let message_type = json
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or("text")
            .to_owned();
        let payload = json.get(&message_type).cloned().unwrap_or(Value::Null);
        let text = |v: &Value, key: &str| v.get(key).and_then(Value::as_str).map(str::to_owned);
        let kind = match message_type.as_str() {
            "text" => RecordedKind::Text {
                body: text(&payload, "body").unwrap_or_default(),
            },
            "template" => RecordedKind::Template {
                name: text(&payload, "name").unwrap_or_default(),
                language: payload
                    .pointer("/language/code")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned(),
                parameters: template_parameters(&payload),
            },
            "interactive" => RecordedKind::Interactive {
                interactive_type: text(&payload, "type").unwrap_or_default(),
                body: payload
                    .pointer("/body/text")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
                choices: interactive_choices(&payload),
            },
            "image" | "audio" | "video" | "document" | "sticker" => RecordedKind::Media {
                media_type: message_type.clone(),
                source: text(&payload, "id")
                    .or_else(|| text(&payload, "link"))
                    .unwrap_or_default(),
                caption: text(&payload, "caption"),
                filename: text(&payload, "filename"),
            },
            "location" => RecordedKind::Location {
                latitude: payload.get("latitude").cloned().unwrap_or(Value::Null),
                longitude: payload.get("longitude").cloned().unwrap_or(Value::Null),
                name: text(&payload, "name"),
            },
            "reaction" => RecordedKind::Reaction {
                message_id: text(&payload, "message_id").unwrap_or_default(),
                emoji: text(&payload, "emoji").unwrap_or_default(),
            },
            _ => RecordedKind::Other {
                message_type: message_type.clone(),
            },
        };
        Some(Self {
            to,
            recipient,
            kind,
            reply_to: json
                .pointer("/context/message_id")
                .and_then(Value::as_str)
                .map(str::to_owned),
            json,
        })
    }
}

fn template_parameters(template: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for component in template
        .get("components")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        for parameter in component
            .get("parameters")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let kind = parameter.get("type").and_then(Value::as_str).unwrap_or("");
            let value = match parameter.get(kind) {
                Some(Value::String(s)) => s.clone(),
                Some(other) => other
                    .get("fallback_value")
                    .or_else(|| other.get("link"))
                    .or_else(|| other.get("id"))
                    .and_then(Value::as_str)
                    .map_or_else(|| other.to_string(), str::to_owned),
                None => String::new(),
            };
            out.push(value);
        }
    }
    out
}

fn interactive_choices(interactive: &Value) -> Vec<String> {
    let action = interactive.get("action").cloned().unwrap_or(Value::Null);
    let mut out = Vec::new();
    for button in action
        .get("buttons")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let Some(id) = button.pointer("/reply/id").and_then(Value::as_str) {
            out.push(id.to_owned());
        }
    }
    for section in action
        .get("sections")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        for row in section
            .get("rows")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(id) = row.get("id").and_then(Value::as_str) {
                out.push(id.to_owned());
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn template_parameters_are_listed_in_order() {
        let t = json!({"name": "x", "components": [
            {"type": "header", "parameters": [{"type": "image", "image": {"link": "https://e.com/a.jpg"}}]},
            {"type": "body", "parameters": [{"type": "text", "text": "Maria"}, {"type": "currency", "currency": {"fallback_value": "$10", "code": "USD", "amount_1000": 10000}}]},
            {"type": "button", "sub_type": "quick_reply", "index": "0", "parameters": [{"type": "payload", "payload": "CONFIRM"}]}
        ]});
        assert_eq!(
            template_parameters(&t),
            vec!["https://e.com/a.jpg", "Maria", "$10", "CONFIRM"]
        );
    }
}
