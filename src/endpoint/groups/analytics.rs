//! Group analytics: messages sent, delivered and read in a group, and participants who joined or
//! left, per day (Meta's "Analytics" page).

use super::opt_u64_lenient;
use crate::endpoint::paging::wire_enum;
use crate::endpoint::{ApiContext, Endpoint, Idempotency, parse_json};
use crate::error::{Error, ValidationError, Violation};
use crate::ids::GroupId;
use crate::limits;
use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

/// How far back group analytics go, in days.
pub const GROUP_ANALYTICS_LOOKBACK_DAYS: u64 = 90;

const DAY_SECONDS: u64 = 86_400;

wire_enum! {
    /// A metric of [`GetGroupAnalytics`].
    GroupMetric {
        /// Messages the business sent to the group.
        Sent = "SENT",
        /// Messages delivered.
        Delivered = "DELIVERED",
        /// Messages read.
        Read = "READ",
        /// Participants who joined.
        ParticipantsJoined = "PARTICIPANTS_JOINED",
        /// Participants who left or were removed.
        ParticipantsLeft = "PARTICIPANTS_LEFT",
    }
}

impl GroupMetric {
    /// Every metric Meta documents.
    pub const ALL: [GroupMetric; 5] = [
        GroupMetric::Sent,
        GroupMetric::Delivered,
        GroupMetric::Read,
        GroupMetric::ParticipantsJoined,
        GroupMetric::ParticipantsLeft,
    ];
}

/// Reads one group's daily analytics: `GET /<WABA_ID>/group_analytics?granularity=DAILY&start&end
/// &group_ids=["<GROUP_ID>"]&metric_types=[…]`.
///
/// One group per call; `start` and `end` are unix seconds, at most 90 days apart (Meta keeps 90 days).
///
/// ```
/// use whatsapp_cloud::endpoint::{ApiContext, Endpoint};
/// use whatsapp_cloud::endpoint::groups::{GetGroupAnalytics, GroupMetric};
///
/// let ctx = ApiContext::without_phone_number("token").with_waba_id("102290129340398");
/// let get = GetGroupAnalytics::new("Y2FwaV9ncm91cDox", 1_764_000_000, 1_764_604_800)
///     .metrics([GroupMetric::Sent, GroupMetric::Read]);
/// let request = get.to_request(&ctx)?;
/// assert_eq!(request.uri().query(), Some("granularity=DAILY&start=1764000000&end=1764604800\
///     &group_ids=%5B%22Y2FwaV9ncm91cDox%22%5D&metric_types=%5B%22SENT%22%2C%22READ%22%5D"));
/// let analytics = get.parse_response(http::Response::new(br#"{"data":[{"granularity":"DAILY",
///     "data_points":[{"start":1764000000,"end":1764086400,"sent":12,"read":9}]}]}"#.to_vec()))?;
/// assert_eq!(analytics.points().next().and_then(|p| p.value(&GroupMetric::Read)), Some(9));
/// # Ok::<(), whatsapp_cloud::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct GetGroupAnalytics {
    group_id: GroupId,
    start: u64,
    end: u64,
    metrics: Vec<GroupMetric>,
}

impl GetGroupAnalytics {
    /// Every metric of group `group_id` from `start` to `end` (unix seconds).
    pub fn new(group_id: impl Into<GroupId>, start: u64, end: u64) -> Self {
        Self {
            group_id: group_id.into(),
            start,
            end,
            metrics: GroupMetric::ALL.to_vec(),
        }
    }

    /// Only these metrics.
    pub fn metrics(mut self, metrics: impl IntoIterator<Item = GroupMetric>) -> Self {
        self.metrics = metrics.into_iter().collect();
        self
    }

    /// Checks the group id, that `start` comes before `end` within 90 days, and that a metric is asked for.
    ///
    /// # Errors
    /// `group_ids`, `end` or `metric_types`.
    pub fn validate(&self) -> Result<(), ValidationError> {
        limits::id_unbounded("group_ids[0]", self.group_id.as_str())?;
        let span = self.end.checked_sub(self.start).filter(|s| *s > 0);
        let max = GROUP_ANALYTICS_LOOKBACK_DAYS * DAY_SECONDS;
        match span {
            Some(span) if span <= max => {}
            _ => {
                return Err(ValidationError::new(
                    "end",
                    Violation::OutOfRange {
                        min: i64::try_from(self.start.saturating_add(1)).unwrap_or(i64::MAX),
                        max: i64::try_from(self.start.saturating_add(max)).unwrap_or(i64::MAX),
                        actual: i64::try_from(self.end).unwrap_or(i64::MAX),
                    },
                ));
            }
        }
        if self.metrics.is_empty() {
            return Err(ValidationError::new(
                "metric_types",
                Violation::TooFew { min: 1, actual: 0 },
            ));
        }
        Ok(())
    }
}

