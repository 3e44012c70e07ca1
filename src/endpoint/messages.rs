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
        ctx.messages_request(self)
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
pub(super) fn parse_send_response<B: AsRef<[u8]>>(
    response: http::Response<B>,
) -> Result<SendResponse, Error> {
    let (parts, body) = response.into_parts();
    let body = body.as_ref();
    let parsed: SendResponse = parse_json(
        "send message response",
        http::Response::from_parts(parts, body),
    )?;
    if parsed.messages.is_empty() {
        return Err(Error::Decode(DecodeError::new(
            "send message response",
            "no accepted message in `messages`",
            body,
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
///
/// A send to a phone number (alone, or with a business-scoped user id) answers with `wa_id` and no
/// `user_id`; a send to a business-scoped user id alone answers with `user_id` and no `wa_id` (older
/// answers had `"wa_id": ""`, read here as absent too).
///
/// ```
/// use whatsapp_cloud::endpoint::messages::SentContact;
/// let bsuid: SentContact = serde_json::from_str(
///     r#"{"input":"US.13491208655302741918","wa_id":"","user_id":"US.13491208655302741918"}"#)?;
/// assert_eq!(bsuid.wa_id, None);
/// assert_eq!(bsuid.user_id.as_ref().map(|u| u.as_str()), Some("US.13491208655302741918"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SentContact {
    /// What was sent: the `to` value, the `recipient` value for a send to a BSUID alone, or the group
    /// id.
    #[serde(default)]
    pub input: String,
    /// The WhatsApp id (may differ from `input`); `None` when the message went to a BSUID alone
    /// (Meta omits it, or sent `""` in older answers).
    #[serde(default, deserialize_with = "blank_as_none")]
    pub wa_id: Option<String>,
    /// The business-scoped user id, when the message went to one alone (`""` means absent).
    #[serde(default, deserialize_with = "blank_user_id_as_none")]
    pub user_id: Option<UserId>,
}

/// `"user_id": ""` means absent, as for `wa_id`.
fn blank_user_id_as_none<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<UserId>, D::Error> {
    Ok(blank_as_none(deserializer)?.map(UserId::from))
}

/// `"wa_id": ""` means absent, as an omitted `wa_id` does; any other value is kept as given.
fn blank_as_none<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<String>, D::Error> {
    Ok(Option::<String>::deserialize(deserializer)?.filter(|s| !s.is_empty()))
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
        ctx.messages_request(self)
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
