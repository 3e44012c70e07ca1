use super::*;
use crate::endpoint::{Endpoint, Idempotency};
use crate::error::Violation;
use crate::ids::MediaId;
use serde_json::Value;

fn body(text: &str) -> BodyComponent {
    BodyComponent::new(text)
}

fn create(c: impl Into<TemplateComponent>) -> CreateTemplate {
    CreateTemplate::new("t", "en_US", TemplateCategory::Utility).component(c)
}

#[test]
fn creation_json_is_wire_exact() {
    let t = CreateTemplate::new("order_update", "en_US", TemplateCategory::Utility)
        .component(HeaderComponent::text("Order {{1}}").example("#1"))
        .component(body("Hi {{1}}, {{2}}").example_positional(["Ana", "today"]))
        .component(FooterComponent::new("Reply STOP to opt out"))
        .component(ButtonsComponent::new([
            ButtonDefinition::quick_reply("Ok"),
            ButtonDefinition::url("Track", "https://x.example/t/{{1}}")
                .url_example("https://x.example/t/1"),
            ButtonDefinition::copy_code("SAVE10"),
        ]));
    t.validate().unwrap();
    assert_eq!(
        serde_json::to_value(&t).unwrap(),
        serde_json::json!({
            "name": "order_update", "language": "en_US", "category": "UTILITY",
            "components": [
                {"type": "HEADER", "format": "TEXT", "text": "Order {{1}}", "example": {"header_text": ["#1"]}},
                {"type": "BODY", "text": "Hi {{1}}, {{2}}", "example": {"body_text": [["Ana", "today"]]}},
                {"type": "FOOTER", "text": "Reply STOP to opt out"},
                {"type": "BUTTONS", "buttons": [
                    {"type": "QUICK_REPLY", "text": "Ok"},
                    {"type": "URL", "text": "Track", "url": "https://x.example/t/{{1}}", "example": ["https://x.example/t/1"]},
                    {"type": "COPY_CODE", "example": "SAVE10"}
                ]}
            ]
        })
    );
}

#[test]
fn body_over_1024_characters_is_rejected() {
    let err = create(body(&"é".repeat(1025))).validate().unwrap_err();
    assert_eq!(err.field, "components[0].text");
    assert_eq!(
        err.violation,
        Violation::TooLong {
            max: 1024,
            actual: 1025
        }
    );
}

#[test]
fn header_and_footer_limits() {
    let t = create(body("x")).component(HeaderComponent::text("h".repeat(61)));
    assert_eq!(t.validate().unwrap_err().field, "components[1].text");
    let t = create(body("x")).component(FooterComponent::new("f".repeat(61)));
    assert!(matches!(
        t.validate().unwrap_err().violation,
        Violation::TooLong { max: 60, .. }
    ));
    let t = create(body("x")).component(HeaderComponent::text("{{1}} {{2}}"));
    assert!(matches!(
        t.validate().unwrap_err().violation,
        Violation::TooMany { max: 1, actual: 2 }
    ));
}

#[test]
fn variables_need_examples_and_no_gaps() {
    assert_eq!(
        create(body("Hi {{1}}")).validate().unwrap_err().field,
        "components[0].example"
    );
    let err = create(body("Hi {{1}} {{3}}").example_positional(["a", "b"]))
        .validate()
        .unwrap_err();
    assert!(err.to_string().contains("{{3}}"), "{err}");
    let err = create(body("Hi {{1}} {{2}}").example_positional(["a"]))
        .validate()
        .unwrap_err();
    assert!(err.to_string().contains("1 example values"), "{err}");
    assert!(create(body("Hi {{name}}")).validate().is_err());
}

