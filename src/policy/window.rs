//! The 24-hour customer-service window and free-entry-point windows.
//!
//! Meta's rules (Meta's "Send messages" page on the customer service window, and its "Pricing" page,
//! section "Free entry point windows"):
//!
//! - **Customer-service window (CSW).** When a user messages or calls the business, a 24-hour window
//!   opens; every later message or call restarts it. While it is open the business may send any
//!   message; once it closes only template messages go through (Meta refuses the rest with error
//!   131047).
//! - **Free-entry-point window (FEP).** When a user messages the business from a Click-to-WhatsApp ad
//!   (or a Facebook Page call-to-action button) and the business answers, with any message, within
//!   24 hours of that message, a 72-hour FEP window opens *from the time of the answer*. Every message
//!   sent while it is open is free, templates included. The FEP window is independent of the CSW: it
//!   makes messages free, it does not allow free-form messages once the CSW has closed.
//!
//! Meta opens FEP windows only for users writing from its Android and iOS apps, which a webhook does
//! not reveal, and a Facebook Page button message carries no `referral`; so a computed
//! [`FreeEntryPoint`] is an estimate for pricing, never a reason to refuse a send. A status priced
//! `free_entry_point` is Meta's own word and is recorded as such
//! ([`Window::record_free_entry_point_until`]).
//!
//! Everything here is pure: time is always passed in as `now`, in **unix seconds (`u64`)**, the unit of
//! webhook timestamps. A moment `t` is inside a window `[opened, opened + length)`: a message at 12:00
//! keeps the window open through 11:59:59 the next day, and at 12:00:00 the next day it is closed.
//!
//! ```
//! use whatsapp_cloud::policy::{Window, WindowState};
//! let mut window = Window::new();
//! window.record_inbound(1_700_000_000);
//! let state = window.state(1_700_000_000 + 3_600);
//! assert!(state.allows_free_form());
//! assert_eq!(state.closes_at(), Some(1_700_000_000 + 86_400));
//! assert!(window.state(1_700_000_000 + 86_400).requires_template());
//! ```

use super::key::Merge;
use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

/// Converts a [`SystemTime`](std::time::SystemTime) to the unix seconds every rule here takes (times
/// before 1970 become 0). It does not read the clock: pass `SystemTime::now()` yourself.
///
/// ```
/// use std::time::{Duration, UNIX_EPOCH};
/// use whatsapp_cloud::policy::unix_seconds;
/// assert_eq!(unix_seconds(UNIX_EPOCH + Duration::from_millis(1_700_000_000_999)), 1_700_000_000);
/// assert_eq!(unix_seconds(UNIX_EPOCH - Duration::from_secs(5)), 0);
/// ```
pub fn unix_seconds(time: std::time::SystemTime) -> u64 {
    time.duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// Length of the customer-service window: 24 hours, in seconds.
pub const CUSTOMER_SERVICE_WINDOW_SECS: u64 = 24 * 60 * 60;

/// Length of a free-entry-point window: 72 hours, in seconds.
pub const FREE_ENTRY_POINT_WINDOW_SECS: u64 = 72 * 60 * 60;

/// How long after an entry-point message the business may answer to open a free-entry-point window:
/// 24 hours, in seconds.
pub const FREE_ENTRY_POINT_REPLY_SECS: u64 = 24 * 60 * 60;

/// The facts about one user that decide their windows: the last inbound message or call, the last
/// entry-point (ad) message, and when an answer to it opened a free-entry-point window.
///
/// Records may arrive in any order (Meta does not order webhooks): older timestamps never shorten a
/// window. It serializes (serde) to a small JSON object, for trackers that persist it.
///
/// ```
/// use whatsapp_cloud::policy::Window;
/// let mut w = Window::new();
/// w.record_inbound(1_700_000_000);
/// let json = serde_json::to_string(&w)?;
/// assert_eq!(json, r#"{"last_inbound":1700000000}"#);
/// assert_eq!(serde_json::from_str::<Window>(&json)?, w);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[skip_serializing_none]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Window {
    #[serde(default)]
    last_inbound: Option<u64>,
    #[serde(default)]
    entry_point: Option<u64>,
    /// (entry point answered, time of the first answer).
    #[serde(default)]
    free_entry_point: Option<(u64, u64)>,
    /// The end of a free-entry-point window as Meta reported it in a status webhook.
    #[serde(default)]
    reported_free_entry_point_until: Option<u64>,
}

