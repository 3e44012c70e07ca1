//! The fake's analytics: messaging, conversation, pricing and call analytics on
//! `GET /<WABA_ID>?fields=...`, template insights, template (group) analytics and template compare.
//!
//! Answers are deterministic: one data point per time bucket of the query's granularity (at most
//! 400), with counts that depend only on the bucket's position, so tests can assert them.

use super::fake::{FakeCloudApi, missing_object};
use serde_json::{Value, json};
use wiremock::matchers::{header, method, path, path_regex};
use wiremock::{Mock, Request, Respond, ResponseTemplate};

const VERSION: &str = crate::endpoint::DEFAULT_API_VERSION;

/// The most points the fake puts in one answer.
const MAX_POINTS: u64 = 400;

impl FakeCloudApi {
    pub(super) async fn mount_analytics(&self) {
        let bearer = format!("Bearer {}", self.access_token);
        let waba = self.waba_id().to_owned();
        Mock::given(method("GET"))
            .and(path(format!("/{VERSION}/{waba}")))
            .and(header("authorization", bearer.as_str()))
            .respond_with(AccountFieldsResponder { waba: waba.clone() })
            .with_priority(5)
            .mount(&self.server)
            .await;
        Mock::given(method("POST"))
            .and(path(format!("/{VERSION}/{waba}")))
            .and(header("authorization", bearer.as_str()))
            .respond_with(InsightsResponder { waba: waba.clone() })
            .with_priority(5)
            .mount(&self.server)
            .await;
        Mock::given(method("GET"))
            .and(path_regex(format!(
                "^/{VERSION}/{waba}/template(_group)?_analytics$"
            )))
            .and(header("authorization", bearer.as_str()))
            .respond_with(TemplateAnalyticsResponder)
            .with_priority(5)
            .mount(&self.server)
            .await;
        Mock::given(method("GET"))
            .and(path_regex(format!("^/{VERSION}/[0-9]+/compare$")))
            .and(header("authorization", bearer.as_str()))
            .respond_with(CompareResponder)
            .with_priority(5)
            .mount(&self.server)
            .await;
    }
}

fn invalid_parameter(message: &str) -> ResponseTemplate {
    ResponseTemplate::new(400).set_body_json(json!({"error": {
        "message": format!("(#100) {message}"),
        "type": "OAuthException",
        "code": 100,
        "fbtrace_id": "AFakeAn4lyt1cs"
    }}))
}

fn query_param(request: &Request, name: &str) -> Option<String> {
    request
        .url
        .query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// The argument of `.name(...)` in a field expression.
fn argument<'a>(expr: &'a str, name: &str) -> Option<&'a str> {
    let start = expr.find(&format!(".{name}("))? + name.len() + 2;
    let len = expr[start..].find(')')?;
    Some(&expr[start..start + len])
}

fn bucket_seconds(granularity: &str) -> Option<u64> {
    match granularity {
        "HALF_HOUR" => Some(1_800),
        "DAY" | "DAILY" => Some(86_400),
        "MONTH" | "MONTHLY" => Some(30 * 86_400),
        _ => None,
    }
}

/// `(start, end)` of each bucket between `start` and `end`.
fn buckets(start: u64, end: u64, step: u64) -> Vec<(u64, u64)> {
    (0..MAX_POINTS)
        .map(|i| start + i * step)
        .take_while(|s| *s < end)
        .map(|s| (s, (s + step).min(end)))
        .collect()
}

/// Answers `GET /<WABA_ID>?fields=<analytics field expression>`.
struct AccountFieldsResponder {
    waba: String,
}