#[test]
fn named_parameters_are_checked_against_their_examples() {
    let ok = CreateTemplate::new("t", "en", TemplateCategory::Marketing)
        .parameter_format(ParameterFormat::Named)
        .component(body("Hi {{first_name}}").example_named([("first_name", "Ana")]));
    ok.validate().unwrap();
    assert_eq!(
        serde_json::to_value(&ok).unwrap()["parameter_format"],
        "named"
    );
    let wrong = CreateTemplate::new("t", "en", TemplateCategory::Marketing)
        .parameter_format(ParameterFormat::Named)
        .component(body("Hi {{first_name}}").example_named([("name", "Ana")]));
    assert!(
        wrong
            .validate()
            .unwrap_err()
            .field
            .contains("body_text_named_params")
    );
    let upper = CreateTemplate::new("t", "en", TemplateCategory::Marketing)
        .parameter_format(ParameterFormat::Named)
        .component(body("Hi {{First}}").example_named([("First", "Ana")]));
    assert!(upper.validate().is_err());
}

#[test]
fn button_counts_and_labels() {
    let many =
        ButtonsComponent::new((0..11).map(|i| ButtonDefinition::quick_reply(format!("b{i}"))));
    assert!(matches!(
        create(body("x"))
            .component(many)
            .validate()
            .unwrap_err()
            .violation,
        Violation::TooMany {
            max: 10,
            actual: 11
        }
    ));
    let urls = ButtonsComponent::new([
        ButtonDefinition::url("a", "https://a.example"),
        ButtonDefinition::url("b", "https://b.example"),
        ButtonDefinition::url("c", "https://c.example"),
    ]);
    let err = create(body("x")).component(urls).validate().unwrap_err();
    assert_eq!(err.field, "components[1].buttons[type=URL]");
    let long = ButtonsComponent::new([ButtonDefinition::quick_reply("x".repeat(26))]);
    assert!(matches!(
        create(body("x"))
            .component(long)
            .validate()
            .unwrap_err()
            .violation,
        Violation::TooLong { max: 25, .. }
    ));
    let code = ButtonsComponent::new([ButtonDefinition::copy_code("1234567890123456")]);
    assert!(create(body("x")).component(code).validate().is_err());
    let mid = ButtonsComponent::new([ButtonDefinition::url("a", "https://a.example/{{1}}/x")
        .url_example("https://a.example/1/x")]);
    assert!(create(body("x")).component(mid).validate().is_err());
    let no_example = ButtonsComponent::new([ButtonDefinition::url("a", "https://a.example/{{1}}")]);
    assert_eq!(
        create(body("x"))
            .component(no_example)
            .validate()
            .unwrap_err()
            .field,
        "components[1].buttons[0].example"
    );
}

#[test]
fn names_are_lower_case_and_a_body_is_required() {
    let t = CreateTemplate::new("Order-1", "en", TemplateCategory::Utility).component(body("x"));
    assert_eq!(t.validate().unwrap_err().field, "name");
    let t = CreateTemplate::new("o", "en", TemplateCategory::Utility);
    assert_eq!(t.validate().unwrap_err().violation, Violation::Missing);
    let auth = CreateTemplate::new("otp", "en", TemplateCategory::Authentication)
        .component(BodyComponent::authentication(true))
        .component(FooterComponent::code_expiration(10));
    // An authentication template needs its OTP button.
    assert_eq!(
        auth.validate().unwrap_err().field,
        "components[type=BUTTONS]"
    );
    auth.component(ButtonsComponent::new([ButtonDefinition::otp_copy_code()]))
        .validate()
        .unwrap();
}

#[test]
fn unknown_components_and_values_are_kept() {
    let t: TemplateInfo = serde_json::from_value(serde_json::json!({
        "id": "9", "name": "n", "language": "en", "status": "SOMETHING_NEW", "category": "marketing",
        "parameter_format": "NAMED",
        "components": [
            {"type": "SOMETHING_NEW", "cards": []},
            {"type": "body", "text": "Hi {{first_name}}"},
            {"type": "BUTTONS", "buttons": [{"type": "OTP", "otp_type": "COPY_CODE", "text": "Copy"}]}
        ]
    }))
    .unwrap();
    assert_eq!(t.status, TemplateStatus::Unknown("SOMETHING_NEW".into()));
    assert_eq!(t.category, TemplateCategory::Marketing);
    assert_eq!(t.parameter_format, Some(ParameterFormat::Named));
    assert!(matches!(t.components[0], TemplateComponent::Unknown(_)));
    assert!(matches!(t.components[1], TemplateComponent::Body(_)));
    let TemplateComponent::Buttons(b) = &t.components[2] else {
        panic!("buttons")
    };
    assert_eq!(b.buttons[0].extra["otp_type"], "COPY_CODE");
    let again = serde_json::to_value(&t.components[2]).unwrap();
    assert_eq!(again["buttons"][0]["otp_type"], "COPY_CODE");
    assert_eq!(
        t.required_parameters().body,
        vec![ParameterSlot::Named("first_name".into())]
    );
}