impl Endpoint for GetGroupAnalytics {
    type Output = GroupAnalytics;

    fn to_request(&self, ctx: &ApiContext) -> Result<http::Request<Vec<u8>>, Error> {
        self.validate()?;
        let mut url = ctx.url(&[ctx.require_waba_id()?.as_str(), "group_analytics"])?;
        let group_ids = serde_json::to_string(&[self.group_id.as_str()])
            .map_err(|e| Error::config(format!("group_ids could not be written: {e}")))?;
        let metrics = serde_json::to_string(&self.metrics)
            .map_err(|e| Error::config(format!("metric_types could not be written: {e}")))?;
        url.query_pairs_mut()
            .append_pair("granularity", "DAILY")
            .append_pair("start", &self.start.to_string())
            .append_pair("end", &self.end.to_string())
            .append_pair("group_ids", &group_ids)
            .append_pair("metric_types", &metrics);
        ctx.empty_request(http::Method::GET, &url)
    }

    fn parse_response<B: AsRef<[u8]>>(
        &self,
        response: http::Response<B>,
    ) -> Result<GroupAnalytics, Error> {
        parse_json("group analytics", response)
    }

    fn idempotency(&self) -> Idempotency {
        Idempotency::Idempotent
    }
}

/// Meta's answer to [`GetGroupAnalytics`]: series of daily data points.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct GroupAnalytics {
    /// The series (one per group asked for).
    #[serde(default)]
    pub data: Vec<GroupAnalyticsSeries>,
}

impl GroupAnalytics {
    /// Every data point of every series.
    pub fn points(&self) -> impl Iterator<Item = &GroupAnalyticsPoint> {
        self.data.iter().flat_map(|s| s.data_points.iter())
    }
}

/// One series of [`GroupAnalytics`].
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct GroupAnalyticsSeries {
    /// `DAILY`.
    #[serde(default)]
    pub granularity: Option<String>,
    /// The group, when Meta names it.
    #[serde(default)]
    pub group_id: Option<GroupId>,
    /// The days.
    #[serde(default)]
    pub data_points: Vec<GroupAnalyticsPoint>,
}

/// One day of a group's metrics; a metric not asked for (or with nothing to count) is absent.
#[skip_serializing_none]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct GroupAnalyticsPoint {
    /// The day's start, unix seconds.
    #[serde(default, deserialize_with = "opt_u64_lenient")]
    pub start: Option<u64>,
    /// The day's end, unix seconds.
    #[serde(default, deserialize_with = "opt_u64_lenient")]
    pub end: Option<u64>,
    /// Messages sent.
    #[serde(default, deserialize_with = "opt_u64_lenient")]
    pub sent: Option<u64>,
    /// Messages delivered.
    #[serde(default, deserialize_with = "opt_u64_lenient")]
    pub delivered: Option<u64>,
    /// Messages read.
    #[serde(default, deserialize_with = "opt_u64_lenient")]
    pub read: Option<u64>,
    /// Participants who joined.
    #[serde(default, deserialize_with = "opt_u64_lenient")]
    pub participants_joined: Option<u64>,
    /// Participants who left.
    #[serde(default, deserialize_with = "opt_u64_lenient")]
    pub participants_left: Option<u64>,
}

impl GroupAnalyticsPoint {
    /// The value of `metric` on this day, when present.
    pub fn value(&self, metric: &GroupMetric) -> Option<u64> {
        match metric {
            GroupMetric::Sent => self.sent,
            GroupMetric::Delivered => self.delivered,
            GroupMetric::Read => self.read,
            GroupMetric::ParticipantsJoined => self.participants_joined,
            GroupMetric::ParticipantsLeft => self.participants_left,
            GroupMetric::Unknown(_) => None,
        }
    }
}
