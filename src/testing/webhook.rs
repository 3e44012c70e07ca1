//! Realistic webhook deliveries, signed like Meta signs them.
//!
//! ```
//! use whatsapp_cloud::testing::webhook::DeliveryBuilder;
//!
//! let delivery = DeliveryBuilder::new("102290129340398", "106540352242922")
//!     .timestamp(1_764_000_000)
//!     .text("16315551234", "Maria", "Hi! Is my order ready?")
//!     .status("wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI", "delivered", "16315551234")
//!     .build();
//! let (body, signature) = delivery.signed("my-app-secret");
//! assert!(signature.starts_with("sha256="));
//! assert!(std::str::from_utf8(&body).unwrap().contains("Is my order ready?"));
//! ```

use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;
use std::sync::atomic::{AtomicU64, Ordering};

/// Builds one webhook POST body: any number of inbound messages, statuses and other fields.
#[derive(Debug, Clone)]
#[must_use]
pub struct DeliveryBuilder {
    waba_id: String,
    phone_number_id: String,
    display_phone_number: String,
    timestamp: u64,
    contacts: Vec<Value>,
    messages: Vec<Value>,
    statuses: Vec<Value>,
    other_changes: Vec<Value>,
}

/// A built delivery: the body bytes as Meta would POST them (non-ASCII escaped as `\uXXXX`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    body: Vec<u8>,
    message_ids: Vec<String>,
}

impl Delivery {
    /// The body bytes.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The ids of the inbound messages in this delivery, in order.
    pub fn message_ids(&self) -> &[String] {
        &self.message_ids
    }

    /// The body and its `X-Hub-Signature-256` header value for `app_secret`.
    pub fn signed(&self, app_secret: impl AsRef<[u8]>) -> (Vec<u8>, String) {
        (self.body.clone(), sign(app_secret.as_ref(), &self.body))
    }
}

/// Writes every non-ASCII character as `\uXXXX` (surrogate pairs above U+FFFF), as Meta does in the
/// bodies it signs. Outside strings JSON is ASCII, so only string contents change.
fn escape_non_ascii(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        }
    }
    out
}

