//! Call permission lookup: `GET /<PHONE_NUMBER_ID>/call_permissions` (Meta's "Obtain user call
//! permissions" page).

use super::user_fields;
use crate::endpoint::paging::wire_enum;
use crate::endpoint::phone_numbers::phone_id;
use crate::endpoint::{ApiContext, Endpoint, Idempotency, parse_json};
use crate::error::Error;
use crate::ids::{PhoneNumberId, Recipient};
use crate::webhook::lenient::{opt_u64_any, u64_any};
use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

wire_enum! {
    /// Whether the business may call the user (`permission.status`).
    CallPermissionStatus {
        /// No permission: send a call permission request first.
        NoPermission = "no_permission",
        /// Permission until `expiration_time` (7 days).
        Temporary = "temporary",
        /// Permission without expiry.
        Permanent = "permanent",
    }
}

wire_enum! {
    /// An action whose limits the lookup reports (`actions[].action_name`).
    CallPermissionActionName {
        /// Sending a call permission request.
        SendCallPermissionRequest = "send_call_permission_request",
        /// Placing a call.
        StartCall = "start_call",
    }
}

/// Reads whether the business may call a user, and what it may still do today:
/// `GET /<PHONE_NUMBER_ID>/call_permissions?user_wa_id=<phone>` (or `?recipient=<BSUID>`).
///
/// Meta allows about 5 lookups a second per number.
///
/// ```
/// use whatsapp_cloud::endpoint::{ApiContext, Endpoint};
/// use whatsapp_cloud::endpoint::calls::{CallPermissionStatus, GetCallPermissions};
/// use whatsapp_cloud::Recipient;
///
/// let ctx = ApiContext::new("token", "106540352242922");
/// let lookup = GetCallPermissions::new(Recipient::phone("14085551234"));
/// let permissions = lookup.send_with(&ctx, |request| {
///     assert_eq!(request.uri().query(), Some("user_wa_id=14085551234"));
///     http::Response::builder().status(200).body(br#"{"messaging_product":"whatsapp",
///         "permission":{"status":"temporary","expiration_time":1745343479},
///         "actions":[{"action_name":"start_call","can_perform_action":true,
///           "limits":[{"time_period":"PT24H","max_allowed":100,"current_usage":2}]}]}"#.to_vec())
/// })?;
/// assert_eq!(permissions.permission.status, CallPermissionStatus::Temporary);
/// assert!(permissions.can_start_call());
/// assert_eq!(permissions.actions[0].limits[0].period_seconds(), Some(86_400));
/// # Ok::<(), whatsapp_cloud::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct GetCallPermissions {
    id: Option<PhoneNumberId>,
    user: Recipient,
}

impl GetCallPermissions {
    /// Looks up `user`: by phone number (`user_wa_id`), else by business-scoped user id
    /// (`recipient`).
    pub fn new(user: impl Into<Recipient>) -> Self {
        Self {
            id: None,
            user: user.into(),
        }
    }

    /// For another phone number than the context's.
    pub fn phone_number_id(mut self, id: impl Into<PhoneNumberId>) -> Self {
        self.id = Some(id.into());
        self
    }
}

impl Endpoint for GetCallPermissions {
    type Output = CallPermissions;

    fn to_request(&self, ctx: &ApiContext) -> Result<http::Request<Vec<u8>>, Error> {
        user_fields(&self.user, "user_wa_id")?;
        let mut url = ctx.url(&[
            phone_id(ctx, self.id.as_ref())?.as_str(),
            "call_permissions",
        ])?;
        // A phone number wins, as `to` does on a connect.
        let (key, value) = match (self.user.phone_number(), self.user.recipient_field()) {
            (Some(phone), _) => ("user_wa_id", phone),
            (None, Some(user_id)) => ("recipient", user_id.as_str()),
            (None, None) => ("user_wa_id", ""),
        };
        url.query_pairs_mut().append_pair(key, value);
        ctx.empty_request(http::Method::GET, &url)
    }

    fn parse_response<B: AsRef<[u8]>>(
        &self,
        response: http::Response<B>,
    ) -> Result<CallPermissions, Error> {
        parse_json("call permissions", response)
    }

