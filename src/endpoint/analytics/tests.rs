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
fn messaging_query_is_percent_encoded_as_meta_writes_it() {
    let request =
        GetMessagingAnalytics::new(1_748_736_000, 1_751_328_000, MessagingGranularity::HalfHour)
            .phone_numbers(["16505551234", "16505550000"])
            .product_types([
                MessagingProductType::Notification,
                MessagingProductType::CustomerSupport,
            ])
            .country_codes(["US", "BR"])
            .to_request(&ctx())
            .unwrap();
    assert_eq!(request.method(), http::Method::GET);
    assert_eq!(request.uri().path(), "/v26.0/102290129340398");
    assert_eq!(
        request.uri().query(),
        Some(
            "fields=analytics.start%281748736000%29.end%281751328000%29.granularity%28HALF_HOUR%29\
             .phone_numbers%28%5B%2216505551234%22%2C%2216505550000%22%5D%29\
             .product_types%28%5B0%2C2%5D%29.country_codes%28%5B%22US%22%2C%22BR%22%5D%29"
        )
    );
    assert!(request.body().is_empty());
}

#[test]
fn each_field_writes_its_own_granularity_spelling() {
    let m = GetMessagingAnalytics::new(1, 2, MessagingGranularity::Month).fields_value();
    assert_eq!(m, "analytics.start(1).end(2).granularity(MONTH)");
    let c = GetConversationAnalytics::new(1, 2, ConversationGranularity::Daily).fields_value();
    assert_eq!(
        c,
        "conversation_analytics.start(1).end(2).granularity(DAILY)"
    );
    let p = GetPricingAnalytics::new(1, 2, PricingGranularity::Monthly).fields_value();
    assert_eq!(p, "pricing_analytics.start(1).end(2).granularity(MONTHLY)");
    let k = GetCallAnalytics::new(1, 2, CallGranularity::HalfHour).fields_value();
    assert_eq!(k, "call_analytics.start(1).end(2).granularity(HALF_HOUR)");
}

#[test]
fn conversation_and_pricing_write_every_filter_in_order() {
    let c = GetConversationAnalytics::new(10, 20, ConversationGranularity::HalfHour)
        .phone_numbers(["1555"])
        .country_codes(["IN"])
        .metric_types([
            ConversationMetricType::Cost,
            ConversationMetricType::Conversation,
        ])
        .conversation_categories([ConversationCategory::Marketing])
        .conversation_types([ConversationType::FreeEntryPoint])
        .conversation_directions([ConversationDirection::UserInitiated])
        .dimensions([ConversationDimension::Phone, ConversationDimension::Country]);
    assert_eq!(
        c.fields_value(),
        r#"conversation_analytics.start(10).end(20).granularity(HALF_HOUR).phone_numbers(["1555"]).country_codes(["IN"]).metric_types(["COST","CONVERSATION"]).conversation_categories(["MARKETING"]).conversation_types(["FREE_ENTRY_POINT"]).conversation_directions(["USER_INITIATED"]).dimensions(["PHONE","COUNTRY"])"#
    );
    let p = GetPricingAnalytics::new(10, 20, PricingGranularity::Daily)
        .metric_types([PricingMetricType::Volume])
        .pricing_categories([PricingCategory::Utility])
        .pricing_types([PricingType::FreeCustomerService, PricingType::Regular])
        .dimensions([PricingDimension::Tier]);
    assert_eq!(
        p.fields_value(),
        r#"pricing_analytics.start(10).end(20).granularity(DAILY).metric_types(["VOLUME"]).pricing_categories(["UTILITY"]).pricing_types(["FREE_CUSTOMER_SERVICE","REGULAR"]).dimensions(["TIER"])"#
    );
    let k = GetCallAnalytics::new(10, 20, CallGranularity::Monthly)
        .phone_numbers(["1555"])
        .directions([CallDirection::BusinessInitiated])
        .dimensions([CallDimension::Direction])
        .metric_types([CallMetricType::Cost]);
    assert_eq!(
        k.fields_value(),
        r#"call_analytics.start(10).end(20).granularity(MONTHLY).phone_numbers(["1555"]).directions(["BUSINESS_INITIATED"]).dimensions(["DIRECTION"]).metric_types(["COST"])"#
    );
}

#[test]
fn start_must_be_before_end() {
    let (field, v) = violation(
        GetMessagingAnalytics::new(100, 100, MessagingGranularity::Day).to_request(&ctx()),
    );
    assert_eq!(field, "end");
    assert_eq!(
        v,
        Violation::Invalid {
            value: "100".into(),
            expected: "a Unix time after start (100)".into()
        }
    );
    let (field, _) =
        violation(GetPricingAnalytics::new(101, 100, PricingGranularity::Daily).to_request(&ctx()));
    assert_eq!(field, "end");
    assert!(
        GetCallAnalytics::new(99, 100, CallGranularity::Daily)
            .to_request(&ctx())
            .is_ok()
    );
}

#[test]
fn phone_numbers_and_country_codes_are_checked() {
    let (field, v) = violation(
        GetConversationAnalytics::new(1, 2, ConversationGranularity::Daily)
            .phone_numbers(["1555", "+1 555"])
            .to_request(&ctx()),
    );
    assert_eq!(field, "phone_numbers[1]");
    assert!(matches!(v, Violation::Invalid { value, .. } if value == "+1 555"));
    let (field, _) = violation(
        GetCallAnalytics::new(1, 2, CallGranularity::Daily)
            .country_codes(["USA"])
            .to_request(&ctx()),
    );
    assert_eq!(field, "country_codes[0]");
    assert!(matches!(
        GetMessagingAnalytics::new(1, 2, MessagingGranularity::Day)
            .to_request(&ApiContext::without_phone_number("token")),
        Err(Error::Config(_))
    ));
}

