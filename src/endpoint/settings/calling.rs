//! The `calling` section of the phone-number settings (Meta's "Configure Call Settings" page and
//! the Calling API reference): status, call icons, call hours, callback permission, SIP, audio
//! codecs, voicemail, recording and transcription.

use crate::endpoint::paging::wire_enum;
use crate::error::{ValidationError, Violation};
use crate::ids::MediaId;
use crate::limits;
use crate::secret::SipPassword;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_with::skip_serializing_none;
use std::collections::BTreeMap;
use std::fmt;

/// At most this many opening windows per day in `call_hours.weekly_operating_hours`.
pub const CALL_HOURS_WINDOWS_PER_DAY_MAX: usize = 2;
/// At most this many entries in `call_hours.holiday_schedule`.
pub const CALL_HOURS_HOLIDAYS_MAX: usize = 20;
/// The longest `purpose` of a recording or transcription, in characters.
pub const CAPTURE_PURPOSE_MAX: usize = 250;

wire_enum! {
    /// `ENABLED` or `DISABLED`: the status of calling and of each calling feature. Read in any
    /// case (Meta's generated reference writes `enabled`).
    FeatureStatus {
        /// The feature is on.
        Enabled = "ENABLED",
        /// The feature is off.
        Disabled = "DISABLED",
    }
}

wire_enum! {
    /// Whether WhatsApp shows the call button in the chat with the business
    /// (`call_icon_visibility`).
    CallIconVisibility {
        /// The call icon is shown (Meta's default).
        Default = "DEFAULT",
        /// Every call icon is hidden; users can still call from a call button message.
        DisableAll = "DISABLE_ALL",
    }
}

wire_enum! {
    /// A day of the week in `call_hours.weekly_operating_hours`.
    Weekday {
        /// Monday.
        Monday = "MONDAY",
        /// Tuesday.
        Tuesday = "TUESDAY",
        /// Wednesday.
        Wednesday = "WEDNESDAY",
        /// Thursday.
        Thursday = "THURSDAY",
        /// Friday.
        Friday = "FRIDAY",
        /// Saturday.
        Saturday = "SATURDAY",
        /// Sunday.
        Sunday = "SUNDAY",
    }
}

wire_enum! {
    /// An audio codec offered on top of Opus (`audio.additional_codecs`).
    AudioCodec {
        /// G.711 A-law.
        Pcma = "PCMA",
        /// G.711 µ-law.
        Pcmu = "PCMU",
    }
}

wire_enum! {
    /// What sends a call to voicemail (`voicemail.triggers`).
    VoicemailTrigger {
        /// The business rejected the call.
        Reject = "REJECT",
        /// Nobody answered in time.
        Timeout = "TIMEOUT",
    }
}

/// Calling settings of a business phone number (`settings.calling`).
///
/// Every field is optional: an update changes only what it sets, except `call_hours`, which Meta
/// replaces whole (and a `call_hours` without `holiday_schedule` clears the holidays).
///
/// ```
/// use whatsapp_cloud::endpoint::settings::{CallHours, CallingSettings, FeatureStatus, Weekday};
/// let calling = CallingSettings::new()
///     .status(FeatureStatus::Enabled)
///     .call_hours(
///         CallHours::new("America/Manaus")
///             .open(Weekday::Monday, "0900", "1200")
///             .open(Weekday::Monday, "1400", "1800")
///             .holiday("2026-12-25", "0000", "2359"),
///     );
/// assert!(calling.validate().is_ok());
/// ```
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CallingSettings {
    /// Whether the Calling API is on for the number.
    #[serde(default)]
    pub status: Option<FeatureStatus>,
    /// Whether the call icon shows in the chat.
    #[serde(default)]
    pub call_icon_visibility: Option<CallIconVisibility>,
    /// Where the call icon shows.
    #[serde(default)]
    pub call_icons: Option<CallIcons>,
    /// When users may call.
    #[serde(default)]
    pub call_hours: Option<CallHours>,
    /// Whether a user who calls is asked to let the business call back.
    #[serde(default)]
    pub callback_permission_status: Option<FeatureStatus>,
    /// Call signalling over SIP (which turns the `/calls` endpoint and `calls` webhooks off).
    #[serde(default)]
    pub sip: Option<SipSettings>,
    /// Audio codecs.
    #[serde(default)]
    pub audio: Option<AudioSettings>,
    /// Voicemail.
    #[serde(default)]
    pub voicemail: Option<VoicemailSettings>,
    /// Call recording.
    #[serde(default)]
    pub recording: Option<CallCapture>,
    /// Call transcription.
    #[serde(default)]
    pub transcription: Option<CallCapture>,
}