impl Window {
    /// A user never heard from: the window is closed.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records an inbound message or a user-initiated call at `at` (unix seconds).
    pub fn record_inbound(&mut self, at: u64) {
        self.last_inbound = Some(self.last_inbound.map_or(at, |t| t.max(at)));
    }

    /// Records an inbound message from a free entry point (a Click-to-WhatsApp ad or a Facebook Page
    /// call-to-action) at `at`; it is also an ordinary inbound message.
    pub fn record_entry_point(&mut self, at: u64) {
        self.record_inbound(at);
        self.entry_point = Some(self.entry_point.map_or(at, |t| t.max(at)));
    }

    /// Records a message the business sent at `at` (any type: Meta counts any answer). An answer
    /// within 24 hours of an entry-point message opens a 72-hour free-entry-point window from `at`.
    pub fn record_outbound(&mut self, at: u64) {
        let Some(entry) = self.entry_point else {
            return;
        };
        if at < entry || at - entry >= FREE_ENTRY_POINT_REPLY_SECS {
            return;
        }
        self.free_entry_point = match self.free_entry_point {
            // Another answer to the same entry point: the window runs from the first answer.
            Some((answered, first)) if answered == entry => Some((entry, first.min(at))),
            _ => Some((entry, at)),
        };
    }

    /// Records the end of a free-entry-point window as Meta reports it: the
    /// `conversation.expiration_timestamp` of a status priced `free_entry_point` (or with
    /// `conversation.origin.type: referral_conversion`). It covers entry points this record did not
    /// see, such as Facebook Page buttons; the later of the reported and the computed end counts.
    pub fn record_free_entry_point_until(&mut self, closes_at: u64) {
        self.reported_free_entry_point_until = Some(
            self.reported_free_entry_point_until
                .map_or(closes_at, |t| t.max(closes_at)),
        );
    }

    /// The facts of this record as the `record_*` calls that rebuild it on another user, in order:
    /// (inbound, entry point, answer to the entry point, reported end of a free-entry-point window).
    pub(crate) fn replay(&self) -> [Option<u64>; 4] {
        [
            self.last_inbound,
            self.entry_point,
            self.free_entry_point.map(|(_, answered_at)| answered_at),
            self.reported_free_entry_point_until,
        ]
    }

    /// Every fact of this record, for stores that encode it themselves: (last inbound, entry point,
    /// answered entry point, time of the first answer, reported end of a free-entry-point window).
    #[cfg_attr(not(feature = "redis"), allow(dead_code))]
    pub(crate) fn parts(&self) -> [Option<u64>; 5] {
        [
            self.last_inbound,
            self.entry_point,
            self.free_entry_point.map(|(e, _)| e),
            self.free_entry_point.map(|(_, a)| a),
            self.reported_free_entry_point_until,
        ]
    }

    /// The record [`Window::parts`] describes.
    #[cfg_attr(not(feature = "redis"), allow(dead_code))]
    pub(crate) fn from_parts(parts: [Option<u64>; 5]) -> Self {
        let [last_inbound, entry_point, answered, first, reported] = parts;
        Self {
            last_inbound,
            entry_point,
            free_entry_point: answered.zip(first),
            reported_free_entry_point_until: reported,
        }
    }

    /// When the user last messaged or called (unix seconds), if ever.
    pub fn last_inbound(&self) -> Option<u64> {
        self.last_inbound
    }

