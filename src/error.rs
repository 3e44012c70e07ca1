//! Errors: one [`Error`] type for every failure, and Meta's Graph error object with its classification.

use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;
use std::fmt;
use std::time::Duration;

// Calling API error kinds (138000-138023).
mod calling;
pub use calling::CallingErrorKind;

/// Everything that can go wrong in this crate.
///
/// Match on the variant for the broad cause, and use the helpers ([`Error::api`],
/// [`Error::is_retryable`], [`Error::may_have_been_sent`]) for decisions that look through retries.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The client or request was configured wrongly (missing token, bad URL, missing account id).
    #[error("configuration error: {0}")]
    Config(String),
    /// A message or request broke one of Meta's limits; nothing was sent.
    #[error(transparent)]
    Validation(#[from] ValidationError),
    /// The request could not be carried (DNS, connect, TLS, reset).
    #[error(transparent)]
    Transport(#[from] TransportError),
    /// No response came in time.
    #[error(transparent)]
    Timeout(#[from] TimeoutError),
    /// Meta answered with an error.
    #[error(transparent)]
    Api(#[from] Box<ApiError>),
    /// Meta answered with success, but the body was not what its documentation promises.
    #[error(transparent)]
    Decode(#[from] DecodeError),
    /// Every attempt failed; the last error is first-class and every earlier cause is kept.
    #[error(transparent)]
    RetriesExhausted(#[from] Box<RetriesExhausted>),
    /// A local rule refused the send before the network (closed 24-hour window, opted-out user).
    #[error(transparent)]
    Refused(#[from] Refusal),
    /// Reading or writing local data (a media file, a download target) failed.
    #[error("I/O error: {0}")]
    Io(#[from] std::io::Error),
}

impl From<ApiError> for Error {
    fn from(value: ApiError) -> Self {
        Error::Api(Box::new(value))
    }
}

impl Error {
    /// The final error once retries are looked through.
    pub fn last(&self) -> &Error {
        match self {
            Error::RetriesExhausted(r) => r.last(),
            other => other,
        }
    }

    /// Meta's error, if the (last) failure was one.
    pub fn api(&self) -> Option<&ApiError> {
        match self.last() {
            Error::Api(api) => Some(api),
            _ => None,
        }
    }

    /// The classification of Meta's error, if the (last) failure was one.
    pub fn class(&self) -> Option<ErrorClass> {
        self.api().map(ApiError::class)
    }

    /// True when trying again later can succeed: rate limits, transient Meta errors, timeouts before
    /// the request was sent, connection failures.
    pub fn is_retryable(&self) -> bool {
        match self.last() {
            Error::Api(api) => api.class().is_retryable(),
            Error::Transport(t) => !t.may_have_been_sent,
            Error::Timeout(t) => !t.may_have_been_sent,
            _ => false,
        }
    }

    /// True when the request may have reached Meta although no answer came back: a message may
    /// already be on its way, so resending it could deliver it twice.
    pub fn may_have_been_sent(&self) -> bool {
        match self {
            Error::Transport(t) => t.may_have_been_sent,
            Error::Timeout(t) => t.may_have_been_sent,
            Error::RetriesExhausted(r) => r.attempts().iter().any(Error::may_have_been_sent),
            _ => false,
        }
    }

    pub(crate) fn config(message: impl Into<String>) -> Self {
        Error::Config(message.into())
    }
}

/// A message or request that breaks one of Meta's documented limits.
///
/// The error names the field (a JSON path such as `interactive.action.buttons[1].reply.title`), the
/// limit and the value that broke it.
///
/// ```
/// use whatsapp_cloud::error::{ValidationError, Violation};
/// let e = ValidationError::new("text.body", Violation::TooLong { max: 4096, actual: 4097 });
/// assert_eq!(e.to_string(), "text.body is 4097 characters long, the limit is 4096");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field} {violation}")]
#[non_exhaustive]
pub struct ValidationError {
    /// The JSON path of the offending field.
    pub field: String,
    /// What is wrong with it.
    pub violation: Violation,
}

impl ValidationError {
    /// A validation error on `field`.
    pub fn new(field: impl Into<String>, violation: Violation) -> Self {
        Self {
            field: field.into(),
            violation,
        }
    }
}

/// How a value breaks a limit.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Violation {
    /// Longer than allowed, in Unicode scalar values (characters).
    TooLong {
        /// The limit.
        max: usize,
        /// The length found.
        actual: usize,
    },
    /// Empty (or only whitespace) where a value is required.
    Empty,
    /// Missing where it is required.
    Missing,
    /// More items than allowed.
    TooMany {
        /// The limit.
        max: usize,
        /// The count found.
        actual: usize,
    },
    /// Fewer items than required.
    TooFew {
        /// The minimum.
        min: usize,
        /// The count found.
        actual: usize,
    },
    /// A value that must be unique appears twice.
    Duplicate {
        /// The repeated value.
        value: String,
    },
    /// Leading or trailing whitespace where Meta forbids it.
    SurroundingWhitespace {
        /// The value as given.
        value: String,
    },
    /// A number outside its range.
    OutOfRange {
        /// Smallest allowed.
        min: i64,
        /// Largest allowed.
        max: i64,
        /// The value found.
        actual: i64,
    },
    /// Both of two mutually exclusive fields, or neither of two where one is required.
    ExactlyOneOf {
        /// The alternatives.
        fields: Vec<String>,
        /// How many were set.
        set: usize,
    },
    /// A value with the wrong format.
    Invalid {
        /// The value as given (shortened when very long).
        value: String,
        /// What was expected.
        expected: String,
    },
    /// The message cannot go to this business-scoped user id alone: an authentication template with
    /// a one-tap, zero-tap or copy-code button, which Meta refuses with error 131062. Send it to the
    /// user's phone number.
    UserIdNotSupported {
        /// The business-scoped user id addressed.
        user_id: String,
    },
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Violation::TooLong { max, actual } => {
                write!(f, "is {actual} characters long, the limit is {max}")
            }
            Violation::Empty => f.write_str("must not be empty"),
            Violation::Missing => f.write_str("is required"),
            Violation::TooMany { max, actual } => {
                write!(f, "has {actual} items, the limit is {max}")
            }
            Violation::TooFew { min, actual } => {
                write!(f, "has {actual} items, at least {min} required")
            }
            Violation::Duplicate { value } => write!(f, "must be unique, {value:?} appears twice"),
            Violation::SurroundingWhitespace { value } => {
                write!(f, "must not start or end with whitespace: {value:?}")
            }
            Violation::OutOfRange { min, max, actual } => {
                write!(f, "is {actual}, allowed range is {min} to {max}")
            }
            Violation::ExactlyOneOf { fields, set } => {
                write!(
                    f,
                    "needs exactly one of {}, {set} given",
                    fields.join(" or ")
                )
            }
            Violation::Invalid { value, expected } => {
                write!(f, "is {value:?}, expected {expected}")
            }
            Violation::UserIdNotSupported { user_id } => write!(
                f,
                "is the business-scoped user id {user_id:?} alone, which cannot receive this \
                 message (Meta error 131062): send it to the user's phone number"
            ),
        }
    }
}

/// The request could not be carried to Meta or the response could not be read.
#[derive(Debug, thiserror::Error)]
#[error("transport error: {message}{}", if *.may_have_been_sent { " (the request may have reached Meta)" } else { "" })]
#[non_exhaustive]
pub struct TransportError {
    /// What failed, without any secret.
    pub message: String,
    /// False only when the failure happened before the request left (connect, DNS, TLS).
    pub may_have_been_sent: bool,
    /// The underlying error.
    #[source]
    pub source: Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
}

impl TransportError {
    /// A transport failure with its cause.
    pub fn new(
        message: impl Into<String>,
        may_have_been_sent: bool,
        source: Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
    ) -> Self {
        Self {
            message: message.into(),
            may_have_been_sent,
            source,
        }
    }
}

/// No response came within the configured timeout.
#[derive(Debug, Clone, thiserror::Error)]
#[error("request timed out after {elapsed:?}{}", if *.may_have_been_sent { "; the request may have reached Meta" } else { "" })]
#[non_exhaustive]
pub struct TimeoutError {
    /// How long was waited.
    pub elapsed: Duration,
    /// True when the request body had been sent: a message may be delivered although no answer came.
    pub may_have_been_sent: bool,
}

impl TimeoutError {
    /// A timeout after `elapsed`.
    pub fn new(elapsed: Duration, may_have_been_sent: bool) -> Self {
        Self {
            elapsed,
            may_have_been_sent,
        }
    }
}

/// A successful response whose body did not have the documented shape.
#[derive(Debug, thiserror::Error)]
#[error("could not decode {what}: {message} (body starts: {snippet:?})")]
#[non_exhaustive]
pub struct DecodeError {
    /// What was being decoded.
    pub what: &'static str,
    /// The decoder's message.
    pub message: String,
    /// The start of the body.
    pub snippet: String,
}

impl DecodeError {
    /// A decode failure of `what` in `body`.
    pub fn new(what: &'static str, message: impl Into<String>, body: &[u8]) -> Self {
        Self {
            what,
            message: message.into(),
            snippet: snippet(body),
        }
    }
}

/// Every attempt of a retried request failed.
#[derive(Debug, thiserror::Error)]
#[error("{} attempts failed; last: {}", .attempts.len(), self.last())]
#[non_exhaustive]
pub struct RetriesExhausted {
    /// Every attempt's error, oldest first. Never empty.
    attempts: Vec<Error>,
}

impl RetriesExhausted {
    /// Wraps the failures of every attempt, oldest first. Returns the only error unwrapped when there
    /// was a single attempt.
    pub fn wrap(mut attempts: Vec<Error>) -> Error {
        match attempts.len() {
            0 => Error::config("internal: no attempt was made"),
            1 => attempts.remove(0),
            _ => Error::RetriesExhausted(Box::new(Self { attempts })),
        }
    }

    /// Every attempt's error, oldest first.
    pub fn attempts(&self) -> &[Error] {
        &self.attempts
    }

    /// The last attempt's error.
    pub fn last(&self) -> &Error {
        // `wrap` never builds an empty list.
        &self.attempts[self.attempts.len() - 1]
    }
}

/// A send refused by a local rule before it reached the network.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Refusal {
    /// The user's 24-hour customer-service window is closed: only a template can be sent.
    #[error(
        "the 24-hour customer service window for {recipient} is closed; send a template message instead"
    )]
    WindowClosed {
        /// The recipient.
        recipient: String,
    },
    /// The user opted out of marketing messages.
    #[error(
        "{recipient} opted out of marketing messages; marketing template {template:?} not sent"
    )]
    OptedOut {
        /// The recipient.
        recipient: String,
        /// The template refused.
        template: String,
    },
    /// The user's window could not be read (the window tracker failed), so a free-form message was
    /// not sent; see `SendGuard::allow_free_form_on_window_error` in `policy`.
    #[error(
        "the 24-hour customer service window for {recipient} could not be read ({reason}); free-form message not sent"
    )]
    WindowUnavailable {
        /// The recipient.
        recipient: String,
        /// The store's error and its causes.
        reason: String,
    },
    /// The user's opt-out could not be read (the opt-out store failed), so a marketing template was
    /// not sent.
    #[error(
        "the marketing opt-out of {recipient} could not be read ({reason}); marketing template {template:?} not sent"
    )]
    OptOutUnavailable {
        /// The recipient.
        recipient: String,
        /// The template refused.
        template: String,
        /// The store's error and its causes.
        reason: String,
    },
}