impl CallingSettings {
    /// Settings that change nothing yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Turns the Calling API on or off.
    pub fn status(mut self, status: FeatureStatus) -> Self {
        self.status = Some(status);
        self
    }

    /// Shows or hides the call icon.
    pub fn call_icon_visibility(mut self, visibility: CallIconVisibility) -> Self {
        self.call_icon_visibility = Some(visibility);
        self
    }

    /// Shows the call icon only to users in these countries (ISO 3166 alpha-2 codes).
    pub fn restrict_call_icons_to<I, S>(mut self, countries: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.call_icons = Some(CallIcons {
            restrict_to_user_countries: countries.into_iter().map(Into::into).collect(),
        });
        self
    }

    /// Replaces the call hours.
    pub fn call_hours(mut self, hours: CallHours) -> Self {
        self.call_hours = Some(hours);
        self
    }

    /// Asks users who call to allow call-backs, or not.
    pub fn callback_permission_status(mut self, status: FeatureStatus) -> Self {
        self.callback_permission_status = Some(status);
        self
    }

    /// Sets SIP signalling.
    pub fn sip(mut self, sip: SipSettings) -> Self {
        self.sip = Some(sip);
        self
    }

    /// Offers these codecs on top of Opus.
    pub fn additional_codecs(mut self, codecs: impl IntoIterator<Item = AudioCodec>) -> Self {
        self.audio = Some(AudioSettings {
            additional_codecs: codecs.into_iter().collect(),
        });
        self
    }

    /// Sets voicemail.
    pub fn voicemail(mut self, voicemail: VoicemailSettings) -> Self {
        self.voicemail = Some(voicemail);
        self
    }

    /// Sets call recording.
    pub fn recording(mut self, recording: CallCapture) -> Self {
        self.recording = Some(recording);
        self
    }

    /// Sets call transcription.
    pub fn transcription(mut self, transcription: CallCapture) -> Self {
        self.transcription = Some(transcription);
        self
    }

    /// Checks Meta's limits: call hours (times `HHMM`, open before close, at most 2 windows a
    /// day without overlap, at most 20 holidays), SIP servers named, purposes at most 250
    /// characters.
    ///
    /// # Errors
    /// The first [`ValidationError`], naming the field (`calling.call_hours...`).
    pub fn validate(&self) -> Result<(), ValidationError> {
        if let Some(icons) = &self.call_icons {
            for (i, country) in icons.restrict_to_user_countries.iter().enumerate() {
                country_code(
                    &format!("calling.call_icons.restrict_to_user_countries[{i}]"),
                    country,
                )?;
            }
        }
        if let Some(hours) = &self.call_hours {
            hours.validate()?;
        }
        if let Some(sip) = &self.sip {
            for (i, server) in sip.servers.iter().enumerate() {
                limits::id_unbounded(
                    &format!("calling.sip.servers[{i}].hostname"),
                    &server.hostname,
                )?;
            }
        }
        if let Some(recording) = &self.recording {
            recording.validate("calling.recording")?;
        }
        if let Some(transcription) = &self.transcription {
            transcription.validate("calling.transcription")?;
        }
        Ok(())
    }
}

/// An ISO 3166 alpha-2 country code such as `BR`.
pub(super) fn country_code(field: &str, value: &str) -> Result<(), ValidationError> {
    if value.len() == 2 && value.bytes().all(|b| b.is_ascii_alphabetic()) {
        Ok(())
    } else {
        Err(limits::invalid(
            field,
            value,
            "an ISO 3166 alpha-2 country code such as \"BR\"",
        ))
    }
}

/// Where the call icon shows (`call_icons`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CallIcons {
    /// Only users in these countries see it (ISO 3166 alpha-2 codes).
    #[serde(default)]
    pub restrict_to_user_countries: Vec<String>,
}

/// When users may call (`call_hours`): weekly windows in a time zone, and holidays.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CallHours {
    /// Whether call hours apply (outside them, calls are refused).
    #[serde(default)]
    pub status: Option<FeatureStatus>,
    /// The IANA time zone of the times, such as `America/Manaus`.
    #[serde(default)]
    pub timezone_id: Option<String>,
    /// The weekly windows: at most 2 a day, without overlap.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub weekly_operating_hours: Vec<OperatingHours>,
    /// Days with other hours (at most 20); omitting them clears the stored ones.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub holiday_schedule: Vec<HolidayHours>,
}