#[test]
fn required_parameters_list_header_body_and_dynamic_buttons() {
    let t: TemplateInfo = serde_json::from_value(serde_json::json!({
        "id": "9", "name": "n", "language": "en", "status": "APPROVED", "category": "UTILITY",
        "components": [
            {"type": "HEADER", "format": "IMAGE"},
            {"type": "BODY", "text": "{{2}} then {{1}} and {{2}} again"},
            {"type": "BUTTONS", "buttons": [
                {"type": "QUICK_REPLY", "text": "a"},
                {"type": "URL", "text": "b", "url": "https://x/{{1}}"},
                {"type": "URL", "text": "c", "url": "https://x/static"},
                {"type": "COPY_CODE", "example": "X"}
            ]}
        ]
    }))
    .unwrap();
    let r = t.required_parameters();
    assert_eq!(r.header, Some(HeaderParameter::Media(HeaderFormat::Image)));
    assert_eq!(
        r.body,
        vec![ParameterSlot::Positional(1), ParameterSlot::Positional(2)]
    );
    assert_eq!(
        r.buttons,
        vec![
            ButtonParameter {
                index: 1,
                kind: ButtonType::Url
            },
            ButtonParameter {
                index: 3,
                kind: ButtonType::CopyCode
            }
        ]
    );
}

fn shipped() -> TemplateInfo {
    serde_json::from_value(serde_json::json!({
        "id": "9", "name": "shipped", "language": "en_US", "status": "APPROVED", "category": "UTILITY",
        "components": [
            {"type": "HEADER", "format": "DOCUMENT"},
            {"type": "BODY", "text": "Hi {{1}}, order {{2}} shipped"},
            {"type": "BUTTONS", "buttons": [
                {"type": "QUICK_REPLY", "text": "Thanks"},
                {"type": "URL", "text": "Track", "url": "https://x.example/{{1}}"}
            ]}
        ]
    }))
    .unwrap()
}

fn send(components: Value) -> Value {
    serde_json::json!({"name": "shipped", "language": {"code": "en_US"}, "components": components})
}

#[test]
fn a_matching_send_passes_the_check() {
    let ok = send(serde_json::json!([
        {"type": "header", "parameters": [{"type": "document", "document": {"id": "1"}}]},
        {"type": "body", "parameters": [{"type": "text", "text": "Ana"}, {"type": "text", "text": "#1"}]},
        {"type": "button", "sub_type": "quick_reply", "index": "0", "parameters": [{"type": "payload", "payload": "x"}]},
        {"type": "button", "sub_type": "url", "index": 1, "parameters": [{"type": "text", "text": "1"}]}
    ]));
    shipped().check_send_json(&ok).unwrap();
}

#[test]
fn mismatched_sends_name_the_component() {
    let t = shipped();
    let cases = [
        (
            send(serde_json::json!([
                {"type": "header", "parameters": [{"type": "image", "image": {"id": "1"}}]},
                {"type": "body", "parameters": [{"type": "text", "text": "a"}, {"type": "text", "text": "b"}]},
                {"type": "button", "sub_type": "url", "index": "1", "parameters": [{"type": "text", "text": "1"}]}
            ])),
            "template.components[header].parameters",
        ),
        (
            send(serde_json::json!([
                {"type": "header", "parameters": [{"type": "document", "document": {"id": "1"}}]},
                {"type": "body", "parameters": [{"type": "text", "text": "a"}]},
                {"type": "button", "sub_type": "url", "index": "1", "parameters": [{"type": "text", "text": "1"}]}
            ])),
            "template.components[body].parameters",
        ),
        (
            send(serde_json::json!([
                {"type": "header", "parameters": [{"type": "document", "document": {"id": "1"}}]},
                {"type": "body", "parameters": [{"type": "text", "text": "a"}, {"type": "text", "text": "b"}]}
            ])),
            "template.components[button index=1]",
        ),
        (
            serde_json::json!({"name": "shipped", "language": {"code": "pt_BR"}, "components": []}),
            "template.language.code",
        ),
        (
            serde_json::json!({"name": "other", "language": {"code": "en_US"}}),
            "template.name",
        ),
    ];
    for (value, field) in cases {
        assert_eq!(
            t.check_send_json(&value).unwrap_err().field,
            field,
            "{value}"
        );
    }
}