/// Meta answered with an error status.
///
/// Carries everything Meta sent: the HTTP status, the Graph error object (when the body was one),
/// the raw body, and the `Retry-After` header when present.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub struct ApiError {
    /// The HTTP status.
    pub status: u16,
    /// The Graph error object, when the body was `{"error": {...}}`.
    pub error: Option<ErrorObject>,
    /// The body as received (lossy UTF-8), for logs and support tickets.
    pub raw_body: String,
    /// The `Retry-After` header, when Meta (or a proxy) sent one.
    pub retry_after: Option<Duration>,
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.error {
            Some(e) => {
                write!(
                    f,
                    "WhatsApp API error {} (HTTP {}): {}",
                    e.code, self.status, e.message
                )?;
                if let Some(details) = e.details() {
                    write!(f, " ({details})")?;
                }
                if let Some(trace) = &e.fbtrace_id {
                    write!(f, " [fbtrace_id {trace}]")?;
                }
                Ok(())
            }
            None => write!(
                f,
                "WhatsApp API returned HTTP {} with a body that is not a Graph error: {:?}",
                self.status,
                snippet(self.raw_body.as_bytes())
            ),
        }
    }
}

impl ApiError {
    /// Builds the error from a non-success response.
    pub fn from_response(status: u16, retry_after: Option<Duration>, body: &[u8]) -> Self {
        #[derive(Deserialize)]
        struct Envelope {
            error: ErrorObject,
        }
        let error = serde_json::from_slice::<Envelope>(body)
            .ok()
            .map(|e| e.error);
        Self {
            status,
            error,
            raw_body: String::from_utf8_lossy(body).into_owned(),
            retry_after,
        }
    }

