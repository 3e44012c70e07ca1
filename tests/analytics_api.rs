//! Analytics and template analytics against wiremock: each call's method, path, exact query string,
//! headers and (empty) body, and the parsing of Meta's documented answers.
#![cfg(feature = "client")]

mod common;

use futures_util::TryStreamExt;
use whatsapp_cloud::Client;
use whatsapp_cloud::endpoint::analytics::{
    CallDimension, CallDirection, CallGranularity, CallMetricType, ConversationCategory,
    ConversationDimension, ConversationGranularity, ConversationMetricType, ConversationType,
    GetCallAnalytics, GetConversationAnalytics, GetMessagingAnalytics, GetPricingAnalytics,
    MessagingGranularity, MessagingProductType, PricingCategory, PricingDimension,
    PricingGranularity, PricingMetricType, PricingType,
};
use whatsapp_cloud::endpoint::templates::{
    BlockReason, ClickedButtonType, CompareTemplates, CompareWindow, GetTemplateAnalytics,
    GetTemplateGroupAnalytics, TemplateCostType, TemplateMetricType, TemplateProductType,
};
use whatsapp_cloud::error::Error;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const TOKEN: &str = "analytics-token-456";
const WABA: &str = "102290129340398";

fn client(server: &MockServer) -> Client {
    common::mock_client(server, TOKEN, "106540352242922", Some(WABA))
        .build()
        .unwrap()
}

fn auth() -> wiremock::matchers::HeaderExactMatcher {
    common::bearer(TOKEN)
}

fn fixture(name: &str) -> ResponseTemplate {
    common::api_answer(name)
}

/// The exact raw query string, and no body nor content type.
fn exact_query(expected: &'static str) -> impl Fn(&Request) -> bool {
    move |r: &Request| {
        r.url.query() == Some(expected)
            && r.body.is_empty()
            && !r.headers.contains_key("content-type")
    }
}

async fn mount_get(server: &MockServer, at: &str, query: &'static str, answer: ResponseTemplate) {
    Mock::given(method("GET"))
        .and(path(at))
        .and(auth())
        .and(exact_query(query))
        .respond_with(answer)
        .expect(1)
        .mount(server)
        .await;
}

#[tokio::test]
async fn messaging_analytics_sends_the_fields_expression_and_reads_the_points() {
    let server = MockServer::start().await;
    mount_get(
        &server,
        &format!("/v26.0/{WABA}"),
        "fields=analytics.start%281748736000%29.end%281751328000%29.granularity%28DAY%29\
         .phone_numbers%28%5B%2216505551234%22%5D%29.product_types%28%5B2%5D%29\
         .country_codes%28%5B%22US%22%2C%22BR%22%5D%29",
        fixture("analytics_messaging.json"),
    )
    .await;
    let analytics = client(&server)
        .messaging_analytics(
            &GetMessagingAnalytics::new(1_748_736_000, 1_751_328_000, MessagingGranularity::Day)
                .phone_numbers(["16505551234"])
                .product_types([MessagingProductType::CustomerSupport])
                .country_codes(["US", "BR"]),
        )
        .await
        .unwrap();
    assert_eq!(analytics.country_codes, ["US", "BR"]);
    assert_eq!(analytics.data_points.len(), 2);
    assert_eq!(analytics.data_points[0].start, 1_748_736_000);
    assert_eq!(analytics.data_points[0].sent, Some(199));
    assert_eq!(analytics.data_points[0].delivered, Some(183));
}

#[tokio::test]
async fn conversation_analytics_sends_every_filter_and_reads_dimensions() {
    let server = MockServer::start().await;
    mount_get(
        &server,
        &format!("/v26.0/{WABA}"),
        "fields=conversation_analytics.start%281685602800%29.end%281688194800%29.granularity%28MONTHLY%29\
         .metric_types%28%5B%22COST%22%2C%22CONVERSATION%22%5D%29\
         .conversation_categories%28%5B%22MARKETING%22%2C%22SERVICE%22%5D%29\
         .conversation_types%28%5B%22REGULAR%22%5D%29\
         .dimensions%28%5B%22CONVERSATION_CATEGORY%22%2C%22COUNTRY%22%5D%29",
        fixture("analytics_conversation.json"),
    )
    .await;
    let analytics = client(&server)
        .conversation_analytics(
            &GetConversationAnalytics::new(
                1_685_602_800,
                1_688_194_800,
                ConversationGranularity::Monthly,
            )
            .metric_types([
                ConversationMetricType::Cost,
                ConversationMetricType::Conversation,
            ])
            .conversation_categories([
                ConversationCategory::Marketing,
                ConversationCategory::Service,
            ])
            .conversation_types([ConversationType::Regular])
            .dimensions([
                ConversationDimension::ConversationCategory,
                ConversationDimension::Country,
            ]),
        )
        .await
        .unwrap();
    let [paid, free] = analytics.data_points.as_slice() else {
        panic!("two points expected: {analytics:?}")
    };
    assert_eq!(paid.cost, Some(0.0477));
    assert_eq!(paid.country.as_deref(), Some("KW"));
    assert_eq!(
        paid.conversation_category,
        Some(ConversationCategory::Marketing)
    );
    assert_eq!(
        free.conversation_type,
        Some(ConversationType::FreeEntryPoint)
    );
    assert_eq!((free.conversation, free.cost), (Some(3), None));
}

