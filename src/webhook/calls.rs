//! The `calls` field (Meta's "Cloud API Calling" webhooks): a call connecting or ending, and the
//! status of a call the business placed (ringing, accepted, rejected).

use super::lenient::{
    opt_string_any, opt_u64_any, opt_u64_as_string, string_enum, u64_any, u64_as_string,
};
use crate::ids::UserId;
use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

string_enum! {
    /// What happened to a call (`calls[].event`).
    CallEventKind {
        /// The call is ringing: for a user-initiated call, accept or reject it with the SDP offer
        /// of [`Call::session`]; for a business-initiated call, the user's SDP answer.
        Connect = "connect",
        /// The call ended; see [`Call::status`] and [`Call::duration`].
        Terminate = "terminate",
        /// A call was created on a SIP-enabled number.
        CallCreated = "call_created",
        /// The call's recording can be downloaded (for 7 days): see [`Call::call_recording`].
        RecordingAvailable = "call_recording_available",
        /// The call's transcript can be downloaded (for 7 days): see [`Call::call_transcript`].
        TranscriptionAvailable = "call_transcription_available",
    }
}

string_enum! {
    /// Who placed a call (`calls[].direction`).
    CallDirection {
        /// The user called the business (this opens the customer-service window).
        UserInitiated = "USER_INITIATED" | "user_initiated",
        /// The business called the user.
        BusinessInitiated = "BUSINESS_INITIATED" | "business_initiated",
    }
}

string_enum! {
    /// How a call ended (`calls[].status` on `terminate`; Meta has written both cases).
    CallOutcome {
        /// The call was connected and ended normally.
        Completed = "COMPLETED" | "Completed" | "completed",
        /// The call failed or was never answered.
        Failed = "FAILED" | "Failed" | "failed",
    }
}

string_enum! {
    /// The status of a business-initiated call (`statuses[].status` of a `calls` change).
    CallStatusKind {
        /// The user's phone is ringing.
        Ringing = "RINGING" | "ringing",
        /// The user picked up.
        Accepted = "ACCEPTED" | "accepted",
        /// The user declined.
        Rejected = "REJECTED" | "rejected",
    }
}

/// One `calls[]` item: a call connecting (`connect`) or ending (`terminate`).
///
/// A user-initiated call names the caller in `from` / `from_user_id`; a business-initiated one
/// names the callee in `to` / `to_user_id`. Phone numbers are absent for users known only by
/// their business-scoped user id.
///
/// ```
/// use whatsapp_cloud::webhook::{CallEventKind, Event, Payload};
/// let body = br#"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"calls","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550001111","phone_number_id":"2"},"contacts":[{"profile":{"name":"Ana"},"wa_id":"5511987650123","user_id":"BR.60419928374615502213"}],"calls":[{"id":"wacid.A1","from":"5511987650123","to":"15550001111","event":"connect","timestamp":"1767225600","direction":"USER_INITIATED","session":{"sdp_type":"offer","sdp":"v=0"}}]}}]}]}"#;
/// let payload = Payload::from_slice(body)?;
/// for event in payload.events() {
///     if let Event::Call(call) = event {
///         assert_eq!(call.update().event, CallEventKind::Connect);
///         assert!(call.update().is_user_initiated());
///         // Answer with your SDP to the offer in `session`, by the call id.
///         assert_eq!(call.update().id, "wacid.A1");
///         assert_eq!(call.contact().and_then(|c| c.name()), Some("Ana"));
///     }
/// }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Call {
    /// The call id (`wacid.…`): use it to accept, reject or end the call.
    pub id: String,
    /// The caller's phone number (the business number on business-initiated calls).
    #[serde(default, deserialize_with = "opt_string_any")]
    pub from: Option<String>,
    /// The caller's business-scoped user id (user-initiated calls).
    #[serde(default)]
    pub from_user_id: Option<UserId>,
    /// The caller's parent business-scoped user id, when the portfolio is enrolled.
    #[serde(default)]
    pub from_parent_user_id: Option<String>,
    /// The callee's phone number (the business number on user-initiated calls).
    #[serde(default, deserialize_with = "opt_string_any")]
    pub to: Option<String>,
    /// The callee's business-scoped user id (business-initiated calls).
    #[serde(default)]
    pub to_user_id: Option<UserId>,
    /// The callee's parent business-scoped user id, when the portfolio is enrolled.
    #[serde(default)]
    pub to_parent_user_id: Option<String>,
    /// `connect` or `terminate`.
    pub event: CallEventKind,
    /// When it happened, in unix seconds (Meta sends a string).
    #[serde(deserialize_with = "u64_any", serialize_with = "u64_as_string")]
    pub timestamp: u64,
    /// Who placed the call.
    #[serde(default)]
    pub direction: Option<CallDirection>,
    /// The SDP offer (user-initiated) or answer (business-initiated), on `connect`.
    #[serde(default)]
    pub session: Option<CallSession>,
    /// The tracking string the business set when it placed or accepted the call.
    #[serde(default)]
    pub biz_opaque_callback_data: Option<String>,
    /// The payload of the call button the user tapped to call.
    #[serde(default)]
    pub cta_payload: Option<String>,
    /// The payload of the call deep link the user opened to call.
    #[serde(default)]
    pub deeplink_payload: Option<String>,
    /// How the call ended, on `terminate`.
    #[serde(default)]
    pub status: Option<CallOutcome>,
    /// When the call was connected (unix seconds), on `terminate` of a connected call.
    #[serde(
        default,
        deserialize_with = "opt_u64_any",
        serialize_with = "opt_u64_as_string"
    )]
    pub start_time: Option<u64>,
    /// When the call ended (unix seconds), on `terminate` of a connected call.
    #[serde(
        default,
        deserialize_with = "opt_u64_any",
        serialize_with = "opt_u64_as_string"
    )]
    pub end_time: Option<u64>,
    /// How long the call lasted, in seconds, on `terminate` of a connected call.
    #[serde(default, deserialize_with = "opt_u64_any")]
    pub duration: Option<u64>,
    /// The recording, on `call_recording_available`.
    #[serde(default)]
    pub call_recording: Option<CallRecording>,
    /// The transcript, on `call_transcription_available`.
    #[serde(default)]
    pub call_transcript: Option<CallTranscript>,
}

