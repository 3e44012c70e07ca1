//! Sending messages: `POST /<PHONE_NUMBER_ID>/messages` for a [`SendMessage`] and a [`MarkAsRead`],
//! and Meta's answer to a send ([`SendResponse`]).
//!
//! The message model itself (content types, builders, validation) lives in [`crate::message`]; this
//! module turns it into requests.

use super::{ApiContext, Endpoint, Idempotency, Success, parse_json};
use crate::error::{DecodeError, Error};
use crate::ids::{MessageId, Recipient, UserId};
use crate::message::{MarkAsRead, Message, SendMessage};
use serde::{Deserialize, Serialize, Serializer};
use serde_with::skip_serializing_none;

impl Endpoint for SendMessage {
    type Output = SendResponse;

    fn to_request(&self, ctx: &ApiContext) -> Result<http::Request<Vec<u8>>, Error> {
        self.validate()?;
        let url = ctx.url(&[ctx.require_phone_number_id()?.as_str(), "messages"])?;
        ctx.json_request(http::Method::POST, &url, self)
    }

    fn recipient(&self) -> Option<&Recipient> {
        Some(self.recipient())
    }

    fn outgoing(&self) -> Option<crate::policy::Outgoing<'_>> {
        Some(match self.message() {
            Message::Template(t) => crate::policy::Outgoing::Template {
                name: t.name(),
                marketing: t.is_marketing(),
            },
            _ => crate::policy::Outgoing::FreeForm,
        })
    }

    fn parse_response<B: AsRef<[u8]>>(
        &self,
        response: http::Response<B>,
    ) -> Result<SendResponse, Error> {
        parse_send_response(response)
    }
}

/// Parses a send answer: a 2xx body without an accepted message (say, `{}` from a proxy) is a
/// decode error, never a silent success.
fn parse_send_response<B: AsRef<[u8]>>(response: http::Response<B>) -> Result<SendResponse, Error> {
    let body = response.body().as_ref().to_vec();
    let parsed: SendResponse = parse_json("send message response", response)?;
    if parsed.messages.is_empty() {
        return Err(Error::Decode(DecodeError::new(
            "send message response",
            "no accepted message in `messages`",
            &body,
        )));
    }
    Ok(parsed)
}

/// Meta's answer to a send: the message was *accepted*, not yet delivered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SendResponse {
    /// Always `whatsapp`.
    #[serde(default)]
    pub messaging_product: String,
    /// The recipients as Meta resolved them.
    #[serde(default)]
    pub contacts: Vec<SentContact>,
    /// The accepted messages (never empty in a parsed response).
    pub messages: Vec<SentMessage>,
}

impl SendResponse {
    /// The id of the (first) accepted message.
    pub fn message_id(&self) -> Option<&MessageId> {
        self.messages.first().map(|m| &m.id)
    }
}

/// A recipient in a send response.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SentContact {
    /// What was sent in `to`.
    #[serde(default)]
    pub input: String,
    /// The WhatsApp id: may differ from `input`, and is `""` when the message went to a BSUID.
    #[serde(default)]
    pub wa_id: String,
    /// The business-scoped user id, when the message went to one.
    #[serde(default)]
    pub user_id: Option<UserId>,
}

/// An accepted message in a send response.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SentMessage {
    /// The message id, echoed in status webhooks.
    pub id: MessageId,
    /// The group, for group messages.
    #[serde(default)]
    pub group_id: Option<String>,
    /// Template pacing state.
    #[serde(default)]
    pub message_status: Option<AcceptedStatus>,
}

/// `messages[].message_status` of a template send.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AcceptedStatus {
    /// Accepted for delivery.
    Accepted,
    /// Held while Meta assesses the template's quality (pacing).
    HeldForQualityAssessment,
    /// The template is paused.
    Paused,
    /// A value this version does not know.
    Unknown(String),
}

impl AcceptedStatus {
    /// The wire value.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Accepted => "accepted",
            Self::HeldForQualityAssessment => "held_for_quality_assessment",
            Self::Paused => "paused",
            Self::Unknown(s) => s,
        }
    }
}

impl Serialize for AcceptedStatus {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for AcceptedStatus {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        Ok(match s.as_str() {
            "accepted" => Self::Accepted,
            "held_for_quality_assessment" => Self::HeldForQualityAssessment,
            "paused" => Self::Paused,
            _ => Self::Unknown(s),
        })
    }
}

impl Endpoint for MarkAsRead {
    type Output = Success;

    fn to_request(&self, ctx: &ApiContext) -> Result<http::Request<Vec<u8>>, Error> {
        self.validate()?;
        let url = ctx.url(&[ctx.require_phone_number_id()?.as_str(), "messages"])?;
        ctx.json_request(http::Method::POST, &url, self)
    }

    fn parse_response<B: AsRef<[u8]>>(
        &self,
        response: http::Response<B>,
    ) -> Result<Success, Error> {
        let body = response.body().as_ref().to_vec();
        let success: Success = parse_json("mark as read response", response)?;
        if !success.success {
            return Err(Error::Decode(DecodeError::new(
                "mark as read response",
                "Meta answered success: false",
                &body,
            )));
        }
        Ok(success)
    }

    fn idempotency(&self) -> Idempotency {
        // Marking the same message read twice has the same effect as once.
        Idempotency::Idempotent
    }
}