    /// Meta's error code, when the body was a Graph error.
    pub fn code(&self) -> Option<i64> {
        self.error.as_ref().map(|e| e.code)
    }

    /// Meta's error subcode (deprecated by Meta, still sent).
    pub fn subcode(&self) -> Option<i64> {
        self.error.as_ref().and_then(|e| e.error_subcode)
    }

    /// `error_data.details`, the most specific explanation Meta gives.
    pub fn details(&self) -> Option<&str> {
        self.error.as_ref().and_then(ErrorObject::details)
    }

    /// The classification of this error; without a Graph body it follows the HTTP status.
    pub fn class(&self) -> ErrorClass {
        match &self.error {
            Some(e) => e.class(),
            None => match self.status {
                429 => ErrorClass::RateLimited(RateLimit::Throughput),
                401 => ErrorClass::AuthInvalid,
                500..=599 => ErrorClass::Transient,
                _ => ErrorClass::Other,
            },
        }
    }
}

/// Meta's error object, as found in API error responses and in webhooks (failed statuses, value-level
/// errors, unsupported messages).
///
/// ```
/// use whatsapp_cloud::error::{ErrorClass, ErrorObject};
/// let e: ErrorObject = serde_json::from_str(r#"{"code":131047,"title":"Re-engagement message"}"#)?;
/// assert_eq!(e.class(), ErrorClass::OutsideWindow);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ErrorObject {
    /// The error code, the field to branch on.
    pub code: i64,
    /// The message, `"(#<code>) <title>"` in API responses.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub message: String,
    /// The title (webhooks).
    #[serde(default)]
    pub title: Option<String>,
    /// The exception type, such as `OAuthException`.
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
    /// The subcode: deprecated by Meta, still sent.
    #[serde(default)]
    pub error_subcode: Option<i64>,
    /// Extra data, chiefly `details`.
    #[serde(default)]
    pub error_data: Option<ErrorData>,
    /// A title meant for the end user.
    #[serde(default)]
    pub error_user_title: Option<String>,
    /// A message meant for the end user.
    #[serde(default)]
    pub error_user_msg: Option<String>,
    /// Whether Meta considers the error transient.
    #[serde(default)]
    pub is_transient: Option<bool>,
    /// A link to Meta's error documentation.
    #[serde(default)]
    pub href: Option<String>,
    /// The trace id to quote to Meta's support.
    #[serde(default)]
    pub fbtrace_id: Option<String>,
}