impl CallHours {
    /// Enabled call hours in `timezone_id` (an IANA name), with no window yet.
    pub fn new(timezone_id: impl Into<String>) -> Self {
        Self {
            status: Some(FeatureStatus::Enabled),
            timezone_id: Some(timezone_id.into()),
            ..Self::default()
        }
    }

    /// Turns call hours off (users may call at any time).
    pub fn disabled() -> Self {
        Self {
            status: Some(FeatureStatus::Disabled),
            ..Self::default()
        }
    }

    /// Adds a window on `day` from `open_time` to `close_time` (`HHMM`, 24-hour clock).
    pub fn open(
        mut self,
        day: Weekday,
        open_time: impl Into<String>,
        close_time: impl Into<String>,
    ) -> Self {
        self.weekly_operating_hours.push(OperatingHours {
            day_of_week: day,
            open_time: open_time.into(),
            close_time: close_time.into(),
        });
        self
    }

    /// Adds a holiday on `date` (`YYYY-MM-DD`) open from `start_time` to `end_time` (`HHMM`).
    pub fn holiday(
        mut self,
        date: impl Into<String>,
        start_time: impl Into<String>,
        end_time: impl Into<String>,
    ) -> Self {
        self.holiday_schedule.push(HolidayHours {
            date: date.into(),
            start_time: start_time.into(),
            end_time: end_time.into(),
        });
        self
    }

    /// Checks the windows and holidays (see [`CallingSettings::validate`]).
    ///
    /// # Errors
    /// The first [`ValidationError`].
    pub fn validate(&self) -> Result<(), ValidationError> {
        const PATH: &str = "calling.call_hours";
        if let Some(zone) = &self.timezone_id {
            limits::id_unbounded(&format!("{PATH}.timezone_id"), zone)?;
        }
        let mut windows: Vec<(&Weekday, u32, u32, usize)> = Vec::new();
        for (i, w) in self.weekly_operating_hours.iter().enumerate() {
            let path = format!("{PATH}.weekly_operating_hours[{i}]");
            let open = hhmm(&format!("{path}.open_time"), &w.open_time)?;
            let close = hhmm(&format!("{path}.close_time"), &w.close_time)?;
            if open >= close {
                return Err(limits::invalid(
                    format!("{path}.close_time"),
                    &w.close_time,
                    &format!("a time after open_time {}", w.open_time),
                ));
            }
            let same_day: Vec<_> = windows
                .iter()
                .filter(|(d, ..)| **d == w.day_of_week)
                .collect();
            if same_day.len() >= CALL_HOURS_WINDOWS_PER_DAY_MAX {
                return Err(ValidationError::new(
                    format!("{PATH}.weekly_operating_hours"),
                    Violation::TooMany {
                        max: CALL_HOURS_WINDOWS_PER_DAY_MAX,
                        actual: same_day.len() + 1,
                    },
                ));
            }
            if let Some((.., j)) = same_day.iter().find(|(_, o, c, _)| open < *c && *o < close) {
                return Err(limits::invalid(
                    format!("{path}.open_time"),
                    format!("{}-{}", w.open_time, w.close_time),
                    &format!(
                        "a window that does not overlap weekly_operating_hours[{j}] on {}",
                        w.day_of_week
                    ),
                ));
            }
            windows.push((&w.day_of_week, open, close, i));
        }
        limits::count(
            &format!("{PATH}.holiday_schedule"),
            self.holiday_schedule.len(),
            0,
            CALL_HOURS_HOLIDAYS_MAX,
        )?;
        for (i, h) in self.holiday_schedule.iter().enumerate() {
            let path = format!("{PATH}.holiday_schedule[{i}]");
            limits::date(&format!("{path}.date"), &h.date)?;
            let start = hhmm(&format!("{path}.start_time"), &h.start_time)?;
            let end = hhmm(&format!("{path}.end_time"), &h.end_time)?;
            if start >= end {
                return Err(limits::invalid(
                    format!("{path}.end_time"),
                    &h.end_time,
                    &format!("a time after start_time {}", h.start_time),
                ));
            }
        }
        Ok(())
    }
}