    /// The decision for a send at `now` (unix seconds).
    pub fn state(&self, now: u64) -> WindowState {
        let free_entry_point = self.free_entry_point_at(now);
        match self.last_inbound {
            Some(last) => {
                let closes_at = last.saturating_add(CUSTOMER_SERVICE_WINDOW_SECS);
                if now < closes_at {
                    WindowState::Open {
                        closes_at,
                        free_entry_point,
                    }
                } else {
                    WindowState::Closed {
                        closed_at: Some(closes_at),
                        free_entry_point,
                    }
                }
            }
            None => WindowState::Closed {
                closed_at: None,
                free_entry_point,
            },
        }
    }

    fn free_entry_point_at(&self, now: u64) -> FreeEntryPoint {
        let computed = self
            .free_entry_point
            .map(|(_, opened)| opened.saturating_add(FREE_ENTRY_POINT_WINDOW_SECS));
        let closes_at = computed.max(self.reported_free_entry_point_until);
        if let Some(closes_at) = closes_at.filter(|c| now < *c) {
            return FreeEntryPoint::Open { closes_at };
        }
        if let Some(entry) = self.entry_point {
            let answered = self.free_entry_point.is_some_and(|(e, _)| e == entry);
            let reply_by = entry.saturating_add(FREE_ENTRY_POINT_REPLY_SECS);
            if !answered && now < reply_by {
                return FreeEntryPoint::Offered { reply_by };
            }
        }
        FreeEntryPoint::None
    }

    /// The last moment (exclusive, unix seconds) at which this record still decides anything; after
    /// it the record is equivalent to [`Window::new`] except for [`Window::last_inbound`].
    pub fn relevant_until(&self) -> u64 {
        let csw = self
            .last_inbound
            .map_or(0, |t| t.saturating_add(CUSTOMER_SERVICE_WINDOW_SECS));
        let offer = self
            .entry_point
            .map_or(0, |t| t.saturating_add(FREE_ENTRY_POINT_REPLY_SECS));
        let fep = self
            .free_entry_point
            .map_or(0, |(_, t)| t.saturating_add(FREE_ENTRY_POINT_WINDOW_SECS));
        let reported = self.reported_free_entry_point_until.unwrap_or(0);
        csw.max(offer).max(fep).max(reported)
    }
}

impl Merge for Window {
    fn merge(&mut self, other: Self) {
        if let Some(t) = other.last_inbound {
            self.record_inbound(t);
        }
        if let Some(t) = other.reported_free_entry_point_until {
            self.record_free_entry_point_until(t);
        }
        match (self.entry_point, other.entry_point) {
            (Some(a), Some(b)) if b > a => {
                self.entry_point = Some(b);
                self.free_entry_point = other.free_entry_point.or(self.free_entry_point);
            }
            (None, Some(b)) => {
                self.entry_point = Some(b);
                self.free_entry_point = other.free_entry_point;
            }
            _ => {
                if let (Some((e, a)), Some((f, b))) =
                    (self.free_entry_point, other.free_entry_point)
                    && e == f
                {
                    self.free_entry_point = Some((e, a.min(b)));
                } else if self.free_entry_point.is_none() {
                    self.free_entry_point = other.free_entry_point;
                }
            }
        }
    }
}

/// A [`Window`] in 24 bytes for the in-memory tracker: its times as `u32` seconds (which last
/// until 2106), or the whole record boxed when one does not fit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PackedWindow {
    /// (last inbound, entry point, entry point answered, first answer, reported end); `u32::MAX`
    /// is absent (the answered pair is absent as a whole).
    Short([u32; 5]),
    /// A record with a time at or beyond `u32::MAX`.
    Long(Box<Window>),
}

impl Default for PackedWindow {
    fn default() -> Self {
        Self::Short([u32::MAX; 5])
    }
}