impl ErrorObject {
    /// An error object with just a code and message (handy in tests).
    pub fn new(code: i64, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            title: None,
            kind: None,
            error_subcode: None,
            error_data: None,
            error_user_title: None,
            error_user_msg: None,
            is_transient: None,
            href: None,
            fbtrace_id: None,
        }
    }

    /// `error_data.details`.
    pub fn details(&self) -> Option<&str> {
        self.error_data.as_ref().and_then(|d| d.details.as_deref())
    }

    /// The classification of [`ErrorObject::code`].
    pub fn class(&self) -> ErrorClass {
        let class = ErrorClass::of_code(self.code);
        if class == ErrorClass::Other && self.is_transient == Some(true) {
            ErrorClass::Transient
        } else {
            class
        }
    }
}

/// `error_data` of a Graph error.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ErrorData {
    /// Always `whatsapp` for Cloud API errors.
    #[serde(default)]
    pub messaging_product: Option<String>,
    /// What exactly went wrong, such as which parameter.
    #[serde(default)]
    pub details: Option<String>,
}

/// Which rate limit was hit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RateLimit {
    /// Messages per second of the business number (130429).
    Throughput,
    /// App-level API calls (4).
    App,
    /// WhatsApp Business Account API calls (80007).
    Account,
    /// Spam rate limit, tied to quality (131048): back off hard.
    Spam,
    /// Too many messages to the same user (131056): only that recipient must wait.
    Pair,
    // Calling API (138002, 138005).
    /// Too many concurrent calls on the business number (138002, at most 1,000).
    ConcurrentCalls,
    /// Too many calls placed in a short time (138005).
    CallRate,
    /// Too many Groups API calls (131208, HTTP 429): retried with back-off.
    Group,
}