/// A `HHMM` time as minutes since midnight.
fn hhmm(field: &str, value: &str) -> Result<u32, ValidationError> {
    let digits = value.len() == 4 && value.bytes().all(|b| b.is_ascii_digit());
    let parsed = digits
        .then(|| {
            (
                value[..2].parse::<u32>().ok(),
                value[2..].parse::<u32>().ok(),
            )
        })
        .and_then(|(h, m)| Some((h?, m?)))
        .filter(|&(h, m)| h < 24 && m < 60);
    match parsed {
        Some((h, m)) => Ok(h * 60 + m),
        None => Err(limits::invalid(
            field,
            value,
            "a time of day as HHMM (0000 to 2359)",
        )),
    }
}

/// One weekly window (`weekly_operating_hours[]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct OperatingHours {
    /// The day.
    pub day_of_week: Weekday,
    /// When calls open, `HHMM`.
    pub open_time: String,
    /// When calls close, `HHMM`.
    pub close_time: String,
}

/// A day with its own hours (`holiday_schedule[]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct HolidayHours {
    /// The date, `YYYY-MM-DD`.
    pub date: String,
    /// When calls open, `HHMM`.
    pub start_time: String,
    /// When calls close, `HHMM`.
    pub end_time: String,
}

/// SIP signalling (`sip`).
///
/// ```
/// use whatsapp_cloud::endpoint::settings::{FeatureStatus, SipServer, SipSettings};
/// let sip = SipSettings::new(FeatureStatus::Enabled)
///     .server(SipServer::new("sip.example.com").port(5061).user_param("tenant", "acme"));
/// assert_eq!(sip.servers[0].port, Some(5061));
/// ```
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SipSettings {
    /// Whether calls are signalled over SIP.
    #[serde(default)]
    pub status: Option<FeatureStatus>,
    /// The business's SIP servers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub servers: Vec<SipServer>,
}

impl SipSettings {
    /// SIP with this status and no server yet.
    pub fn new(status: FeatureStatus) -> Self {
        Self {
            status: Some(status),
            servers: Vec::new(),
        }
    }

    /// Adds a server.
    pub fn server(mut self, server: SipServer) -> Self {
        self.servers.push(server);
        self
    }
}

/// One SIP server (`sip.servers[]`). Its password is read only, and only when asked for with
/// `include_sip_credentials`; it never shows in `Debug` and is never sent.
#[skip_serializing_none]
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SipServer {
    /// The host name.
    pub hostname: String,
    /// The port.
    #[serde(default)]
    pub port: Option<u16>,
    /// Parameters added to the user part of the request URI.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub request_uri_user_params: BTreeMap<String, String>,
    /// The SIP user password Meta generated (read with `include_sip_credentials=true`).
    #[serde(default, skip_serializing, deserialize_with = "opt_password")]
    pub sip_user_password: Option<SipPassword>,
}

impl fmt::Debug for SipServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SipServer")
            .field("hostname", &self.hostname)
            .field("port", &self.port)
            .field("request_uri_user_params", &self.request_uri_user_params)
            .field("sip_user_password", &self.sip_user_password)
            .finish()
    }
}

fn opt_password<'de, D: Deserializer<'de>>(d: D) -> Result<Option<SipPassword>, D::Error> {
    Ok(Option::<String>::deserialize(d)?.map(SipPassword::new))
}

impl SipServer {
    /// A server at `hostname`.
    pub fn new(hostname: impl Into<String>) -> Self {
        Self {
            hostname: hostname.into(),
            ..Self::default()
        }
    }

    /// Sets the port.
    pub fn port(mut self, port: u16) -> Self {
        self.port = Some(port);
        self
    }

    /// Adds a request URI user parameter.
    pub fn user_param(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.request_uri_user_params
            .insert(key.into(), value.into());
        self
    }
}

/// Audio settings (`audio`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AudioSettings {
    /// Codecs offered on top of Opus.
    #[serde(default)]
    pub additional_codecs: Vec<AudioCodec>,
}

/// Voicemail (`voicemail`).
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct VoicemailSettings {
    /// Whether voicemail is on.
    #[serde(default)]
    pub status: Option<FeatureStatus>,
    /// What sends a call to voicemail.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub triggers: Vec<VoicemailTrigger>,
    /// The greeting.
    #[serde(default)]
    pub audio: Option<VoicemailAudio>,
}

