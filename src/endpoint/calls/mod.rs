//! Call signalling and call permissions of the Calling API (Meta's "Cloud API Calling", "API and
//! Webhook Reference" and "Obtain user call permissions" pages): `POST /<PHONE_NUMBER_ID>/calls`
//! and `GET /<PHONE_NUMBER_ID>/call_permissions`.
//!
//! The crate carries the signalling only (SDP offers and answers as text); the media is yours.
//!
//! - A **business-initiated** call: check [`GetCallPermissions`], then [`ConnectCall`] with your
//!   SDP offer; the user's SDP answer arrives in the `calls` webhook (`connect`).
//! - A **user-initiated** call: the `calls` webhook brings the user's SDP offer; answer with
//!   [`CallAction::pre_accept`] (recommended) then [`CallAction::accept`] with the same SDP answer,
//!   or [`CallAction::reject`]. Start media only after the accept's success.
//! - Either side ends with [`CallAction::terminate`] (needed even after an RTCP BYE).
//!
//! Meta's tables give `sdp_type` `offer` everywhere, but its examples send `answer` for
//! `pre_accept` and `accept`: this crate sends `offer` on `connect` and `answer` on the others.
//!
//! ```
//! use whatsapp_cloud::endpoint::{ApiContext, Endpoint};
//! use whatsapp_cloud::endpoint::calls::{CallAction, ConnectCall};
//! use whatsapp_cloud::Recipient;
//!
//! let ctx = ApiContext::new("token", "106540352242922");
//! let connect = ConnectCall::new(Recipient::phone("14085551234"), "v=0\r\n...");
//! let call_id = connect.send_with(&ctx, |request| {
//!     assert_eq!(request.uri(), "https://graph.facebook.com/v26.0/106540352242922/calls");
//!     http::Response::builder().status(200).body(
//!         br#"{"messaging_product":"whatsapp","calls":[{"id":"wacid.HBgL"}]}"#.to_vec(),
//!     )
//! })?;
//! assert_eq!(call_id, "wacid.HBgL");
//!
//! let end = CallAction::terminate(call_id).to_request(&ctx)?;
//! assert_eq!(
//!     end.body().as_slice(),
//!     br#"{"messaging_product":"whatsapp","call_id":"wacid.HBgL","action":"terminate"}"#
//! );
//! # Ok::<(), whatsapp_cloud::Error>(())
//! ```

mod permissions;

pub use permissions::{
    ActionLimit, CallPermission, CallPermissionAction, CallPermissionActionName,
    CallPermissionStatus, CallPermissions, GetCallPermissions,
};

use super::paging::wire_enum;
use super::phone_numbers::phone_id;
use super::settings::CallCapture;
use super::{ApiContext, Endpoint, Idempotency, Success, parse_json};
use crate::error::{DecodeError, Error, ValidationError, Violation};
use crate::ids::{CallId, PhoneNumberId, Recipient};
use crate::limits;
use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize, Serializer};

wire_enum! {
    /// What a [`CallAction`] does (`action`).
    CallActionKind {
        /// Places a business-initiated call ([`ConnectCall`]).
        Connect = "connect",
        /// Answers a user-initiated call ahead of accepting it, so media can connect sooner.
        PreAccept = "pre_accept",
        /// Accepts a user-initiated call.
        Accept = "accept",
        /// Rejects a user-initiated call.
        Reject = "reject",
        /// Ends a call.
        Terminate = "terminate",
    }
}

/// The SDP of a call action (`session`).
#[derive(Serialize)]
struct Session<'a> {
    sdp_type: &'static str,
    sdp: &'a str,
}

/// An SDP in `Debug` output: its length only, as it carries the session's ICE credentials
/// (`a=ice-pwd`).
struct SdpLength(usize);

impl std::fmt::Debug for SdpLength {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "<SDP of {} bytes>", self.0)
    }
}

impl std::fmt::Debug for ConnectCall {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConnectCall")
            .field("id", &self.id)
            .field("to", &self.to)
            .field("sdp", &SdpLength(self.sdp.len()))
            .field("options", &self.options)
            .finish()
    }
}

impl std::fmt::Debug for CallAction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CallAction")
            .field("id", &self.id)
            .field("call_id", &self.call_id)
            .field("action", &self.action)
            .field("sdp", &self.sdp.as_ref().map(|s| SdpLength(s.len())))
            .field("options", &self.options)
            .finish()
    }
}

/// The options `connect` and `accept` share.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct CallOptions {
    biz_opaque_callback_data: Option<String>,
    recording: Option<CallCapture>,
    transcription: Option<CallCapture>,
}

impl CallOptions {
    fn validate(&self) -> Result<(), ValidationError> {
        if let Some(data) = &self.biz_opaque_callback_data {
            limits::max_chars(
                "biz_opaque_callback_data",
                data,
                limits::BIZ_OPAQUE_CALLBACK_DATA_MAX,
            )?;
        }
        if let Some(recording) = &self.recording {
            recording.validate("recording")?;
        }
        if let Some(transcription) = &self.transcription {
            transcription.validate("transcription")?;
        }
        Ok(())
    }

