use super::*;
use crate::endpoint::{ApiContext, Endpoint};
use crate::error::{Error, Violation};

fn ctx() -> ApiContext {
    ApiContext::without_phone_number("token").with_waba_id("102290129340398")
}

fn violation(result: Result<http::Request<Vec<u8>>, Error>) -> (String, Violation) {
    match result {
        Err(Error::Validation(v)) => (v.field, v.violation),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

fn ok(body: &str) -> http::Response<Vec<u8>> {
    http::Response::builder()
        .status(200)
        .body(body.as_bytes().to_vec())
        .unwrap()
}

#[test]
fn template_analytics_query_is_written_in_order_and_encoded() {
    let request = GetTemplateAnalytics::new(
        1_748_736_000,
        1_749_340_800,
        ["1924084211297547", "954638012257287"],
    )
    .metric_types([TemplateMetricType::Sent, TemplateMetricType::Cost])
    .product_type(TemplateProductType::CloudApi)
    .use_waba_timezone(true)
    .limit(5)
    .to_request(&ctx())
    .unwrap();
    assert_eq!(request.method(), http::Method::GET);
    assert_eq!(
        request.uri().path(),
        "/v26.0/102290129340398/template_analytics"
    );
    assert_eq!(
        request.uri().query(),
        Some(
            "start=1748736000&end=1749340800&granularity=DAILY\
             &template_ids=%5B1924084211297547%2C954638012257287%5D\
             &metric_types=%5B%22SENT%22%2C%22COST%22%5D&product_type=CLOUD_API\
             &use_waba_timezone=true&limit=5"
        )
    );
}

#[test]
fn one_to_ten_numeric_distinct_template_ids() {
    let ids = |n: usize| (1..=n).map(|i| i.to_string()).collect::<Vec<_>>();
    assert!(
        GetTemplateAnalytics::new(1, 2, ids(10))
            .to_request(&ctx())
            .is_ok()
    );
    let (field, v) = violation(GetTemplateAnalytics::new(1, 2, ids(11)).to_request(&ctx()));
    assert_eq!(
        (field.as_str(), v),
        (
            "template_ids",
            Violation::TooMany {
                max: 10,
                actual: 11
            }
        )
    );
    let (field, v) =
        violation(GetTemplateAnalytics::new(1, 2, Vec::<String>::new()).to_request(&ctx()));
    assert_eq!(
        (field.as_str(), v),
        ("template_ids", Violation::TooFew { min: 1, actual: 0 })
    );
    let (field, v) =
        violation(GetTemplateAnalytics::new(1, 2, ["12", "order_update"]).to_request(&ctx()));
    assert_eq!(field, "template_ids[1]");
    assert!(matches!(v, Violation::Invalid { value, .. } if value == "order_update"));
    let (field, v) = violation(GetTemplateAnalytics::new(1, 2, ["12", "12"]).to_request(&ctx()));
    assert_eq!(
        (field.as_str(), v),
        (
            "template_ids[1]",
            Violation::Duplicate { value: "12".into() }
        )
    );
    let (field, _) = violation(GetTemplateAnalytics::new(2, 2, ["12"]).to_request(&ctx()));
    assert_eq!(field, "end");
}

#[test]
fn conversion_metrics_need_the_marketing_messages_product() {
    let q = GetTemplateAnalytics::new(1, 2, ["12"])
        .metric_types([TemplateMetricType::Sent, TemplateMetricType::AppPurchases]);
    let (field, v) = violation(q.clone().to_request(&ctx()));
    assert_eq!(field, "metric_types[1]");
    assert!(matches!(v, Violation::Invalid { value, .. } if value == "APP_PURCHASES"));
    let q = q.product_type(TemplateProductType::MarketingMessages);
    let request = q.to_request(&ctx()).unwrap();
    assert!(
        request
            .uri()
            .query()
            .unwrap()
            .ends_with("&product_type=MARKETING_MESSAGES_API_FOR_WHATSAPP")
    );
    assert!(TemplateMetricType::WebsitePurchasesConversionValue.marketing_messages_only());
    assert!(!TemplateMetricType::Clicked.marketing_messages_only());
    assert!(!TemplateMetricType::Unknown("APP_NEW".into()).marketing_messages_only());
}

#[test]
fn group_analytics_names_its_ids_parameter() {
    let request = GetTemplateGroupAnalytics::new(10, 20, ["841756"])
        .to_request(&ctx())
        .unwrap();
    assert_eq!(
        request.uri().path(),
        "/v26.0/102290129340398/template_group_analytics"
    );
    assert_eq!(
        request.uri().query(),
        Some("start=10&end=20&granularity=DAILY&template_group_ids=%5B841756%5D")
    );
    let (field, _) =
        violation(GetTemplateGroupAnalytics::new(10, 20, Vec::<String>::new()).to_request(&ctx()));
    assert_eq!(field, "template_group_ids");
}

#[test]
fn template_analytics_points_parse_with_clicks_costs_and_other_metrics() {
    let q = GetTemplateAnalytics::new(1, 2, ["1924084211297547"]);
    let page = q
        .parse_response(ok(r#"{"data":[{"granularity":"DAILY","product_type":"MARKETING_MESSAGES_API_FOR_WHATSAPP",
            "data_points":[{"template_id":"1924084211297547","start":1689379200,"end":1689465600,
              "sent":5,"delivered":4,"read":2,
              "clicked":[{"type":"quick_reply_button","button_content":"Tell me more","count":3},
                         {"type":"url_button","button_content":"Visit","count":1},
                         {"type":"call_button","button_content":"Call","count":2}],
              "cost":[{"type":"amount_spent","value":0.5},{"type":"cost_per_delivered","value":0.125},
                      {"type":"cost_per_url_button_click"}],
              "app_purchases":2}]}],
            "paging":{"cursors":{"before":"MAZDZD","after":"MjQZD"},"next":"https://graph.facebook.com/v26.0/x?after=MjQZD"}}"#))
        .unwrap();
    let entry = &page.items()[0];
    assert_eq!(
        entry.product_type,
        Some(TemplateProductType::MarketingMessages)
    );
    let p = &entry.data_points[0];
    assert_eq!(p.template_id.as_deref(), Some("1924084211297547"));
    assert_eq!((p.sent, p.delivered, p.read), (Some(5), Some(4), Some(2)));
    assert_eq!(p.clicked[0].button_type, ClickedButtonType::QuickReply);
    assert_eq!(p.clicked[1].button_type, ClickedButtonType::Url);
    assert_eq!(
        p.clicked[2].button_type,
        ClickedButtonType::Unknown("call_button".into())
    );
    assert_eq!(p.cost[1].cost_type, TemplateCostType::CostPerDelivered);
    assert_eq!(p.cost[1].value, Some(0.125));
    assert_eq!(p.cost[2].value, None);
    assert_eq!(p.other.get("app_purchases"), Some(&serde_json::json!(2)));
    let next = page.next_page().expect("a next page");
    assert!(
        next.to_request(&ctx())
            .unwrap()
            .uri()
            .query()
            .unwrap()
            .ends_with("&after=MjQZD")
    );
}

#[test]
fn a_point_without_reads_or_costs_has_none() {
    let page = GetTemplateGroupAnalytics::new(1, 2, ["9"])
        .parse_response(ok(r#"{"data":[{"granularity":"DAILY","data_points":[
            {"template_group_id":"9","start":1,"end":2,"sent":1}]}]}"#))
        .unwrap();
    let p = &page.items()[0].data_points[0];
    assert_eq!(p.template_group_id.as_deref(), Some("9"));
    assert_eq!((p.read, p.clicked.len(), p.cost.len()), (None, 0, 0));
    assert!(p.other.is_empty());
    assert!(page.next_page().is_none());
}