impl PackedWindow {
    /// The compact form of `window`.
    pub(crate) fn pack(window: Window) -> Self {
        let short = |t: Option<u64>| match t {
            None => Some(u32::MAX),
            Some(t) => u32::try_from(t).ok().filter(|t| *t != u32::MAX),
        };
        let (answered, first) = match window.free_entry_point {
            Some((e, a)) => (Some(e), Some(a)),
            None => (None, None),
        };
        let times = [
            short(window.last_inbound),
            short(window.entry_point),
            short(answered),
            short(first),
            short(window.reported_free_entry_point_until),
        ];
        match times {
            [Some(a), Some(b), Some(c), Some(d), Some(e)] => Self::Short([a, b, c, d, e]),
            _ => Self::Long(Box::new(window)),
        }
    }

    /// The record itself.
    pub(crate) fn unpack(&self) -> Window {
        match self {
            Self::Short([inbound, entry, answered, first, reported]) => {
                let long = |t: u32| (t != u32::MAX).then_some(u64::from(t));
                Window {
                    last_inbound: long(*inbound),
                    entry_point: long(*entry),
                    free_entry_point: long(*answered).zip(long(*first)),
                    reported_free_entry_point_until: long(*reported),
                }
            }
            Self::Long(window) => **window,
        }
    }

    /// Applies `change` to the record.
    pub(crate) fn update(&mut self, change: impl FnOnce(&mut Window)) {
        let mut window = self.unpack();
        change(&mut window);
        *self = Self::pack(window);
    }
}

impl Merge for PackedWindow {
    fn merge(&mut self, other: Self) {
        self.update(|w| w.merge(other.unpack()));
    }
}

/// Whether a user's customer-service window is open at a given moment, and what that allows.
///
/// ```
/// use whatsapp_cloud::policy::{FreeEntryPoint, Window, WindowState};
/// let state = Window::new().state(1_700_000_000);
/// assert_eq!(state, WindowState::Closed { closed_at: None, free_entry_point: FreeEntryPoint::None });
/// assert!(state.requires_template());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum WindowState {
    /// The window is open: any message may be sent until `closes_at` (exclusive, unix seconds).
    Open {
        /// The first moment at which the window is closed, unless the user writes again.
        closes_at: u64,
        /// The free-entry-point window, if any.
        free_entry_point: FreeEntryPoint,
    },
    /// The window is closed: only template messages may be sent.
    Closed {
        /// When it closed; `None` when no message or call from this user is known.
        closed_at: Option<u64>,
        /// The free-entry-point window, if any (an open one makes templates free).
        free_entry_point: FreeEntryPoint,
    },
}

impl WindowState {
    /// True when free-form (non-template) messages may be sent.
    pub fn allows_free_form(&self) -> bool {
        matches!(self, Self::Open { .. })
    }

    /// True when only a template message may be sent.
    pub fn requires_template(&self) -> bool {
        !self.allows_free_form()
    }

    /// When an open window closes (unix seconds); `None` when closed.
    pub fn closes_at(&self) -> Option<u64> {
        match self {
            Self::Open { closes_at, .. } => Some(*closes_at),
            Self::Closed { .. } => None,
        }
    }

    /// Seconds left before an open window closes; `None` when closed.
    pub fn remaining(&self, now: u64) -> Option<u64> {
        self.closes_at().map(|c| c.saturating_sub(now))
    }

    /// The free-entry-point window at that moment.
    pub fn free_entry_point(&self) -> FreeEntryPoint {
        match self {
            Self::Open {
                free_entry_point, ..
            }
            | Self::Closed {
                free_entry_point, ..
            } => *free_entry_point,
        }
    }
}

/// The free-entry-point (FEP) window of a user who came from a Click-to-WhatsApp ad.
///
/// It decides what Meta charges, not what may be sent: an open FEP window makes every message free,
/// templates included, but free-form messages still need an open customer-service window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum FreeEntryPoint {
    /// No free-entry-point window applies.
    None,
    /// The user came from an ad and the business has not answered yet: an answer before `reply_by`
    /// (exclusive, unix seconds) is free and opens a 72-hour FEP window.
    Offered {
        /// The deadline for the answer.
        reply_by: u64,
    },
    /// Open: every message is free until `closes_at` (exclusive, unix seconds).
    Open {
        /// When the FEP window closes.
        closes_at: u64,
    },
}