impl VoicemailSettings {
    /// Voicemail with this status.
    pub fn new(status: FeatureStatus) -> Self {
        Self {
            status: Some(status),
            ..Self::default()
        }
    }

    /// Adds a trigger.
    pub fn trigger(mut self, trigger: VoicemailTrigger) -> Self {
        self.triggers.push(trigger);
        self
    }

    /// Plays this uploaded audio as the greeting, and records for at most `timeout_seconds`.
    pub fn greeting(mut self, media_id: impl Into<MediaId>, timeout_seconds: u32) -> Self {
        self.audio = Some(VoicemailAudio {
            default: Some(VoicemailGreeting {
                announcement_media_id: Some(media_id.into()),
                timeout_seconds: Some(timeout_seconds),
            }),
        });
        self
    }
}

/// The voicemail greeting (`voicemail.audio`).
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct VoicemailAudio {
    /// The default greeting.
    #[serde(default)]
    pub default: Option<VoicemailGreeting>,
}

/// A voicemail greeting (`voicemail.audio.default`).
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct VoicemailGreeting {
    /// The uploaded audio played to the caller (Meta writes it as a number).
    #[serde(
        default,
        deserialize_with = "opt_media_id",
        serialize_with = "media_id_as_number"
    )]
    pub announcement_media_id: Option<MediaId>,
    /// How long a message may be, in seconds.
    #[serde(default)]
    pub timeout_seconds: Option<u32>,
}

fn opt_media_id<'de, D: Deserializer<'de>>(d: D) -> Result<Option<MediaId>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Id {
        Number(u64),
        Text(String),
    }
    Ok(Option::<Id>::deserialize(d)?.map(|id| match id {
        Id::Number(n) => MediaId::new(n.to_string()),
        Id::Text(s) => MediaId::new(s),
    }))
}

/// A media id of digits as a JSON number, as Meta's examples send it; any other id as text.
fn media_id_as_number<S: Serializer>(id: &Option<MediaId>, s: S) -> Result<S::Ok, S::Error> {
    match id.as_ref().map(|id| (id, id.as_str().parse::<u64>())) {
        Some((_, Ok(n))) => s.serialize_u64(n),
        Some((id, Err(_))) => s.serialize_str(id.as_str()),
        None => s.serialize_none(),
    }
}

/// Recording or transcription of calls (`recording`, `transcription`, in the settings and on a
/// `connect` or `accept`).
///
/// ```
/// use whatsapp_cloud::endpoint::settings::CallCapture;
/// let recording = CallCapture::enabled("Quality assurance").announcement_language("en_US");
/// assert_eq!(
///     serde_json::to_value(&recording)?,
///     serde_json::json!({"status": "ENABLED", "purpose": "Quality assurance", "announcement_language": "en_US"})
/// );
/// # Ok::<(), serde_json::Error>(())
/// ```
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CallCapture {
    /// Whether it is on.
    #[serde(default)]
    pub status: Option<FeatureStatus>,
    /// Why, as announced to the user (at most 250 characters).
    #[serde(default)]
    pub purpose: Option<String>,
    /// The language of the announcement, such as `en_US`.
    #[serde(default)]
    pub announcement_language: Option<String>,
}

impl CallCapture {
    /// On, for this purpose.
    pub fn enabled(purpose: impl Into<String>) -> Self {
        Self {
            status: Some(FeatureStatus::Enabled),
            purpose: Some(purpose.into()),
            announcement_language: None,
        }
    }

    /// Off.
    pub fn disabled() -> Self {
        Self {
            status: Some(FeatureStatus::Disabled),
            ..Self::default()
        }
    }

    /// The announcement's language, such as `en_US`.
    pub fn announcement_language(mut self, language: impl Into<String>) -> Self {
        self.announcement_language = Some(language.into());
        self
    }

    /// Checks the purpose (at most 250 characters) and the language (not blank).
    ///
    /// # Errors
    /// A [`ValidationError`] naming `<path>.purpose` or `<path>.announcement_language`.
    pub(crate) fn validate(&self, path: &str) -> Result<(), ValidationError> {
        if let Some(purpose) = &self.purpose {
            limits::max_chars(&format!("{path}.purpose"), purpose, CAPTURE_PURPOSE_MAX)?;
        }
        if let Some(language) = &self.announcement_language {
            limits::id_unbounded(&format!("{path}.announcement_language"), language)?;
        }
        Ok(())
    }
}