    fn idempotency(&self) -> Idempotency {
        Idempotency::Idempotent
    }
}

/// The answer of [`GetCallPermissions`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CallPermissions {
    /// The permission.
    pub permission: CallPermission,
    /// What the business may still do, with the limits that apply.
    #[serde(default)]
    pub actions: Vec<CallPermissionAction>,
}

impl CallPermissions {
    /// The action named `name`, if reported.
    pub fn action(&self, name: &CallPermissionActionName) -> Option<&CallPermissionAction> {
        self.actions.iter().find(|a| &a.action_name == name)
    }

    /// True when Meta says a call may be placed now (`start_call` can be performed).
    pub fn can_start_call(&self) -> bool {
        self.action(&CallPermissionActionName::StartCall)
            .is_some_and(|a| a.can_perform_action)
    }

    /// True when Meta says a call permission request may be sent now.
    pub fn can_request_permission(&self) -> bool {
        self.action(&CallPermissionActionName::SendCallPermissionRequest)
            .is_some_and(|a| a.can_perform_action)
    }
}

/// A user's call permission (`permission`).
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CallPermission {
    /// None, temporary or permanent.
    pub status: CallPermissionStatus,
    /// When a temporary permission ends (unix seconds).
    #[serde(default, deserialize_with = "opt_u64_any")]
    pub expiration_time: Option<u64>,
}

/// One action and its limits (`actions[]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CallPermissionAction {
    /// The action.
    pub action_name: CallPermissionActionName,
    /// Whether it may be done now.
    pub can_perform_action: bool,
    /// Its limits.
    #[serde(default)]
    pub limits: Vec<ActionLimit>,
}

/// A limit on an action (`limits[]`).
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ActionLimit {
    /// The period, as an ISO 8601 duration such as `PT24H` or `P7D`.
    pub time_period: String,
    /// How many are allowed in the period.
    #[serde(deserialize_with = "u64_any")]
    pub max_allowed: u64,
    /// How many were used.
    #[serde(deserialize_with = "u64_any")]
    pub current_usage: u64,
    /// When the limit resets (unix seconds), when reached.
    #[serde(default, deserialize_with = "opt_u64_any")]
    pub limit_expiration_time: Option<u64>,
}

impl ActionLimit {
    /// The period in seconds, for the week, day, hour, minute and second forms of ISO 8601
    /// (`PT24H`, `P7D`, `P1W`, `P1DT12H`); `None` for years or months, whose length varies, or
    /// for text that is not a duration.
    ///
    /// ```
    /// use whatsapp_cloud::endpoint::calls::ActionLimit;
    /// assert_eq!(ActionLimit::parse_period("PT24H"), Some(86_400));
    /// assert_eq!(ActionLimit::parse_period("P7D"), Some(604_800));
    /// assert_eq!(ActionLimit::parse_period("P1M"), None);
    /// ```
    pub fn period_seconds(&self) -> Option<u64> {
        Self::parse_period(&self.time_period)
    }

    /// [`ActionLimit::period_seconds`] of any text.
    pub fn parse_period(period: &str) -> Option<u64> {
        let rest = period.strip_prefix('P')?;
        let (date, time) = match rest.split_once('T') {
            Some((date, time)) if !time.is_empty() => (date, time),
            Some(_) => return None,
            None => (rest, ""),
        };
        let date = units(date, &[('W', 604_800), ('D', 86_400)])?;
        let time = units(time, &[('H', 3_600), ('M', 60), ('S', 1)])?;
        if rest.is_empty() {
            return None;
        }
        date.checked_add(time)
    }
}

/// The seconds of `<n><unit>...` with the units in the given order, each at most once.
fn units(text: &str, allowed: &[(char, u64)]) -> Option<u64> {
    let mut total = 0u64;
    let mut number = String::new();
    let mut next = 0;
    for c in text.chars() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let position = allowed[next..].iter().position(|(unit, _)| *unit == c)?;
        let (_, seconds) = allowed[next + position];
        next += position + 1;
        let n: u64 = number.parse().ok()?;
        number.clear();
        total = total.checked_add(n.checked_mul(seconds)?)?;
    }
    number.is_empty().then_some(total)
}