#[test]
fn enable_insights_posts_the_flag_without_a_body() {
    let request = EnableTemplateInsights.to_request(&ctx()).unwrap();
    assert_eq!(request.method(), http::Method::POST);
    assert_eq!(request.uri().query(), Some("is_enabled_for_insights=true"));
    assert!(request.body().is_empty());
    let answer = EnableTemplateInsights
        .parse_response(ok(r#"{"success":true}"#))
        .unwrap();
    assert_eq!((answer.id, answer.success), (None, Some(true)));
    assert!(matches!(
        EnableTemplateInsights.to_request(&ApiContext::without_phone_number("t")),
        Err(Error::Config(_))
    ));
}

#[test]
fn compare_windows_and_ids_are_checked() {
    let end = 1_751_328_000;
    for (window, days) in [
        (CompareWindow::Days7, 7),
        (CompareWindow::Days30, 30),
        (CompareWindow::Days60, 60),
        (CompareWindow::Days90, 90),
    ] {
        let c = CompareTemplates::new("1", "2", end, window);
        assert_eq!(c.start(), end - days * 86_400);
    }
    let (field, v) =
        violation(CompareTemplates::new("1", "1", end, CompareWindow::Days7).to_request(&ctx()));
    assert_eq!(
        (field.as_str(), v),
        (
            "template_ids[1]",
            Violation::Duplicate { value: "1".into() }
        )
    );
    let (field, _) =
        violation(CompareTemplates::new("1", "", end, CompareWindow::Days7).to_request(&ctx()));
    assert_eq!(field, "template_ids[1]");
    let (field, _) =
        violation(CompareTemplates::new("1", "2", 86_400, CompareWindow::Days7).to_request(&ctx()));
    assert_eq!(field, "end");
    assert!(
        CompareTemplates::new("1", "2", 604_800, CompareWindow::Days7)
            .to_request(&ctx())
            .is_ok()
    );
}

#[test]
fn comparison_keeps_unknown_reasons_and_tolerates_missing_metrics() {
    let c = CompareTemplates::new("1", "2", 1_000_000, CompareWindow::Days7);
    let answer = c
        .parse_response(ok(r#"{"data":[{"metric":"TOP_BLOCK_REASON","type":"STRING_VALUES",
            "string_values":[{"key":"1","value":"UNKNOWN_BLOCK_REASON"},{"key":"2","value":"TOO_MANY"}]},
            {"metric":"OPEN_RATE","type":"RELATIVE","order_by_relative_metric":["2","1"]}]}"#))
        .unwrap();
    assert_eq!(
        answer.top_block_reason("1"),
        Some(&BlockReason::UnknownBlockReason)
    );
    assert_eq!(
        answer.top_block_reason("2"),
        Some(&BlockReason::Unknown("TOO_MANY".into()))
    );
    assert_eq!(answer.lowest_block_rate(), None);
    assert_eq!(answer.message_sends("1"), None);
    assert_eq!(
        answer.data[1].metric,
        ComparisonMetricName::Unknown("OPEN_RATE".into())
    );
}