impl Respond for AccountFieldsResponder {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let Some(fields) = query_param(request, "fields") else {
            return ResponseTemplate::new(200).set_body_json(json!({"id": self.waba}));
        };
        let field = fields.split('.').next().unwrap_or_default();
        let number = |name| argument(&fields, name).and_then(|v| v.parse::<u64>().ok());
        let (Some(start), Some(end)) = (number("start"), number("end")) else {
            return invalid_parameter("start and end are required");
        };
        let granularity = argument(&fields, "granularity").unwrap_or_default();
        let allowed: &[&str] = if field == "analytics" {
            &["HALF_HOUR", "DAY", "MONTH"]
        } else {
            &["HALF_HOUR", "DAILY", "MONTHLY"]
        };
        let Some(step) = bucket_seconds(granularity).filter(|_| allowed.contains(&granularity))
        else {
            return invalid_parameter(&format!("granularity must be one of {allowed:?}"));
        };
        if start >= end {
            return invalid_parameter("start must be before end");
        }
        let spans = buckets(start, end, step);
        let point = |i: usize, (s, e): (u64, u64)| -> Value {
            let n = i as u64 + 1;
            match field {
                "analytics" => json!({"start": s, "end": e, "sent": 10 * n, "delivered": 9 * n}),
                "conversation_analytics" => json!({"start": s, "end": e, "conversation": n,
                    "conversation_category": "SERVICE", "cost": 0}),
                "pricing_analytics" => json!({"start": s, "end": e, "volume": 5 * n,
                    "pricing_category": "UTILITY", "pricing_type": "REGULAR", "tier": "0:750000",
                    "cost": 0.05 * (5 * n) as f64}),
                _ => json!({"start": s, "end": e, "count": n, "average_duration": 60, "cost": 0}),
            }
        };
        let points: Vec<Value> = spans
            .into_iter()
            .enumerate()
            .map(|(i, b)| point(i, b))
            .collect();
        let value = match field {
            "analytics" => json!({"phone_numbers": [], "granularity": granularity,
                "data_points": points}),
            "conversation_analytics" | "pricing_analytics" | "call_analytics" => {
                json!({"data": [{"data_points": points}]})
            }
            _ => return invalid_parameter(&format!("unknown field {field}")),
        };
        ResponseTemplate::new(200).set_body_json(json!({ field: value, "id": self.waba }))
    }
}

/// Answers `POST /<WABA_ID>?is_enabled_for_insights=true`.
struct InsightsResponder {
    waba: String,
}

impl Respond for InsightsResponder {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        match query_param(request, "is_enabled_for_insights").as_deref() {
            Some("true") => ResponseTemplate::new(200).set_body_json(json!({"id": self.waba})),
            _ => missing_object(&self.waba),
        }
    }
}

/// The ids of a `[1,2]` list.
fn id_list(value: &str) -> Vec<String> {
    value
        .trim_start_matches('[')
        .trim_end_matches(']')
        .split(',')
        .map(|s| s.trim().trim_matches('"').to_owned())
        .filter(|s| !s.is_empty())
        .collect()
}

/// Answers `GET /<WABA_ID>/template_analytics` and `/template_group_analytics`: one point per id
/// and day.
struct TemplateAnalyticsResponder;

impl Respond for TemplateAnalyticsResponder {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let group = request.url.path().ends_with("template_group_analytics");
        let (ids_param, id_key) = if group {
            ("template_group_ids", "template_group_id")
        } else {
            ("template_ids", "template_id")
        };
        let number = |name| query_param(request, name).and_then(|v| v.parse::<u64>().ok());
        let (Some(start), Some(end)) = (number("start"), number("end")) else {
            return invalid_parameter("start and end are required");
        };
        let ids = query_param(request, ids_param)
            .map(|v| id_list(&v))
            .unwrap_or_default();
        if ids.is_empty() {
            return invalid_parameter(&format!("{ids_param} is required"));
        }
        let product = query_param(request, "product_type").unwrap_or_else(|| "CLOUD_API".into());
        let mut points = Vec::new();
        for id in &ids {
            for (i, (s, e)) in buckets(start, end, 86_400).into_iter().enumerate() {
                let n = i as u64 + 1;
                points.push(json!({id_key: id, "start": s, "end": e,
                    "sent": 100 * n, "delivered": 95 * n, "read": 60 * n,
                    "clicked": [{"type": "url_button", "button_content": "Track", "count": 7 * n}],
                    "cost": [{"type": "amount_spent", "value": n as f64}]}));
            }
        }
        ResponseTemplate::new(200).set_body_json(json!({"data": [{"granularity": "DAILY",
            "product_type": product, "data_points": points}]}))
    }
}

/// Answers `GET /<TEMPLATE_ID>/compare`: the compared template has the lower block rate.
struct CompareResponder;

impl Respond for CompareResponder {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let target = request
            .url
            .path()
            .trim_end_matches("/compare")
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .to_owned();
        let others = query_param(request, "template_ids")
            .map(|v| id_list(&v))
            .unwrap_or_default();
        let [other] = others.as_slice() else {
            return invalid_parameter("template_ids must name exactly one other template");
        };
        ResponseTemplate::new(200).set_body_json(json!({"data": [
            {"metric": "BLOCK_RATE", "type": "RELATIVE", "order_by_relative_metric": [other, target]},
            {"metric": "MESSAGE_SENDS", "type": "NUMBER_VALUES",
             "number_values": [{"key": target, "value": 1273}, {"key": other, "value": 1042}]},
            {"metric": "TOP_BLOCK_REASON", "type": "STRING_VALUES",
             "string_values": [{"key": target, "value": "NO_LONGER_NEEDED"},
                               {"key": other, "value": "UNKNOWN_BLOCK_REASON"}]}
        ]}))
    }
}