#[test]
fn messaging_answer_parses_and_an_empty_range_is_empty() {
    let q = GetMessagingAnalytics::new(1, 2, MessagingGranularity::Day);
    let a = q
        .parse_response(ok(r#"{"analytics":{"phone_numbers":["16505551234"],"country_codes":["US"],
            "granularity":"DAY","data_points":[{"start":1647327600,"end":1647414000,"sent":4,"delivered":3},
            {"start":1647414000,"end":1647500400}]},"id":"102290129340398"}"#))
        .unwrap();
    assert_eq!(a.phone_numbers, ["16505551234"]);
    assert_eq!(a.granularity.as_deref(), Some("DAY"));
    assert_eq!(a.data_points.len(), 2);
    assert_eq!(
        (a.data_points[0].sent, a.data_points[0].delivered),
        (Some(4), Some(3))
    );
    assert_eq!(
        (a.data_points[1].sent, a.data_points[1].delivered),
        (None, None)
    );
    let empty = q.parse_response(ok(r#"{"id":"102290129340398"}"#)).unwrap();
    assert!(empty.data_points.is_empty());
    assert!(matches!(
        q.parse_response(ok(r#"{"analytics":{"data_points":"many"}}"#)),
        Err(Error::Decode(_))
    ));
}

#[test]
fn conversation_points_keep_unknown_values_and_missing_costs() {
    let a = GetConversationAnalytics::new(1, 2, ConversationGranularity::Daily)
        .parse_response(ok(r#"{"conversation_analytics":{"data":[{"data_points":[
            {"start":1651698000,"end":1651784400,"conversation":281,"phone_number":"16505551234","country":"US",
             "conversation_type":"FREE_TIER","conversation_direction":"BUSINESS_INITIATED","cost":0},
            {"start":1651784400,"end":1651870800,"conversation":3,"conversation_category":"GROUP_CHAT",
             "conversation_type":"REGULAR"}]}]},"id":"1"}"#))
        .unwrap();
    let [first, second] = a.data_points.as_slice() else {
        panic!("two points expected: {a:?}")
    };
    assert_eq!(first.conversation, Some(281));
    assert_eq!(first.cost, Some(0.0));
    assert_eq!(first.conversation_type, Some(ConversationType::FreeTier));
    assert_eq!(
        first.conversation_direction,
        Some(ConversationDirection::BusinessInitiated)
    );
    assert_eq!(second.cost, None);
    assert_eq!(
        second.conversation_category,
        Some(ConversationCategory::Unknown("GROUP_CHAT".into()))
    );
}

#[test]
fn pricing_points_keep_the_tier_text() {
    let a = GetPricingAnalytics::new(1, 2, PricingGranularity::Daily)
        .parse_response(ok(r#"{"pricing_analytics":{"data":[{"data_points":[
            {"start":1748736000,"end":1748822400,"country":"BR","phone_number":"16505551234",
             "pricing_type":"REGULAR","pricing_category":"MARKETING","tier":"0:750000","volume":1200,"cost":75.25}]},
            {"data_points":[{"start":1748822400,"end":1748908800,"pricing_type":"FREE_CUSTOMER_SERVICE","volume":9}]}]}}"#))
        .unwrap();
    assert_eq!(a.data_points.len(), 2);
    let p = &a.data_points[0];
    assert_eq!(p.tier.as_deref(), Some("0:750000"));
    assert_eq!((p.volume, p.cost), (Some(1200), Some(75.25)));
    assert_eq!(p.pricing_category, Some(PricingCategory::Marketing));
    assert_eq!(p.pricing_type, Some(PricingType::Regular));
    let free = &a.data_points[1];
    assert_eq!(free.pricing_type, Some(PricingType::FreeCustomerService));
    assert_eq!((free.cost, free.tier.as_deref()), (None, None));
}

#[test]
fn call_points_parse() {
    let a = GetCallAnalytics::new(1, 2, CallGranularity::Daily)
        .parse_response(ok(r#"{"call_analytics":{"data":[{"data_points":[
            {"start":1748736000,"end":1748822400,"count":12,"cost":1.5,"average_duration":61.5,
             "direction":"USER_INITIATED","country":"IN","phone_number":"16505551234"}]}]}}"#))
        .unwrap();
    let p = &a.data_points[0];
    assert_eq!(
        (p.count, p.cost, p.average_duration),
        (Some(12), Some(1.5), Some(61.5))
    );
    assert_eq!(p.direction, Some(CallDirection::UserInitiated));
    assert_eq!(p.country.as_deref(), Some("IN"));
}

#[test]
fn an_error_answer_is_an_api_error() {
    let response = http::Response::builder()
        .status(400)
        .body(br#"{"error":{"message":"(#100) Invalid parameter","type":"OAuthException","code":100,"fbtrace_id":"A"}}"#.to_vec())
        .unwrap();
    let e = GetPricingAnalytics::new(1, 2, PricingGranularity::Daily)
        .parse_response(response)
        .unwrap_err();
    assert!(
        matches!(e, Error::Api(ref api) if api.code() == Some(100)),
        "{e:?}"
    );
}