/// What a Meta error code means for the caller.
///
/// Follows Meta's error-code table: see [`ErrorClass::of_code`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorClass {
    /// A rate limit: retry after backing off.
    RateLimited(RateLimit),
    /// More than 24 hours since the user's last message (131047): send a template.
    OutsideWindow,
    /// The token is invalid or expired (0, 190): re-authenticate.
    AuthInvalid,
    /// Missing permission (3, 10, 200-299, 131005).
    Permission,
    /// A template problem (132xxx): wrong name, language, parameters, paused or disabled.
    Template,
    /// The message cannot be delivered to this user (131026, 131049, 130472, 131021).
    Undeliverable,
    /// The user stopped marketing messages (131050).
    OptedOut,
    /// This message cannot go to a business-scoped user id (131062): authentication templates with a
    /// one-tap, zero-tap or copy-code button, or a Marketing Messages send with dynamic pricing.
    /// Send it to the user's phone number instead, if you have it.
    UserIdNotSupported,
    /// A temporary failure on Meta's side (1, 2, 131000, 131016, 131057, 133004).
    Transient,
    /// An invalid parameter (100, 131008, 131009, 33).
    InvalidParameter,
    /// The account is blocked, locked or restricted (368, 131031, 130497).
    Policy,
    /// Media could not be uploaded or downloaded (131052, 131053).
    Media,
    /// The business phone number is not registered (133010) or needs attention (133xxx).
    PhoneNumber,
    /// A Flows management call was refused (139000-139004, 139006): see [`FlowErrorKind`].
    Flow(FlowErrorKind),
    /// Marketing templates are turned off on `/messages` for this account (131063): send them with
    /// the Marketing Messages API (`SendMarketingMessage`).
    MarketingBlockedOnCloudApi,
    /// The Marketing Messages API takes only marketing templates (134100).
    MarketingTemplatesOnly,
    /// The template is still syncing to the Marketing Messages API (134101): a new template, or one
    /// unused for 7 days, needs up to 10 minutes; send it again later.
    TemplateSyncing,
    /// The Marketing Messages API cannot send now: the template is unavailable or the business is
    /// not onboarded (134102).
    MarketingUnavailable,
    // Operations: blocking users and business usernames.
    /// Some or all users could not be blocked or unblocked (139100): the answer's `failed_users`
    /// says which and why (`BlockOutcome` in `endpoint::operations` keeps both lists).
    BlockFailed,
    /// The blocklist holds its maximum of 64,000 users (139101): unblock some first.
    BlocklistFull,
    /// The blocklist changed while it was being paged (139102): list it again from the first page.
    BlocklistChanged,
    /// The username is taken (147001).
    UsernameTaken,
    /// The number cannot have a username (147002).
    UsernameIneligible,
    /// A Facebook page or Instagram account must be linked before claiming a username (147003,
    /// 147004).
    UsernameNeedsLinkedAccount,
    /// Another number of the business portfolio holds the username (147005): claim it with
    /// `TransferAction::ForceTransfer` to move it.
    UsernameHeldInPortfolio,
    /// A Calling API call was refused (138000-138023, and 131044): see
    /// [`CallingErrorKind`]. The calling rate limits are [`RateLimit::ConcurrentCalls`] and
    /// [`RateLimit::CallRate`].
    Calling(CallingErrorKind),
    // Payments (Meta's Payments API pages).
    /// The WhatsApp Payments terms of service are not accepted yet (134011): accept them through
    /// the link in the error's details, then try again.
    PaymentsTermsPending,
    // Groups API: error classes.
    /// A Groups API call was refused (Meta's "Groups API" error codes): see [`GroupErrorKind`].
    /// Its rate limit (131208) is [`RateLimit::Group`].
    Group(GroupErrorKind),
    /// Anything else.
    Other,
}