/// A call's recording (`call_recording`): download the audio by its media id.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CallRecording {
    /// The kind of recording (`audio`).
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
    /// The audio file.
    #[serde(default)]
    pub audio: Option<CallMedia>,
}

/// A call's transcript (`call_transcript`): a JSON document to download by its media id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CallTranscript {
    /// The transcript file (`application/json`).
    #[serde(default)]
    pub document: Option<CallMedia>,
}

/// A downloadable file of a call (a recording or a transcript), kept by Meta for 7 days.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CallMedia {
    /// The media id to download it by.
    #[serde(default, deserialize_with = "opt_string_any")]
    pub id: Option<String>,
    /// Its SHA-256.
    #[serde(default)]
    pub sha256: Option<String>,
    /// Its MIME type.
    #[serde(default)]
    pub mime_type: Option<String>,
    /// Its download URL, when given.
    #[serde(default)]
    pub url: Option<String>,
}

impl Call {
    /// True when the user placed the call.
    pub fn is_user_initiated(&self) -> bool {
        self.direction == Some(CallDirection::UserInitiated)
    }

    /// The user's phone number: the caller on user-initiated calls, the callee otherwise.
    pub fn user_phone(&self) -> Option<&str> {
        if self.is_user_initiated() {
            self.from.as_deref()
        } else {
            self.to.as_deref()
        }
        .filter(|p| !p.is_empty())
    }

    /// The user's business-scoped user id, when the call carries it (see [`Call::user_phone`]).
    pub fn user_id(&self) -> Option<&UserId> {
        if self.is_user_initiated() {
            self.from_user_id.as_ref()
        } else {
            self.to_user_id.as_ref()
        }
    }
}

/// The SDP of a connecting call (`calls[].session`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CallSession {
    /// `offer` (user-initiated calls) or `answer` (business-initiated calls).
    pub sdp_type: String,
    /// The session description (RFC 8866).
    pub sdp: String,
}

/// One `statuses[]` item of a `calls` change: how a business-initiated call is going.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CallStatus {
    /// The call id (`wacid.…`).
    pub id: String,
    /// The item type (`call`).
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
    /// Ringing, accepted or rejected.
    pub status: CallStatusKind,
    /// When, in unix seconds (Meta sends a string).
    #[serde(deserialize_with = "u64_any", serialize_with = "u64_as_string")]
    pub timestamp: u64,
    /// The callee's phone number; absent for users known only by their business-scoped user id.
    #[serde(default, deserialize_with = "opt_string_any")]
    pub recipient_id: Option<String>,
    /// The callee's business-scoped user id.
    #[serde(default)]
    pub recipient_user_id: Option<UserId>,
    /// The callee's parent business-scoped user id, when the portfolio is enrolled.
    #[serde(default)]
    pub recipient_parent_user_id: Option<String>,
    /// The tracking string the business set when it placed the call.
    #[serde(default)]
    pub biz_opaque_callback_data: Option<String>,
}

impl CallStatus {
    /// The callee's phone number, unless absent or empty.
    pub fn recipient_phone(&self) -> Option<&str> {
        self.recipient_id.as_deref().filter(|p| !p.is_empty())
    }
}