impl FreeEntryPoint {
    /// True when the FEP window is open.
    pub fn is_open(&self) -> bool {
        matches!(self, Self::Open { .. })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: u64 = 1_700_000_000;
    const H: u64 = 3_600;

    #[test]
    fn window_is_open_through_the_last_second_and_closed_at_24_hours() {
        let mut w = Window::new();
        w.record_inbound(T0);
        assert!(w.state(T0 + 24 * H - 1).allows_free_form());
        assert_eq!(
            w.state(T0 + 24 * H),
            WindowState::Closed {
                closed_at: Some(T0 + 24 * H),
                free_entry_point: FreeEntryPoint::None
            }
        );
    }

    #[test]
    fn older_inbound_does_not_shorten_the_window() {
        let mut w = Window::new();
        w.record_inbound(T0 + 10 * H);
        w.record_inbound(T0);
        assert_eq!(w.state(T0 + 11 * H).closes_at(), Some(T0 + 34 * H));
    }

    #[test]
    fn answer_within_24_hours_of_an_ad_message_opens_a_72_hour_fep_from_the_answer() {
        let mut w = Window::new();
        w.record_entry_point(T0);
        assert_eq!(
            w.state(T0).free_entry_point(),
            FreeEntryPoint::Offered {
                reply_by: T0 + 24 * H
            }
        );
        w.record_outbound(T0 + 2 * H);
        assert_eq!(
            w.state(T0 + 2 * H).free_entry_point(),
            FreeEntryPoint::Open {
                closes_at: T0 + 74 * H
            }
        );
        // The CSW closed at 24 h, the FEP keeps templates free until 74 h.
        let at_30h = w.state(T0 + 30 * H);
        assert!(at_30h.requires_template());
        assert!(at_30h.free_entry_point().is_open());
        assert_eq!(
            w.state(T0 + 74 * H).free_entry_point(),
            FreeEntryPoint::None
        );
    }

    #[test]
    fn answer_at_24_hours_opens_no_fep() {
        let mut w = Window::new();
        w.record_entry_point(T0);
        w.record_outbound(T0 + 24 * H);
        assert_eq!(
            w.state(T0 + 24 * H).free_entry_point(),
            FreeEntryPoint::None
        );
        let mut w = Window::new();
        w.record_entry_point(T0);
        w.record_outbound(T0 + 24 * H - 1);
        assert_eq!(
            w.state(T0 + 24 * H).free_entry_point(),
            FreeEntryPoint::Open {
                closes_at: T0 + 96 * H - 1
            }
        );
    }

    #[test]
    fn fep_runs_from_the_first_answer_even_when_answers_arrive_out_of_order() {
        let mut w = Window::new();
        w.record_entry_point(T0);
        w.record_outbound(T0 + 5 * H);
        w.record_outbound(T0 + H);
        assert_eq!(
            w.state(T0 + 5 * H).free_entry_point(),
            FreeEntryPoint::Open {
                closes_at: T0 + 73 * H
            }
        );
    }

    #[test]
    fn reported_fep_end_counts_when_no_entry_point_was_seen() {
        let mut w = Window::new();
        w.record_free_entry_point_until(T0 + 50 * H);
        w.record_free_entry_point_until(T0 + 40 * H);
        assert_eq!(
            w.state(T0).free_entry_point(),
            FreeEntryPoint::Open {
                closes_at: T0 + 50 * H
            }
        );
        assert_eq!(
            w.state(T0 + 50 * H).free_entry_point(),
            FreeEntryPoint::None
        );
        assert_eq!(w.relevant_until(), T0 + 50 * H);
    }

    #[test]
    fn merge_keeps_the_latest_facts() {
        let mut a = Window::new();
        a.record_inbound(T0);
        let mut b = Window::new();
        b.record_entry_point(T0 + H);
        b.record_outbound(T0 + 2 * H);
        a.merge(b);
        assert_eq!(a.last_inbound(), Some(T0 + H));
        assert!(a.state(T0 + 3 * H).free_entry_point().is_open());
    }
}