/// The `X-Hub-Signature-256` value of `body` under `app_secret`: `sha256=` + lower-case hex HMAC.
pub fn sign(app_secret: &[u8], body: &[u8]) -> String {
    // HMAC accepts keys of any length, so `new_from_slice` cannot fail.
    let mut mac = match Hmac::<Sha256>::new_from_slice(app_secret) {
        Ok(mac) => mac,
        Err(_) => unreachable!("HMAC takes keys of any length"),
    };
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

impl DeliveryBuilder {
    /// A delivery for account `waba_id` and business number `phone_number_id`.
    pub fn new(waba_id: impl Into<String>, phone_number_id: impl Into<String>) -> Self {
        Self {
            waba_id: waba_id.into(),
            phone_number_id: phone_number_id.into(),
            display_phone_number: "16315550100".to_owned(),
            timestamp: 1_764_000_000,
            contacts: Vec::new(),
            messages: Vec::new(),
            statuses: Vec::new(),
            other_changes: Vec::new(),
        }
    }

    /// The unix time (seconds) stamped on the items added after this call.
    pub fn timestamp(mut self, unix_seconds: u64) -> Self {
        self.timestamp = unix_seconds;
        self
    }

    /// The business number as displayed.
    pub fn display_phone_number(mut self, number: impl Into<String>) -> Self {
        self.display_phone_number = number.into();
        self
    }

    /// A message id unique within the process, so deliveries built one after the other never look
    /// like redeliveries of each other to a deduplicator.
    fn wamid(&mut self) -> String {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        format!(
            "wamid.HBgLMTYzMTU1NTEyMzQVAgASGBQz{:016X}",
            NEXT.fetch_add(1, Ordering::Relaxed)
        )
    }

    fn contact(&mut self, wa_id: &str, name: &str) {
        if self.contacts.iter().any(|c| c["wa_id"] == wa_id) {
            return;
        }
        let user_id = format!(
            "US.{}",
            1_300_000_000_000_000_000u64 + wa_id.bytes().map(u64::from).sum::<u64>()
        );
        self.contacts
            .push(json!({"profile": {"name": name}, "wa_id": wa_id, "user_id": user_id}));
    }

    /// Adds an inbound message of `message_type` whose type object is `payload`, from `from` (a phone
    /// number) with profile name `name`. `extra` fields (such as `context`) are merged in.
    pub fn message(
        mut self,
        from: &str,
        name: &str,
        message_type: &str,
        payload: Value,
        extra: Value,
    ) -> Self {
        self.contact(from, name);
        let id = self.wamid();
        let mut message = json!({
            "from": from,
            "id": id,
            "timestamp": self.timestamp.to_string(),
            "type": message_type,
        });
        if !payload.is_null() {
            message[message_type] = payload;
        }
        if let (Some(target), Value::Object(extra)) = (message.as_object_mut(), extra) {
            target.extend(extra);
        }
        self.messages.push(message);
        self
    }

    /// A text message.
    pub fn text(self, from: &str, name: &str, body: &str) -> Self {
        self.message(from, name, "text", json!({"body": body}), Value::Null)
    }

    /// A tap on a reply button of an interactive message sent earlier (`context_id`).
    pub fn button_reply(
        self,
        from: &str,
        name: &str,
        context_id: &str,
        id: &str,
        title: &str,
    ) -> Self {
        self.interactive_reply(from, name, context_id, "button_reply", id, title)
    }

    /// A choice of a list row.
    pub fn list_reply(
        self,
        from: &str,
        name: &str,
        context_id: &str,
        id: &str,
        title: &str,
    ) -> Self {
        self.interactive_reply(from, name, context_id, "list_reply", id, title)
    }

    fn interactive_reply(
        self,
        from: &str,
        name: &str,
        context_id: &str,
        kind: &str,
        id: &str,
        title: &str,
    ) -> Self {
        let mut interactive = json!({ "type": kind });
        interactive[kind] = json!({"id": id, "title": title});
        let context =
            json!({"context": {"from": self.display_phone_number.clone(), "id": context_id}});
        self.message(from, name, "interactive", interactive, context)
    }

    /// A tap on a template quick-reply button.
    pub fn quick_reply(
        self,
        from: &str,
        name: &str,
        context_id: &str,
        payload: &str,
        text: &str,
    ) -> Self {
        let context =
            json!({"context": {"from": self.display_phone_number.clone(), "id": context_id}});
        self.message(
            from,
            name,
            "button",
            json!({"payload": payload, "text": text}),
            context,
        )
    }

    /// An image (or `audio`, `video`, `document`, `sticker` through [`DeliveryBuilder::message`]).
    pub fn image(self, from: &str, name: &str, media_id: &str, caption: Option<&str>) -> Self {
        let mut image = json!({"mime_type": "image/jpeg", "sha256": "n5Zx3cqfW7sWwJ0vQ1mZ0gWj7e5yfD2Nq8JfJ4d1kXc=", "id": media_id});
        if let Some(caption) = caption {
            image["caption"] = json!(caption);
        }
        self.message(from, name, "image", image, Value::Null)
    }

    /// A shared location.
    pub fn location(self, from: &str, name: &str, latitude: f64, longitude: f64) -> Self {
        self.message(
            from,
            name,
            "location",
            json!({"latitude": latitude, "longitude": longitude}),
            Value::Null,
        )
    }

    /// A reaction; an empty emoji removes one.
    pub fn reaction(self, from: &str, name: &str, message_id: &str, emoji: &str) -> Self {
        self.message(
            from,
            name,
            "reaction",
            json!({"message_id": message_id, "emoji": emoji}),
            Value::Null,
        )
    }

    /// A text message from a click-to-WhatsApp ad.
    pub fn ad_referral_text(self, from: &str, name: &str, body: &str, ctwa_clid: &str) -> Self {
        self.message(
            from,
            name,
            "text",
            json!({"body": body}),
            json!({"referral": {
                "source_url": "https://fb.me/3cr4Wqqkv",
                "source_id": "120212345678900123",
                "source_type": "ad",
                "body": "Spring bouquets, 20% off",
                "headline": "Chat with us",
                "media_type": "image",
                "image_url": "https://scontent.xx.fbcdn.net/v/t45.1600-4/ad.jpg",
                "ctwa_clid": ctwa_clid
            }}),
        )
    }

    /// A message status: `sent`, `delivered`, `read`, `played` or `failed`.
    pub fn status(mut self, message_id: &str, status: &str, recipient_id: &str) -> Self {
        let mut value = json!({
            "id": message_id,
            "status": status,
            "timestamp": self.timestamp.to_string(),
            "recipient_id": recipient_id,
        });
        if matches!(status, "sent" | "delivered") {
            value["pricing"] = json!({"billable": false, "pricing_model": "PMP", "type": "free_customer_service", "category": "service"});
        }
        self.statuses.push(value);
        self
    }

    /// A failed status with Meta's error `code` and `title`.
    pub fn failed_status(
        mut self,
        message_id: &str,
        recipient_id: &str,
        code: i64,
        title: &str,
        details: &str,
    ) -> Self {
        self.statuses.push(json!({
            "id": message_id,
            "status": "failed",
            "timestamp": self.timestamp.to_string(),
            "recipient_id": recipient_id,
            "errors": [{"code": code, "title": title, "message": title,
                        "error_data": {"details": details},
                        "href": "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/"}]
        }));
        self
    }

    /// A `user_preferences` change: the user stopped (`"stop"`) or resumed (`"resume"`) marketing messages.
    pub fn marketing_preference(mut self, wa_id: &str, name: &str, value: &str) -> Self {
        self.other_changes.push(json!({
            "field": "user_preferences",
            "value": {
                "messaging_product": "whatsapp",
                "metadata": self.metadata(),
                "contacts": [{"profile": {"name": name}, "wa_id": wa_id}],
                "user_preferences": [{
                    "wa_id": wa_id,
                    "detail": "User requested to stop marketing messages",
                    "category": "marketing_messages",
                    "value": value,
                    "timestamp": self.timestamp
                }]
            }
        }));
        self
    }

    /// Any other change (`field` and `value`), as Meta would send it.
    pub fn change(mut self, field: &str, value: Value) -> Self {
        self.other_changes
            .push(json!({"field": field, "value": value}));
        self
    }

    fn metadata(&self) -> Value {
        json!({"display_phone_number": self.display_phone_number, "phone_number_id": self.phone_number_id})
    }

    /// The delivery: messages in one change, statuses in another, then the other changes.
    pub fn build(self) -> Delivery {
        let mut changes = Vec::new();
        let message_ids = self
            .messages
            .iter()
            .filter_map(|m| m["id"].as_str().map(str::to_owned))
            .collect();
        if !self.messages.is_empty() {
            changes.push(json!({"value": {
                "messaging_product": "whatsapp",
                "metadata": self.metadata(),
                "contacts": self.contacts,
                "messages": self.messages
            }, "field": "messages"}));
        }
        if !self.statuses.is_empty() {
            changes.push(json!({"value": {
                "messaging_product": "whatsapp",
                "metadata": self.metadata(),
                "statuses": self.statuses
            }, "field": "messages"}));
        }
        changes.extend(self.other_changes);
        let body = json!({
            "object": "whatsapp_business_account",
            "entry": [{"id": self.waba_id, "changes": changes}]
        });
        Delivery {
            body: escape_non_ascii(&body.to_string()).into_bytes(),
            message_ids,
        }
    }
}