#[tokio::test]
async fn pricing_analytics_keeps_the_tier_and_a_hidden_cost() {
    let server = MockServer::start().await;
    mount_get(
        &server,
        &format!("/v26.0/{WABA}"),
        "fields=pricing_analytics.start%281748736000%29.end%281748822400%29.granularity%28HALF_HOUR%29\
         .country_codes%28%5B%22BR%22%5D%29.metric_types%28%5B%22VOLUME%22%2C%22COST%22%5D%29\
         .pricing_categories%28%5B%22MARKETING%22%5D%29\
         .pricing_types%28%5B%22REGULAR%22%2C%22FREE_CUSTOMER_SERVICE%22%5D%29\
         .dimensions%28%5B%22TIER%22%2C%22PRICING_TYPE%22%5D%29",
        fixture("analytics_pricing.json"),
    )
    .await;
    let analytics = client(&server)
        .pricing_analytics(
            &GetPricingAnalytics::new(1_748_736_000, 1_748_822_400, PricingGranularity::HalfHour)
                .country_codes(["BR"])
                .metric_types([PricingMetricType::Volume, PricingMetricType::Cost])
                .pricing_categories([PricingCategory::Marketing])
                .pricing_types([PricingType::Regular, PricingType::FreeCustomerService])
                .dimensions([PricingDimension::Tier, PricingDimension::PricingType]),
        )
        .await
        .unwrap();
    let [paid, free] = analytics.data_points.as_slice() else {
        panic!("two points expected: {analytics:?}")
    };
    assert_eq!(paid.tier.as_deref(), Some("0:750000"));
    assert_eq!((paid.volume, paid.cost), (Some(1200), Some(75.0)));
    assert_eq!(free.pricing_type, Some(PricingType::FreeCustomerService));
    assert_eq!(free.pricing_category, Some(PricingCategory::Service));
    assert_eq!(
        (free.volume, free.cost, free.tier.as_deref()),
        (Some(310), None, None)
    );
}

#[tokio::test]
async fn call_analytics_reads_counts_costs_and_durations() {
    let server = MockServer::start().await;
    mount_get(
        &server,
        &format!("/v26.0/{WABA}"),
        "fields=call_analytics.start%281748736000%29.end%281748822400%29.granularity%28DAILY%29\
         .directions%28%5B%22USER_INITIATED%22%2C%22BUSINESS_INITIATED%22%5D%29\
         .dimensions%28%5B%22DIRECTION%22%2C%22COUNTRY%22%2C%22PHONE%22%5D%29\
         .metric_types%28%5B%22COUNT%22%2C%22COST%22%2C%22AVERAGE_DURATION%22%5D%29",
        fixture("analytics_calls.json"),
    )
    .await;
    let analytics = client(&server)
        .call_analytics(
            &GetCallAnalytics::new(1_748_736_000, 1_748_822_400, CallGranularity::Daily)
                .directions([
                    CallDirection::UserInitiated,
                    CallDirection::BusinessInitiated,
                ])
                .dimensions([
                    CallDimension::Direction,
                    CallDimension::Country,
                    CallDimension::Phone,
                ])
                .metric_types([
                    CallMetricType::Count,
                    CallMetricType::Cost,
                    CallMetricType::AverageDuration,
                ]),
        )
        .await
        .unwrap();
    let [inbound, outbound] = analytics.data_points.as_slice() else {
        panic!("two points expected: {analytics:?}")
    };
    assert_eq!(inbound.direction, Some(CallDirection::UserInitiated));
    assert_eq!(
        (inbound.count, inbound.cost, inbound.average_duration),
        (Some(42), Some(0.0), Some(183.0))
    );
    assert_eq!(
        (outbound.cost, outbound.average_duration),
        (None, Some(95.5))
    );
}

#[tokio::test]
async fn an_invalid_range_never_reaches_the_network() {
    let server = MockServer::start().await;
    let e = client(&server)
        .pricing_analytics(&GetPricingAnalytics::new(10, 5, PricingGranularity::Daily))
        .await
        .unwrap_err();
    assert!(
        matches!(e, Error::Validation(ref v) if v.field == "end"),
        "{e:?}"
    );
    assert!(
        server
            .received_requests()
            .await
            .unwrap_or_default()
            .is_empty()
    );
}