// Groups API: why a group call was refused.
/// Why a Groups API call was refused (Meta's "Groups API" page, error codes). None is retryable:
/// the group, its participants or the request must change first. The Groups rate limit (131208)
/// is [`RateLimit::Group`] and is retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum GroupErrorKind {
    /// 131020: the group would be left with a single member.
    SingleMember,
    /// 131041: no such group (or the business is not in it).
    UnknownGroup,
    /// 131059: the paging cursor is invalid or expired; list again from the first page.
    InvalidCursor,
    /// 131201: the call partly succeeded (HTTP 206); the answer says which items failed.
    PartialSuccess,
    /// 131202: a participant is listed twice or is already in the group.
    DuplicateParticipant,
    /// 131204: the group's participant limit (8) would be exceeded.
    ParticipantLimit,
    /// 131207: the group is suspended (HTTP 403).
    Suspended,
    /// 131209: the profile picture is not square.
    PictureNotSquare,
    /// 131210: the profile picture is 192 pixels wide or less.
    PictureTooSmall,
    /// 131211: the number already has the most groups it may have.
    GroupLimit,
    /// 131212: the user is not a participant of the group.
    NotAParticipant,
    /// 131213: no such join request (already handled, revoked or unknown).
    UnknownJoinRequest,
    /// 131214: group creation is paused for this number.
    CreationPaused,
    /// 131215: the business number is not eligible for the Groups API.
    NotEligible,
}

/// Why a Flows management call was refused (Meta's "Flows error codes" page). None is retryable: the
/// Flow, its status or its data must change first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FlowErrorKind {
    /// 139000: blocked by integrity (the Flow breaks a policy).
    IntegrityBlocked,
    /// 139001: the Flow cannot be updated, or its Flow JSON could not be processed.
    UpdateRefused,
    /// 139002: publishing failed a precondition (not a draft, validation errors, a missing endpoint,
    /// app, business public key or `flows` webhook subscription, a frozen Flow JSON version).
    PublishRefused,
    /// 139003: the Flow cannot be deprecated (it is not published).
    DeprecateRefused,
    /// 139004: the Flow cannot be deleted (only drafts can).
    DeleteRefused,
    /// 139006: too little data for the metric asked for (fewer than 250 requests).
    NotEnoughMetricData,
}

impl ErrorClass {
    /// Classifies a Meta error code.
    ///
    /// ```
    /// use whatsapp_cloud::error::{ErrorClass, RateLimit};
    /// assert_eq!(ErrorClass::of_code(130429), ErrorClass::RateLimited(RateLimit::Throughput));
    /// assert_eq!(ErrorClass::of_code(132001), ErrorClass::Template);
    /// assert!(!ErrorClass::of_code(131047).is_retryable());
    /// assert_eq!(ErrorClass::of_code(131062), ErrorClass::UserIdNotSupported);
    /// use whatsapp_cloud::error::FlowErrorKind;
    /// assert_eq!(ErrorClass::of_code(139004), ErrorClass::Flow(FlowErrorKind::DeleteRefused));
    /// ```
    pub fn of_code(code: i64) -> Self {
        match code {
            4 => Self::RateLimited(RateLimit::App),
            80007 => Self::RateLimited(RateLimit::Account),
            130429 => Self::RateLimited(RateLimit::Throughput),
            131048 => Self::RateLimited(RateLimit::Spam),
            131056 => Self::RateLimited(RateLimit::Pair),
            131047 => Self::OutsideWindow,
            0 | 190 => Self::AuthInvalid,
            3 | 10 | 200..=299 | 131005 => Self::Permission,
            132000..=132999 => Self::Template,
            131026 | 131049 | 130472 | 131021 | 131030 | 131064 => Self::Undeliverable,
            131062 => Self::UserIdNotSupported,
            131050 => Self::OptedOut,
            1 | 2 | 131000 | 131016 | 131057 | 133004 => Self::Transient,
            100 | 33 | 131008 | 131009 => Self::InvalidParameter,
            368 | 131031 | 130497 | 131042 => Self::Policy,
            131052 | 131053 => Self::Media,
            133000..=133999 => Self::PhoneNumber,
            139000 => Self::Flow(FlowErrorKind::IntegrityBlocked),
            139001 => Self::Flow(FlowErrorKind::UpdateRefused),
            139002 => Self::Flow(FlowErrorKind::PublishRefused),
            139003 => Self::Flow(FlowErrorKind::DeprecateRefused),
            139004 => Self::Flow(FlowErrorKind::DeleteRefused),
            139006 => Self::Flow(FlowErrorKind::NotEnoughMetricData),
            131063 => Self::MarketingBlockedOnCloudApi,
            134100 => Self::MarketingTemplatesOnly,
            134101 => Self::TemplateSyncing,
            134102 => Self::MarketingUnavailable,
            // Operations: blocking users (139103 is Meta's internal error) and business usernames.
            139100 => Self::BlockFailed,
            139101 => Self::BlocklistFull,
            139102 => Self::BlocklistChanged,
            139103 => Self::Transient,
            147001 => Self::UsernameTaken,
            147002 => Self::UsernameIneligible,
            147003 | 147004 => Self::UsernameNeedsLinkedAccount,
            147005 => Self::UsernameHeldInPortfolio,
            // Calling API: see error/calling.rs.
            138000..=138999 | 131044 => calling::class_of(code),
            // Payments.
            134011 => Self::PaymentsTermsPending,
            // Groups API.
            131208 => Self::RateLimited(RateLimit::Group),
            131020 => Self::Group(GroupErrorKind::SingleMember),
            131041 => Self::Group(GroupErrorKind::UnknownGroup),
            131059 => Self::Group(GroupErrorKind::InvalidCursor),
            131201 => Self::Group(GroupErrorKind::PartialSuccess),
            131202 => Self::Group(GroupErrorKind::DuplicateParticipant),
            131204 => Self::Group(GroupErrorKind::ParticipantLimit),
            131207 => Self::Group(GroupErrorKind::Suspended),
            131209 => Self::Group(GroupErrorKind::PictureNotSquare),
            131210 => Self::Group(GroupErrorKind::PictureTooSmall),
            131211 => Self::Group(GroupErrorKind::GroupLimit),
            131212 => Self::Group(GroupErrorKind::NotAParticipant),
            131213 => Self::Group(GroupErrorKind::UnknownJoinRequest),
            131214 => Self::Group(GroupErrorKind::CreationPaused),
            131215 => Self::Group(GroupErrorKind::NotEligible),
            _ => Self::Other,
        }
    }