#[test]
fn named_sends_must_use_the_template_names() {
    let t: TemplateInfo = serde_json::from_value(serde_json::json!({
        "id": "9", "name": "n", "language": "en", "status": "APPROVED", "category": "MARKETING",
        "parameter_format": "named",
        "components": [{"type": "BODY", "text": "Hi {{first_name}}, {{code}}"}]
    }))
    .unwrap();
    let good = serde_json::json!({"name": "n", "language": {"code": "en"}, "components": [
        {"type": "body", "parameters": [
            {"type": "text", "parameter_name": "code", "text": "X"},
            {"type": "text", "parameter_name": "first_name", "text": "Ana"}]}]});
    t.check_send_json(&good).unwrap();
    let bad = serde_json::json!({"name": "n", "language": {"code": "en"}, "components": [
        {"type": "body", "parameters": [
            {"type": "text", "parameter_name": "name", "text": "X"},
            {"type": "text", "parameter_name": "first_name", "text": "Ana"}]}]});
    let err = t.check_send_json(&bad).unwrap_err();
    assert!(err.to_string().contains("code"), "{err}");
}

#[test]
fn reads_and_deletes_are_idempotent_creation_is_not() {
    assert_eq!(ListTemplates::new().idempotency(), Idempotency::Idempotent);
    assert_eq!(GetTemplate::new("1").idempotency(), Idempotency::Idempotent);
    assert_eq!(
        GetTemplateByName::new("a").idempotency(),
        Idempotency::Idempotent
    );
    assert_eq!(
        DeleteTemplate::by_name("a").idempotency(),
        Idempotency::Idempotent
    );
    assert_eq!(create(body("x")).idempotency(), Idempotency::NotIdempotent);
}

#[test]
fn check_send_takes_the_message_template_type() {
    use crate::message::{Parameter, Template, TemplateButton as SendButton};
    let t = shipped();
    let ok = Template::new("shipped", "en_US")
        .header([Parameter::document(MediaId::from("7"))])
        .body([Parameter::text("Ana"), Parameter::text("#1")])
        .button(SendButton::url(1, "track/1"));
    t.check_send(&ok).unwrap();
    let wrong_button = Template::new("shipped", "en_US")
        .header([Parameter::document(MediaId::from("7"))])
        .body([Parameter::text("Ana"), Parameter::text("#1")])
        .button(SendButton::url(0, "track/1"));
    assert_eq!(
        t.check_send(&wrong_button).unwrap_err().field,
        "template.components[button index=1]"
    );
}

#[test]
fn limited_time_offer_text_is_at_most_16_characters() {
    let ok = create(body("x"))
        .component(LimitedTimeOfferComponent::new("Expiring offer!").has_expiration(true));
    ok.validate().unwrap();
    assert_eq!(
        serde_json::to_value(&ok).unwrap()["components"][1],
        serde_json::json!({"type": "LIMITED_TIME_OFFER", "limited_time_offer": {"text": "Expiring offer!", "has_expiration": true}})
    );
    let long = create(body("x")).component(LimitedTimeOfferComponent::new("x".repeat(17)));
    let err = long.validate().unwrap_err();
    assert_eq!(err.field, "components[1].limited_time_offer.text");
    let parsed: TemplateComponent = serde_json::from_value(
        serde_json::json!({"type": "limited_time_offer", "limited_time_offer": {"text": "Sale"}}),
    )
    .unwrap();
    assert!(matches!(parsed, TemplateComponent::LimitedTimeOffer(_)));
}