    fn serialize_into<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
        if let Some(data) = &self.biz_opaque_callback_data {
            map.serialize_entry("biz_opaque_callback_data", data)?;
        }
        if let Some(recording) = &self.recording {
            map.serialize_entry("recording", recording)?;
        }
        if let Some(transcription) = &self.transcription {
            map.serialize_entry("transcription", transcription)?;
        }
        Ok(())
    }
}

macro_rules! call_option_setters {
    () => {
        /// A tracking string (at most 512 characters) echoed in the call's webhooks.
        pub fn biz_opaque_callback_data(mut self, data: impl Into<String>) -> Self {
            self.options.biz_opaque_callback_data = Some(data.into());
            self
        }

        /// Records the call.
        pub fn recording(mut self, recording: CallCapture) -> Self {
            self.options.recording = Some(recording);
            self
        }

        /// Transcribes the call.
        pub fn transcription(mut self, transcription: CallCapture) -> Self {
            self.options.transcription = Some(transcription);
            self
        }
    };
}

/// Checks an SDP: present.
fn sdp(value: &str) -> Result<(), ValidationError> {
    limits::non_blank("session.sdp", value)
}

/// Places a business-initiated call: `POST /<PHONE_NUMBER_ID>/calls` with `action: connect` and
/// the business's SDP offer. Returns the call id.
///
/// The user must have granted call permission (else error 138006): see [`GetCallPermissions`].
/// A phone number goes in `to`, a business-scoped user id in `recipient`; with both, Meta calls
/// the phone number.
#[derive(Clone, PartialEq, Eq)]
#[must_use]
pub struct ConnectCall {
    id: Option<PhoneNumberId>,
    to: Recipient,
    sdp: String,
    options: CallOptions,
}

impl ConnectCall {
    /// Calls `to` with the SDP offer `sdp_offer` (RFC 8866).
    pub fn new(to: impl Into<Recipient>, sdp_offer: impl Into<String>) -> Self {
        Self {
            id: None,
            to: to.into(),
            sdp: sdp_offer.into(),
            options: CallOptions::default(),
        }
    }

    /// From another phone number than the context's.
    pub fn phone_number_id(mut self, id: impl Into<PhoneNumberId>) -> Self {
        self.id = Some(id.into());
        self
    }

    call_option_setters!();

    /// The user called.
    pub fn to(&self) -> &Recipient {
        &self.to
    }

    /// Checks the user (a phone number or business-scoped user id, not a group), the SDP and the
    /// options.
    ///
    /// # Errors
    /// The first [`ValidationError`].
    pub fn validate(&self) -> Result<(), ValidationError> {
        user_fields(&self.to, "to")?;
        sdp(&self.sdp)?;
        self.options.validate()
    }
}

/// Checks that `user` is one user: a phone number and/or a business-scoped user id.
fn user_fields(user: &Recipient, field: &str) -> Result<(), ValidationError> {
    if user.is_group() {
        return Err(limits::invalid(
            field,
            user.as_str(),
            "a user's phone number or business-scoped user id (calls cannot go to a group)",
        ));
    }
    if user.to_field().is_some_and(|to| to.trim().is_empty()) {
        return Err(ValidationError::new(field, Violation::Empty));
    }
    if let Some(user_id) = user.recipient_field() {
        limits::bsuid("recipient", user_id.as_str())?;
    }
    Ok(())
}

impl Serialize for ConnectCall {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("messaging_product", "whatsapp")?;
        if let Some(to) = self.to.to_field() {
            map.serialize_entry("to", to)?;
        }
        if let Some(user_id) = self.to.recipient_field() {
            map.serialize_entry("recipient", user_id)?;
        }
        map.serialize_entry("action", CallActionKind::Connect.as_str())?;
        map.serialize_entry(
            "session",
            &Session {
                sdp_type: "offer",
                sdp: &self.sdp,
            },
        )?;
        self.options.serialize_into(&mut map)?;
        map.end()
    }
}

#[derive(Deserialize)]
struct Connected {
    #[serde(default)]
    calls: Vec<ConnectedCall>,
}

#[derive(Deserialize)]
struct ConnectedCall {
    id: CallId,
}

impl Endpoint for ConnectCall {
    type Output = CallId;

    fn to_request(&self, ctx: &ApiContext) -> Result<http::Request<Vec<u8>>, Error> {
        self.validate()?;
        let url = ctx.url(&[phone_id(ctx, self.id.as_ref())?.as_str(), "calls"])?;
        ctx.json_request(http::Method::POST, &url, self)
    }

    fn parse_response<B: AsRef<[u8]>>(&self, response: http::Response<B>) -> Result<CallId, Error> {
        let body = response.body().as_ref().to_vec();
        let connected: Connected = parse_json("call connect response", response)?;
        connected
            .calls
            .into_iter()
            .next()
            .map(|call| call.id)
            .ok_or_else(|| {
                Error::Decode(DecodeError::new(
                    "call connect response",
                    "`calls` holds no call id",
                    &body,
                ))
            })
    }

