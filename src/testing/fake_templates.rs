//! The fake's template administration: unpause, archive and unarchive (served on the fake's own
//! host in place of `api.facebook.com`, without a version, as Meta's paths are), migration, the
//! Template Library, authentication upsert and previews, and click-tracking opt-out. Bulk delete by
//! id is answered by the fake's template delete route.

use serde_json::{Value, json};
use wiremock::matchers::{method, path, path_regex, query_param};
use wiremock::{Mock, MockBuilder, MockServer, Request, Respond, ResponseTemplate};

/// Archive and unarchive: every id given is done (Meta's `failed_templates` stays empty).
struct ArchivalResponder {
    key: &'static str,
}

impl Respond for ArchivalResponder {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let ids = serde_json::from_slice::<Value>(&request.body)
            .ok()
            .and_then(|b| b.get("hsm_ids").cloned())
            .filter(Value::is_array);
        match ids {
            Some(ids) => ResponseTemplate::new(200)
                .set_body_json(json!({ self.key: ids, "failed_templates": {} })),
            None => ResponseTemplate::new(400).set_body_json(json!({"error": {
                "message": "(#100) The parameter hsm_ids is required",
                "type": "OAuthException", "code": 100, "fbtrace_id": "AfakeTrace"}})),
        }
    }
}

/// Upsert: one `PENDING` template per language asked.
struct UpsertResponder;

impl Respond for UpsertResponder {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let languages = serde_json::from_slice::<Value>(&request.body)
            .ok()
            .and_then(|b| b.get("languages").and_then(Value::as_array).cloned())
            .unwrap_or_default();
        let data: Vec<Value> = languages
            .iter()
            .enumerate()
            .map(|(i, l)| json!({"id": format!("17000000000000{i}"), "status": "PENDING", "language": l}))
            .collect();
        ResponseTemplate::new(200).set_body_json(json!({ "data": data }))
    }
}

/// Mounts the routes; `authed` adds the fake's bearer check.
pub(super) async fn mount(
    server: &MockServer,
    version: &str,
    waba: &str,
    authed: impl Fn(MockBuilder) -> MockBuilder,
) {
    for (action, key) in [
        ("archive", "archived_templates"),
        ("unarchive", "unarchived_templates"),
    ] {
        authed(
            Mock::given(method("POST")).and(path(format!("/{waba}/message_templates/{action}"))),
        )
        .respond_with(ArchivalResponder { key })
        .with_priority(5)
        .mount(server)
        .await;
    }
    authed(Mock::given(method("POST")).and(path_regex(format!("^/{version}/[0-9]+/unpause$"))))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"success": true})))
        .with_priority(5)
        .mount(server)
        .await;
    authed(
        Mock::given(method("POST"))
            .and(path_regex(format!("^/{version}/[0-9]+$")))
            .and(query_param("cta_url_link_tracking_opted_out", "true")),
    )
    .respond_with(ResponseTemplate::new(200).set_body_json(json!({"success": true})))
    .with_priority(5)
    .mount(server)
    .await;
    authed(
        Mock::given(method("POST"))
            .and(path(format!("/{version}/{waba}/migrate_message_templates"))),
    )
    .respond_with(
        ResponseTemplate::new(200).set_body_json(
            json!({"migrated_templates": ["1473688840035974"], "failed_templates": {}}),
        ),
    )
    .with_priority(5)
    .mount(server)
    .await;
    authed(Mock::given(method("GET")).and(path(format!("/{version}/message_template_library"))))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": [{
            "name": "payment_overdue_1", "language": "en_US", "category": "UTILITY",
            "topic": "PAYMENTS", "usecase": "PAYMENT_OVERDUE", "industry": ["E_COMMERCE"],
            "body": "Your payment for {{1}} is overdue.", "body_params": ["order #12345"],
            "body_param_types": ["TEXT"], "buttons": [{"type": "URL", "text": "Pay now"}],
            "id": "7138055039625658"}]})))
        .with_priority(5)
        .mount(server)
        .await;
    authed(
        Mock::given(method("POST"))
            .and(path(format!("/{version}/{waba}/upsert_message_templates"))),
    )
    .respond_with(UpsertResponder)
    .with_priority(5)
    .mount(server)
    .await;
    authed(
        Mock::given(method("GET"))
            .and(path(format!("/{version}/{waba}/message_template_previews"))),
    )
    .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": [{
        "language": "en_US",
        "body": "*{{1}}* is your verification code. For your security, do not share this code.",
        "footer": "This code expires in 10 minutes.",
        "buttons": [{"autofill_text": "Autofill", "text": "Copy code"}]}]})))
    .with_priority(5)
    .mount(server)
    .await;
}