    /// True for rate limits (except the spam limit, which punishes hammering) and transient errors
    /// (including the calling connection failures 138004 and 138007).
    pub fn is_retryable(self) -> bool {
        match self {
            Self::Calling(kind) => kind.is_transient(),
            _ => matches!(
                self,
                Self::Transient
                    | Self::RateLimited(
                        RateLimit::Throughput
                            | RateLimit::App
                            | RateLimit::Account
                            | RateLimit::Pair
                            | RateLimit::ConcurrentCalls
                            | RateLimit::CallRate
                            | RateLimit::Group
                    )
            ),
        }
    }

    /// True for any rate limit.
    pub fn is_rate_limit(self) -> bool {
        matches!(self, Self::RateLimited(_))
    }
}

/// The first 200 characters of a body, for error messages.
pub(crate) fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let mut out: String = text.chars().take(200).collect();
    if text.chars().nth(200).is_some() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn graph_error_body_is_parsed_and_classified() {
        let body = br#"{"error":{"message":"(#130429) Rate limit hit","type":"OAuthException","code":130429,"error_data":{"messaging_product":"whatsapp","details":"Cloud API message throughput has been reached."},"error_subcode":2494055,"fbtrace_id":"Az8or2yhqkZfEZ-_4Qn_Bam"}}"#;
        let e = ApiError::from_response(400, None, body);
        assert_eq!(e.code(), Some(130429));
        assert_eq!(e.subcode(), Some(2494055));
        assert_eq!(
            e.details(),
            Some("Cloud API message throughput has been reached.")
        );
        assert_eq!(e.class(), ErrorClass::RateLimited(RateLimit::Throughput));
        assert!(e.to_string().contains("Az8or2yhqkZfEZ-_4Qn_Bam"));
    }

    #[test]
    fn html_body_is_still_a_typed_error() {
        let e = ApiError::from_response(502, None, b"<html><body>Bad Gateway</body></html>");
        assert!(e.error.is_none());
        assert_eq!(e.class(), ErrorClass::Transient);
        assert!(e.to_string().contains("Bad Gateway"));
        assert!(e.to_string().contains("502"));
    }

    #[test]
    fn retries_exhausted_keeps_every_cause() {
        let a = Error::from(ApiError::from_response(500, None, b"x"));
        let b = Error::Timeout(TimeoutError::new(Duration::from_secs(1), true));
        let e = RetriesExhausted::wrap(vec![a, b]);
        match &e {
            Error::RetriesExhausted(r) => assert_eq!(r.attempts().len(), 2),
            other => panic!("unexpected {other:?}"),
        }
        assert!(e.may_have_been_sent());
        assert!(matches!(e.last(), Error::Timeout(_)));
    }
}