    /// A repeated `connect` rings the user again.
    fn idempotency(&self) -> Idempotency {
        Idempotency::NotIdempotent
    }
}

/// An action on a call: pre-accept, accept or reject a user-initiated call, or terminate any
/// call: `POST /<PHONE_NUMBER_ID>/calls` with the call id. Answers `{"success": true}`.
///
/// ```
/// use whatsapp_cloud::endpoint::calls::CallAction;
/// use whatsapp_cloud::endpoint::settings::CallCapture;
/// let accept = CallAction::accept("wacid.HBgL", "v=0\r\n...")
///     .biz_opaque_callback_data("ticket-8812")
///     .recording(CallCapture::enabled("Quality assurance"));
/// assert!(accept.validate().is_ok());
/// // Options belong to `accept` only.
/// assert!(CallAction::reject("wacid.HBgL").biz_opaque_callback_data("x").validate().is_err());
/// ```
#[derive(Clone, PartialEq, Eq)]
#[must_use]
pub struct CallAction {
    id: Option<PhoneNumberId>,
    call_id: CallId,
    action: CallActionKind,
    sdp: Option<String>,
    options: CallOptions,
}

impl CallAction {
    fn with(call_id: impl Into<CallId>, action: CallActionKind, sdp: Option<String>) -> Self {
        Self {
            id: None,
            call_id: call_id.into(),
            action,
            sdp,
            options: CallOptions::default(),
        }
    }

    /// Pre-accepts a user-initiated call with the business's SDP answer, so media can connect
    /// before [`CallAction::accept`] (which must carry the same SDP).
    pub fn pre_accept(call_id: impl Into<CallId>, sdp_answer: impl Into<String>) -> Self {
        Self::with(call_id, CallActionKind::PreAccept, Some(sdp_answer.into()))
    }

    /// Accepts a user-initiated call with the business's SDP answer (about 30 to 60 seconds after
    /// the `connect` webhook at most, else the call ends unanswered).
    pub fn accept(call_id: impl Into<CallId>, sdp_answer: impl Into<String>) -> Self {
        Self::with(call_id, CallActionKind::Accept, Some(sdp_answer.into()))
    }

    /// Rejects a user-initiated call.
    pub fn reject(call_id: impl Into<CallId>) -> Self {
        Self::with(call_id, CallActionKind::Reject, None)
    }

    /// Ends a call.
    pub fn terminate(call_id: impl Into<CallId>) -> Self {
        Self::with(call_id, CallActionKind::Terminate, None)
    }

    /// On another phone number than the context's.
    pub fn phone_number_id(mut self, id: impl Into<PhoneNumberId>) -> Self {
        self.id = Some(id.into());
        self
    }

    call_option_setters!();

    /// The call acted on.
    pub fn call_id(&self) -> &CallId {
        &self.call_id
    }

    /// The action.
    pub fn action(&self) -> &CallActionKind {
        &self.action
    }

    /// Checks the call id, the SDP and the options (accept only).
    ///
    /// # Errors
    /// The first [`ValidationError`].
    pub fn validate(&self) -> Result<(), ValidationError> {
        limits::id_unbounded("call_id", self.call_id.as_str())?;
        if let Some(value) = &self.sdp {
            sdp(value)?;
        }
        if self.action != CallActionKind::Accept {
            let set = [
                (
                    "biz_opaque_callback_data",
                    self.options.biz_opaque_callback_data.is_some(),
                ),
                ("recording", self.options.recording.is_some()),
                ("transcription", self.options.transcription.is_some()),
            ];
            if let Some((field, _)) = set.iter().find(|(_, set)| *set) {
                return Err(limits::invalid(
                    *field,
                    self.action.as_str(),
                    "the accept action (this option is not taken by other call actions)",
                ));
            }
        }
        self.options.validate()
    }
}

impl Serialize for CallAction {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("messaging_product", "whatsapp")?;
        map.serialize_entry("call_id", &self.call_id)?;
        map.serialize_entry("action", self.action.as_str())?;
        if let Some(sdp) = &self.sdp {
            map.serialize_entry(
                "session",
                &Session {
                    sdp_type: "answer",
                    sdp,
                },
            )?;
        }
        self.options.serialize_into(&mut map)?;
        map.end()
    }
}

impl Endpoint for CallAction {
    type Output = Success;

    fn to_request(&self, ctx: &ApiContext) -> Result<http::Request<Vec<u8>>, Error> {
        self.validate()?;
        let url = ctx.url(&[phone_id(ctx, self.id.as_ref())?.as_str(), "calls"])?;
        ctx.json_request(http::Method::POST, &url, self)
    }

    fn parse_response<B: AsRef<[u8]>>(
        &self,
        response: http::Response<B>,
    ) -> Result<Success, Error> {
        parse_json("call action response", response)
    }

    /// Repeating an action on the same call leaves it in the same state.
    fn idempotency(&self) -> Idempotency {
        Idempotency::Idempotent
    }
}

#[cfg(test)]
mod tests;