#[tokio::test]
async fn enable_insights_posts_the_flag() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/v26.0/{WABA}")))
        .and(auth())
        .and(exact_query("is_enabled_for_insights=true"))
        .respond_with(ResponseTemplate::new(200).set_body_string(format!(r#"{{"id":"{WABA}"}}"#)))
        .expect(1)
        .mount(&server)
        .await;
    let answer = client(&server).enable_template_insights().await.unwrap();
    assert_eq!(answer.id.as_deref(), Some(WABA));
}

#[tokio::test]
async fn template_analytics_pages_through_every_point() {
    let server = MockServer::start().await;
    let first = "start=1748736000&end=1748908800&granularity=DAILY&template_ids=%5B1924084211297547%5D\
                 &metric_types=%5B%22SENT%22%2C%22DELIVERED%22%2C%22READ%22%2C%22CLICKED%22%2C%22COST%22%5D\
                 &product_type=CLOUD_API&use_waba_timezone=false";
    mount_get(
        &server,
        &format!("/v26.0/{WABA}/template_analytics"),
        first,
        fixture("template_analytics_page1.json"),
    )
    .await;
    mount_get(
        &server,
        &format!("/v26.0/{WABA}/template_analytics"),
        "start=1748736000&end=1748908800&granularity=DAILY&template_ids=%5B1924084211297547%5D\
         &metric_types=%5B%22SENT%22%2C%22DELIVERED%22%2C%22READ%22%2C%22CLICKED%22%2C%22COST%22%5D\
         &product_type=CLOUD_API&use_waba_timezone=false&after=MQZDZD",
        fixture("template_analytics_page2.json"),
    )
    .await;
    let query = GetTemplateAnalytics::new(1_748_736_000, 1_748_908_800, ["1924084211297547"])
        .metric_types([
            TemplateMetricType::Sent,
            TemplateMetricType::Delivered,
            TemplateMetricType::Read,
            TemplateMetricType::Clicked,
            TemplateMetricType::Cost,
        ])
        .product_type(TemplateProductType::CloudApi)
        .use_waba_timezone(false);
    let client = client(&server);
    let points: Vec<_> = client
        .template_analytics(query)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(points.len(), 2);
    let day = &points[0];
    assert_eq!(
        (day.sent, day.delivered, day.read),
        (Some(120), Some(118), Some(80))
    );
    assert_eq!(day.clicked[1].button_type, ClickedButtonType::UniqueUrl);
    assert_eq!(
        day.clicked[1].button_content.as_deref(),
        Some("Track order")
    );
    assert_eq!(day.clicked[1].count, 9);
    assert_eq!(
        day.cost[2].cost_type,
        TemplateCostType::CostPerUrlButtonClick
    );
    assert_eq!(day.cost[2].value, Some(0.67));
    assert_eq!((points[1].start, points[1].sent), (1_748_822_400, Some(30)));
    assert!(points[1].clicked.is_empty());
}

#[tokio::test]
async fn template_group_analytics_names_the_groups() {
    let server = MockServer::start().await;
    mount_get(
        &server,
        &format!("/v26.0/{WABA}/template_group_analytics"),
        "start=1748736000&end=1748822400&granularity=DAILY&template_group_ids=%5B841756%2C841757%5D&limit=1",
        ResponseTemplate::new(200).set_body_string(
            r#"{"data":[{"granularity":"DAILY","data_points":[{"template_group_id":"841756","start":1748736000,"end":1748822400,"sent":3}]}]}"#,
        ),
    )
    .await;
    let points: Vec<_> = client(&server)
        .template_group_analytics(
            GetTemplateGroupAnalytics::new(1_748_736_000, 1_748_822_400, ["841756", "841757"])
                .limit(1),
        )
        .try_collect()
        .await
        .unwrap();
    assert_eq!(points.len(), 1);
    assert_eq!(points[0].template_group_id.as_deref(), Some("841756"));
    assert_eq!(points[0].sent, Some(3));
}

#[tokio::test]
async fn compare_reads_block_rate_sends_and_reasons() {
    let server = MockServer::start().await;
    mount_get(
        &server,
        "/v26.0/5289179717853347/compare",
        "template_ids=%5B1533406637136032%5D&start=1743552000&end=1751328000",
        fixture("template_compare.json"),
    )
    .await;
    let comparison = client(&server)
        .compare_templates(&CompareTemplates::new(
            "5289179717853347",
            "1533406637136032",
            1_751_328_000,
            CompareWindow::Days90,
        ))
        .await
        .unwrap();
    assert_eq!(
        comparison.block_rate_order(),
        ["1533406637136032", "5289179717853347"]
    );
    assert_eq!(comparison.message_sends("1533406637136032"), Some(1042));
    assert_eq!(
        comparison.top_block_reason("5289179717853347"),
        Some(&BlockReason::UnknownBlockReason)
    );
}
