//! Templates complete: the product parameter and the authentication send; creation of
//! single-product, carousel and authentication templates against Meta's documented wire shapes and
//! every creation limit (just inside and just outside); `TemplateInfo` reading the new kinds back
//! and `check_send` covering them; the new management endpoints against wiremock.

mod common;

use serde_json::json;
use whatsapp_cloud::HeaderHandle;
use whatsapp_cloud::endpoint::templates::*;
use whatsapp_cloud::error::{ValidationError, Violation};
use whatsapp_cloud::message::{CarouselCard, Parameter, Template, TemplateButton};

// --- Sending ----------------------------------------------------------------------------------

#[test]
fn single_product_send_is_wire_exact() {
    let t = Template::new("spm_offer", "en_US")
        .header([Parameter::product("SKU-42", "194836987003835")])
        .body([Parameter::text("Ana")]);
    t.validate().unwrap();
    assert_eq!(
        serde_json::to_value(&t).unwrap(),
        json!({"name": "spm_offer", "language": {"code": "en_US"}, "components": [
            {"type": "header", "parameters": [{"type": "product", "product": {
                "product_retailer_id": "SKU-42", "catalog_id": "194836987003835"}}]},
            {"type": "body", "parameters": [{"type": "text", "text": "Ana"}]}
        ]})
    );
    let blank = Template::new("spm_offer", "en_US").header([Parameter::product(" ", "1")]);
    assert_eq!(
        blank.validate().unwrap_err().field,
        "template.components[0].parameters[0].product.product_retailer_id"
    );
    let blank = Template::new("spm_offer", "en_US").header([Parameter::product("a", "")]);
    assert_eq!(
        blank.validate().unwrap_err().field,
        "template.components[0].parameters[0].product.catalog_id"
    );
}

#[test]
fn product_card_carousel_send_is_wire_exact() {
    let t = Template::new("pcc", "en_US")
        .body([Parameter::text("Ana")])
        .carousel([
            CarouselCard::product(0, "SKU-1", "1948"),
            CarouselCard::product(1, "SKU-2", "1948"),
        ]);
    t.validate().unwrap();
    assert_eq!(
        serde_json::to_value(&t).unwrap()["components"][1],
        json!({"type": "carousel", "cards": [
            {"card_index": 0, "components": [{"type": "header", "parameters": [
                {"type": "product", "product": {"product_retailer_id": "SKU-1", "catalog_id": "1948"}}]}]},
            {"card_index": 1, "components": [{"type": "header", "parameters": [
                {"type": "product", "product": {"product_retailer_id": "SKU-2", "catalog_id": "1948"}}]}]}
        ]})
    );
}

#[test]
fn authentication_send_carries_the_code_twice_and_at_most_15_characters() {
    let t = Template::authentication("login_code", "en_US", "123456789012345");
    t.validate().unwrap();
    assert_eq!(
        serde_json::to_value(&t).unwrap()["components"],
        json!([
            {"type": "body", "parameters": [{"type": "text", "text": "123456789012345"}]},
            {"type": "button", "sub_type": "url", "index": "0",
             "parameters": [{"type": "text", "text": "123456789012345"}]}
        ])
    );
    let err = Template::authentication("login_code", "en_US", "1234567890123456")
        .validate()
        .unwrap_err();
    assert_eq!(err.field, "template.components[0].parameters[0].text");
    assert_eq!(
        err.violation,
        Violation::TooLong {
            max: 15,
            actual: 16
        }
    );
}

// --- Creation ---------------------------------------------------------------------------------

fn spm(body: &str, footer: &str) -> CreateTemplate {
    CreateTemplate::new("spm_offer", "en_US", TemplateCategory::Marketing)
        .component(HeaderComponent::product())
        .component(BodyComponent::new(body))
        .component(FooterComponent::new(footer))
        .component(ButtonsComponent::new([ButtonDefinition::spm("View")]))
}

#[test]
fn single_product_creation_is_wire_exact_and_limited() {
    let t = spm("Our new arrival.", "Lucky Shrub");
    t.validate().unwrap();
    assert_eq!(
        serde_json::to_value(&t).unwrap(),
        json!({"name": "spm_offer", "language": "en_US", "category": "MARKETING", "components": [
            {"type": "HEADER", "format": "PRODUCT"},
            {"type": "BODY", "text": "Our new arrival."},
            {"type": "FOOTER", "text": "Lucky Shrub"},
            {"type": "BUTTONS", "buttons": [{"type": "SPM", "text": "View"}]}
        ]})
    );
    spm(&"b".repeat(160), &"f".repeat(60)).validate().unwrap();
    let err = spm(&"b".repeat(161), "f").validate().unwrap_err();
    assert_eq!(err.field, "components[1].text");
    assert_eq!(
        err.violation,
        Violation::TooLong {
            max: 160,
            actual: 161
        }
    );
    let err = spm("b", &"f".repeat(61)).validate().unwrap_err();
    assert_eq!(err.field, "components[2].text");
    let wrong_button = CreateTemplate::new("spm_offer", "en_US", TemplateCategory::Marketing)
        .component(HeaderComponent::product())
        .component(BodyComponent::new("b"))
        .component(ButtonsComponent::new([ButtonDefinition::quick_reply(
            "View",
        )]));
    let err = wrong_button.validate().unwrap_err();
    assert_eq!(err.field, "components[2].buttons");
    assert!(
        matches!(err.violation, Violation::Invalid { ref value, .. } if value == "[QUICK_REPLY]")
    );
}

fn product_carousel(cards: usize, body: &str) -> CreateTemplate {
    CreateTemplate::new("pcc", "en_US", TemplateCategory::Marketing)
        .component(BodyComponent::new(body))
        .component(CarouselComponent::new((0..cards).map(|_| {
            CarouselCardDefinition::product(ButtonDefinition::spm("View"))
        })))
}

#[test]
fn product_card_carousel_creation_is_wire_exact_and_limited() {
    let t = product_carousel(2, "Picks for you.");
    t.validate().unwrap();
    let card = json!({"components": [
        {"type": "HEADER", "format": "PRODUCT"},
        {"type": "BUTTONS", "buttons": [{"type": "SPM", "text": "View"}]}]});
    assert_eq!(
        serde_json::to_value(&t).unwrap()["components"],
        json!([{"type": "BODY", "text": "Picks for you."},
               {"type": "CAROUSEL", "cards": [card.clone(), card]}])
    );
    product_carousel(10, &"b".repeat(1024)).validate().unwrap();
    let err = product_carousel(11, "b").validate().unwrap_err();
    assert_eq!(err.field, "components[1].cards");
    assert_eq!(
        err.violation,
        Violation::TooMany {
            max: 10,
            actual: 11
        }
    );
    let err = product_carousel(1, "b").validate().unwrap_err();
    assert_eq!(err.violation, Violation::TooFew { min: 2, actual: 1 });
    let err = product_carousel(2, &"b".repeat(1025))
        .validate()
        .unwrap_err();
    assert_eq!(err.field, "components[0].text");
    // A URL button is allowed on a product card; a quick reply is not.
    let url_card = CarouselCardDefinition::product(
        ButtonDefinition::url("Buy", "https://shop.example/p/{{1}}")
            .url_example("https://shop.example/p/1"),
    );
    CreateTemplate::new("pcc", "en_US", TemplateCategory::Marketing)
        .component(BodyComponent::new("b"))
        .component(CarouselComponent::new([url_card.clone(), url_card]))
        .validate()
        .unwrap();
    let qr_card = CarouselCardDefinition::product(ButtonDefinition::quick_reply("Buy"));
    let err = CreateTemplate::new("pcc", "en_US", TemplateCategory::Marketing)
        .component(BodyComponent::new("b"))
        .component(CarouselComponent::new([qr_card.clone(), qr_card]))
        .validate()
        .unwrap_err();
    assert_eq!(err.field, "components[1].cards[0].buttons[0].type");
}

fn media_card(handle: &str, buttons: Vec<ButtonDefinition>) -> CarouselCardDefinition {
    CarouselCardDefinition::new()
        .component(HeaderComponent::media_example(
            HeaderFormat::Image,
            HeaderHandle::from(handle),
        ))
        .component(BodyComponent::new("Fresh today."))
        .component(ButtonsComponent::new(buttons))
}

fn media_carousel(cards: Vec<CarouselCardDefinition>) -> CreateTemplate {
    CreateTemplate::new("weekly_picks", "en_US", TemplateCategory::Marketing)
        .component(BodyComponent::new("This week's picks."))
        .component(CarouselComponent::new(cards))
}

#[test]
fn media_card_carousel_creation_is_wire_exact_and_limited() {
    let two = || {
        vec![
            ButtonDefinition::quick_reply("Order"),
            ButtonDefinition::phone_number("Call", "+15550001111"),
        ]
    };
    let t = media_carousel(vec![media_card("4::a", two()), media_card("4::b", two())]);
    t.validate().unwrap();
    assert_eq!(
        serde_json::to_value(&t).unwrap()["components"][1]["cards"][0],
        json!({"components": [
            {"type": "HEADER", "format": "IMAGE", "example": {"header_handle": ["4::a"]}},
            {"type": "BODY", "text": "Fresh today."},
            {"type": "BUTTONS", "buttons": [
                {"type": "QUICK_REPLY", "text": "Order"},
                {"type": "PHONE_NUMBER", "text": "Call", "phone_number": "+15550001111"}]}
        ]})
    );
    // Three buttons on a card: over the limit of two.
    let three = || {
        let mut b = two();
        b.push(ButtonDefinition::quick_reply("More"));
        b
    };
    let err = media_carousel(vec![
        media_card("4::a", three()),
        media_card("4::b", three()),
    ])
    .validate()
    .unwrap_err();
    assert_eq!(err.field, "components[1].cards[0].buttons");
    assert_eq!(err.violation, Violation::TooMany { max: 2, actual: 3 });
    // Cards must have the same components.
    let err = media_carousel(vec![
        media_card("4::a", two()),
        media_card("4::b", vec![ButtonDefinition::quick_reply("Order")]),
    ])
    .validate()
    .unwrap_err();
    assert_eq!(err.field, "components[1].cards[1].components");
    // A media card needs its sample (a header handle).
    let no_sample = CarouselCardDefinition::new()
        .component(HeaderComponent::media(HeaderFormat::Video))
        .component(ButtonsComponent::new([ButtonDefinition::quick_reply("Go")]));
    let err = media_carousel(vec![no_sample.clone(), no_sample])
        .validate()
        .unwrap_err();
    assert_eq!(
        err.field,
        "components[1].cards[0].components[0].example.header_handle"
    );
    // A card body is at most 160 characters.
    let long = |h: &str| {
        CarouselCardDefinition::new()
            .component(HeaderComponent::media_example(
                HeaderFormat::Image,
                HeaderHandle::from(h),
            ))
            .component(BodyComponent::new("x".repeat(161)))
            .component(ButtonsComponent::new([ButtonDefinition::quick_reply("Go")]))
    };
    let err = media_carousel(vec![long("a"), long("b")])
        .validate()
        .unwrap_err();
    assert_eq!(err.field, "components[1].cards[0].components[1].text");
    // Ten cards fit, eleven do not.
    media_carousel(
        (0..10)
            .map(|i| media_card(&format!("4::{i}"), two()))
            .collect(),
    )
    .validate()
    .unwrap();
    let err = media_carousel(
        (0..11)
            .map(|i| media_card(&format!("4::{i}"), two()))
            .collect(),
    )
    .validate()
    .unwrap_err();
    assert_eq!(
        err.violation,
        Violation::TooMany {
            max: 10,
            actual: 11
        }
    );
}

fn auth(button: ButtonDefinition) -> CreateTemplate {
    CreateTemplate::new("login_code", "en_US", TemplateCategory::Authentication)
        .component(BodyComponent::authentication(true))
        .component(FooterComponent::code_expiration(10))
        .component(ButtonsComponent::new([button]))
}

fn app(hash: &str) -> SupportedApp {
    SupportedApp::new("com.example.luckyshrub", hash)
}

#[test]
fn authentication_creation_is_wire_exact() {
    let t = auth(
        ButtonDefinition::otp_zero_tap([app("K8a/AINcGX7")], true)
            .label("Copy code")
            .autofill_text("Autofill"),
    )
    .message_send_ttl_seconds(600);
    t.validate().unwrap();
    assert_eq!(
        serde_json::to_value(&t).unwrap(),
        json!({"name": "login_code", "language": "en_US", "category": "AUTHENTICATION",
            "message_send_ttl_seconds": 600, "components": [
            {"type": "BODY", "add_security_recommendation": true},
            {"type": "FOOTER", "code_expiration_minutes": 10},
            {"type": "BUTTONS", "buttons": [{"type": "OTP", "otp_type": "zero_tap",
                "text": "Copy code", "autofill_text": "Autofill", "zero_tap_terms_accepted": true,
                "supported_apps": [{"package_name": "com.example.luckyshrub", "signature_hash": "K8a/AINcGX7"}]}]}
        ]})
    );
}

fn violation_at(t: &CreateTemplate) -> ValidationError {
    t.validate().unwrap_err()
}

#[test]
fn authentication_limits() {
    let bf = "components[2].buttons[0]";
    // Code expiry 1..=90.
    for ok in [1, 90] {
        CreateTemplate::new("c", "en", TemplateCategory::Authentication)
            .component(BodyComponent::authentication(false))
            .component(FooterComponent::code_expiration(ok))
            .component(ButtonsComponent::new([ButtonDefinition::otp_copy_code()]))
            .validate()
            .unwrap();
    }
    for bad in [0, 91] {
        let err = violation_at(
            &CreateTemplate::new("c", "en", TemplateCategory::Authentication)
                .component(BodyComponent::authentication(false))
                .component(FooterComponent::code_expiration(bad))
                .component(ButtonsComponent::new([ButtonDefinition::otp_copy_code()])),
        );
        assert_eq!(err.field, "components[1].code_expiration_minutes");
    }
    // Up to 5 apps, at least one.
    auth(ButtonDefinition::otp_one_tap(
        (0..5).map(|_| app("K8a/AINcGX7")),
    ))
    .validate()
    .unwrap();
    let err = violation_at(&auth(ButtonDefinition::otp_one_tap(
        (0..6).map(|_| app("K8a/AINcGX7")),
    )));
    assert_eq!(err.field, format!("{bf}.supported_apps"));
    assert_eq!(err.violation, Violation::TooMany { max: 5, actual: 6 });
    let err = violation_at(&auth(ButtonDefinition::otp_one_tap([])));
    assert_eq!(err.violation, Violation::TooFew { min: 1, actual: 0 });
    // Signature hash of exactly 11 characters.
    for bad in ["K8a/AINcGX", "K8a/AINcGX77"] {
        let err = violation_at(&auth(ButtonDefinition::otp_one_tap([app(bad)])));
        assert_eq!(err.field, format!("{bf}.supported_apps[0].signature_hash"));
    }
    // Autofill text at most 25.
    auth(ButtonDefinition::otp_one_tap([app("K8a/AINcGX7")]).autofill_text("a".repeat(25)))
        .validate()
        .unwrap();
    let err = violation_at(&auth(
        ButtonDefinition::otp_one_tap([app("K8a/AINcGX7")]).autofill_text("a".repeat(26)),
    ));
    assert_eq!(err.field, format!("{bf}.autofill_text"));
    // Zero-tap needs the terms accepted.
    let err = violation_at(&auth(ButtonDefinition::otp_zero_tap(
        [app("K8a/AINcGX7")],
        false,
    )));
    assert_eq!(err.field, format!("{bf}.zero_tap_terms_accepted"));
    // An OTP button outside authentication, and a contact request inside it, are refused.
    let err = violation_at(
        &CreateTemplate::new("c", "en", TemplateCategory::Utility)
            .component(BodyComponent::new("Hi"))
            .component(ButtonsComponent::new([ButtonDefinition::otp_copy_code()])),
    );
    assert_eq!(err.field, "components[1].buttons[0].type");
    let err = violation_at(&auth(ButtonDefinition::request_contact_info("Share")));
    assert_eq!(err.field, format!("{bf}.type"));
    // REQUEST_CONTACT_INFO is fine in utility.
    CreateTemplate::new("c", "en", TemplateCategory::Utility)
        .component(BodyComponent::new("Hi"))
        .component(ButtonsComponent::new([
            ButtonDefinition::request_contact_info("Share"),
        ]))
        .validate()
        .unwrap();
}

fn with_ttl(category: TemplateCategory, ttl: i64) -> Result<(), ValidationError> {
    let t = CreateTemplate::new("t", "en", category.clone());
    let t = if category == TemplateCategory::Authentication {
        t.component(BodyComponent::authentication(true))
            .component(ButtonsComponent::new([ButtonDefinition::otp_copy_code()]))
    } else {
        t.component(BodyComponent::new("Hi"))
    };
    t.message_send_ttl_seconds(ttl).validate()
}

#[test]
fn ttl_is_checked_per_category() {
    use TemplateCategory::*;
    let cases = [
        (Authentication, 30, 900, true),
        (Utility, 30, 43_200, true),
        (Marketing, 43_200, 2_592_000, false),
    ];
    for (category, min, max, minus_one) in cases {
        with_ttl(category.clone(), min).unwrap();
        with_ttl(category.clone(), max).unwrap();
        for bad in [min - 1, max + 1] {
            let err = with_ttl(category.clone(), bad).unwrap_err();
            assert_eq!(err.field, "message_send_ttl_seconds");
            assert_eq!(
                err.violation,
                Violation::OutOfRange {
                    min,
                    max,
                    actual: bad
                }
            );
        }
        assert_eq!(with_ttl(category, -1).is_ok(), minus_one);
    }
}

#[test]
fn named_parameters_are_lower_case_and_unique() {
    let named = |body: BodyComponent| {
        CreateTemplate::new("t", "en", TemplateCategory::Utility)
            .parameter_format(ParameterFormat::Named)
            .component(body)
    };
    let t = named(
        BodyComponent::new("Hi {{first_name}}, order {{order_id}}")
            .example_named([("first_name", "Ana"), ("order_id", "#1")]),
    );
    t.validate().unwrap();
    assert_eq!(
        serde_json::to_value(&t).unwrap()["components"][0]["example"],
        json!({"body_text_named_params": [
            {"param_name": "first_name", "example": "Ana"},
            {"param_name": "order_id", "example": "#1"}]})
    );
    assert_eq!(
        serde_json::to_value(&t).unwrap()["parameter_format"],
        "named"
    );
    let err = named(
        BodyComponent::new("Hi {{first_name}}")
            .example_named([("first_name", "Ana"), ("first_name", "Bo")]),
    )
    .validate()
    .unwrap_err();
    assert_eq!(
        err.violation,
        Violation::Duplicate {
            value: "first_name".into()
        }
    );
    let err = named(BodyComponent::new("Hi {{First}}").example_named([("First", "Ana")]))
        .validate()
        .unwrap_err();
    assert_eq!(err.field, "components[0].text");
}

#[test]
fn gif_header_creation() {
    let t = CreateTemplate::new("gif_promo", "en", TemplateCategory::Marketing)
        .component(HeaderComponent::media_example(
            HeaderFormat::Gif,
            HeaderHandle::from("4::gif"),
        ))
        .component(BodyComponent::new("Hi"));
    t.validate().unwrap();
    assert_eq!(
        serde_json::to_value(&t).unwrap()["components"][0],
        json!({"type": "HEADER", "format": "GIF", "example": {"header_handle": ["4::gif"]}})
    );
}

#[test]
fn upsert_refuses_text_and_autofill_text() {
    let base = UpsertAuthenticationTemplate::new("login_code", ["en_US", "es_ES"])
        .component(BodyComponent::authentication(true));
    base.clone()
        .component(ButtonsComponent::new([ButtonDefinition::otp_copy_code()]))
        .validate()
        .unwrap();
    let err = base
        .clone()
        .component(ButtonsComponent::new([
            ButtonDefinition::otp_copy_code().label("Copy")
        ]))
        .validate()
        .unwrap_err();
    assert_eq!(err.field, "components[1].text");
    let err = base
        .component(ButtonsComponent::new([ButtonDefinition::otp_one_tap([
            app("K8a/AINcGX7"),
        ])
        .autofill_text("Fill")]))
        .validate()
        .unwrap_err();
    assert_eq!(err.field, "components[1].autofill_text");
}

// --- Reading back and checking sends ----------------------------------------------------------

fn info(value: serde_json::Value) -> TemplateInfo {
    serde_json::from_value(value).unwrap()
}

#[test]
fn ttl_reads_from_a_number_or_a_string() {
    let base = json!({"id": "1", "name": "n", "language": "en", "status": "APPROVED",
        "category": "UTILITY", "parameter_format": "NAMED"});
    let mut a = base.clone();
    a["message_send_ttl_seconds"] = json!("120");
    let mut b = base.clone();
    b["message_send_ttl_seconds"] = json!(-1);
    assert_eq!(info(a).message_send_ttl_seconds, Some(120));
    let b = info(b);
    assert_eq!(b.message_send_ttl_seconds, Some(-1));
    assert_eq!(b.parameter_format, Some(ParameterFormat::Named));
    assert_eq!(info(base).message_send_ttl_seconds, None);
    let mut bad = json!({"id": "1", "name": "n", "status": "APPROVED", "category": "UTILITY"});
    bad["message_send_ttl_seconds"] = json!("soon");
    assert!(serde_json::from_value::<TemplateInfo>(bad).is_err());
}

#[test]
fn single_product_send_needs_a_product_parameter() {
    let t = info(
        json!({"id": "1", "name": "spm_offer", "language": "en_US", "status": "APPROVED",
        "category": "MARKETING", "components": [
            {"type": "HEADER", "format": "PRODUCT"},
            {"type": "BODY", "text": "Hi {{1}}"},
            {"type": "BUTTONS", "buttons": [{"type": "SPM", "text": "View"}]}]}),
    );
    assert_eq!(
        t.required_parameters().header,
        Some(HeaderParameter::Product)
    );
    let ok = Template::new("spm_offer", "en_US")
        .header([Parameter::product("SKU", "1948")])
        .body([Parameter::text("Ana")]);
    t.check_send(&ok).unwrap();
    let missing = Template::new("spm_offer", "en_US").body([Parameter::text("Ana")]);
    assert_eq!(
        t.check_send(&missing).unwrap_err().field,
        "template.components[header].parameters"
    );
    let wrong = Template::new("spm_offer", "en_US")
        .header([Parameter::image(whatsapp_cloud::message::MediaSource::id(
            "1",
        ))])
        .body([Parameter::text("Ana")]);
    let err = t.check_send(&wrong).unwrap_err();
    assert!(
        matches!(err.violation, Violation::Invalid { ref expected, .. } if expected == "one product parameter")
    );
}

fn media_carousel_info() -> TemplateInfo {
    let card = |h: &str| {
        json!({"components": [
            {"type": "HEADER", "format": "IMAGE", "example": {"header_handle": [h]}},
            {"type": "BODY", "text": "Only {{1}} left"},
            {"type": "BUTTONS", "buttons": [{"type": "URL", "text": "Buy",
                "url": "https://shop.example/{{1}}", "example": ["https://shop.example/a"]}]}]})
    };
    info(
        json!({"id": "2", "name": "weekly_picks", "language": "en_US", "status": "APPROVED",
        "category": "MARKETING", "components": [
            {"type": "BODY", "text": "Picks for {{1}}"},
            {"type": "CAROUSEL", "cards": [card("a"), card("b")]}]}),
    )
}

fn media_send_card(i: u8) -> CarouselCard {
    CarouselCard::new(i)
        .header([Parameter::image(whatsapp_cloud::message::MediaSource::id(
            "9",
        ))])
        .body([Parameter::text("3")])
        .button(TemplateButton::url(0, "sku"))
}

#[test]
fn carousel_reads_back_typed_and_needs_each_cards_parameters() {
    let t = media_carousel_info();
    let TemplateComponent::Carousel(c) = &t.components[1] else {
        panic!("a typed carousel: {:?}", t.components[1])
    };
    assert_eq!(c.cards.len(), 2);
    let req = t.required_parameters();
    assert_eq!(req.cards.len(), 2);
    assert!(!req.product_cards);
    assert_eq!(
        req.cards[0].header,
        Some(HeaderParameter::Media(HeaderFormat::Image))
    );
    let ok = Template::new("weekly_picks", "en_US")
        .body([Parameter::text("Ana")])
        .carousel([media_send_card(0), media_send_card(1)]);
    t.check_send(&ok).unwrap();
    // One card fewer than defined.
    let short = Template::new("weekly_picks", "en_US")
        .body([Parameter::text("Ana")])
        .carousel([media_send_card(0)]);
    assert_eq!(
        t.check_send(&short).unwrap_err().field,
        "template.components[carousel].cards"
    );
    // A card without its button parameter.
    let no_button = CarouselCard::new(1)
        .header([Parameter::image(whatsapp_cloud::message::MediaSource::id(
            "9",
        ))])
        .body([Parameter::text("3")]);
    let bad = Template::new("weekly_picks", "en_US")
        .body([Parameter::text("Ana")])
        .carousel([media_send_card(0), no_button]);
    assert_eq!(
        t.check_send(&bad).unwrap_err().field,
        "template.components[carousel].cards[1].components[button index=0]"
    );
    // A card with a text header where an image is needed.
    let wrong = CarouselCard::new(0)
        .header([Parameter::text("x")])
        .body([Parameter::text("3")])
        .button(TemplateButton::url(0, "sku"));
    let bad = Template::new("weekly_picks", "en_US")
        .body([Parameter::text("Ana")])
        .carousel([wrong, media_send_card(1)]);
    assert_eq!(
        t.check_send(&bad).unwrap_err().field,
        "template.components[carousel].cards[0].components[header].parameters"
    );
}

#[test]
fn product_carousel_sends_up_to_ten_cards_each_with_a_product() {
    let card = json!({"components": [{"type": "HEADER", "format": "PRODUCT"},
        {"type": "BUTTONS", "buttons": [{"type": "SPM", "text": "View"}]}]});
    let t = info(
        json!({"id": "3", "name": "pcc", "language": "en_US", "status": "APPROVED",
        "category": "MARKETING", "components": [{"type": "BODY", "text": "Picks"},
            {"type": "CAROUSEL", "cards": [card.clone(), card]}]}),
    );
    assert!(t.required_parameters().product_cards);
    let send = |n: u8| {
        Template::new("pcc", "en_US").carousel((0..n).map(|i| CarouselCard::product(i, "S", "1")))
    };
    t.check_send(&send(10)).unwrap();
    t.check_send(&send(3)).unwrap();
    assert_eq!(
        t.check_send(&send(11)).unwrap_err().field,
        "template.components[carousel].cards"
    );
    let media = Template::new("pcc", "en_US").carousel([
        CarouselCard::product(0, "S", "1"),
        CarouselCard::new(1).header([Parameter::text("x")]),
    ]);
    assert_eq!(
        t.check_send(&media).unwrap_err().field,
        "template.components[carousel].cards[1].components[header].parameters"
    );
}

#[test]
fn authentication_send_needs_the_code_in_body_and_button() {
    // As GET shows it once created: the OTP button as a URL button.
    let as_url = info(json!({"id": "4", "name": "login_code", "language": "en_US",
        "status": "APPROVED", "category": "AUTHENTICATION", "components": [
            {"type": "BODY", "text": "*{{1}}* is your verification code."},
            {"type": "BUTTONS", "buttons": [{"type": "URL", "text": "Copy code",
                "url": "https://www.whatsapp.com/otp/code/?otp_type=COPY_CODE&code=otp{{1}}"}]}]}));
    // As created: an OTP button and Meta's body without text.
    let as_otp = info(json!({"id": "5", "name": "login_code", "language": "en_US",
        "status": "APPROVED", "category": "AUTHENTICATION", "components": [
            {"type": "BODY", "add_security_recommendation": true},
            {"type": "BUTTONS", "buttons": [{"type": "OTP", "otp_type": "COPY_CODE"}]}]}));
    let TemplateComponent::Buttons(b) = &as_otp.components[1] else {
        panic!("buttons")
    };
    assert_eq!(b.buttons[0].otp_type(), Some(OtpType::CopyCode));
    for t in [&as_url, &as_otp] {
        t.check_send(&Template::authentication("login_code", "en_US", "123456"))
            .unwrap();
        let body_only = Template::new("login_code", "en_US").body([Parameter::text("123456")]);
        assert_eq!(
            t.check_send(&body_only).unwrap_err().field,
            "template.components[button index=0]"
        );
        let button_only =
            Template::new("login_code", "en_US").button(TemplateButton::url(0, "123456"));
        assert_eq!(
            t.check_send(&button_only).unwrap_err().field,
            "template.components[body].parameters"
        );
        let copy_code = Template::new("login_code", "en_US")
            .body([Parameter::text("123456")])
            .button(TemplateButton::copy_code(0, "123456"));
        assert_eq!(
            t.check_send(&copy_code).unwrap_err().field,
            "template.components[button index=0].sub_type"
        );
    }
}

#[test]
fn otp_type_reads_both_cases() {
    assert_eq!(OtpType::parse("ONE_TAP"), OtpType::OneTap);
    assert_eq!(OtpType::parse("one_tap"), OtpType::OneTap);
    assert_eq!(OtpType::parse("ZERO_TAP"), OtpType::ZeroTap);
    assert_eq!(OtpType::CopyCode.as_str(), "copy_code");
}

#[test]
fn archival_and_migration_answers_parse() {
    let archived: ArchivalResult = serde_json::from_value(json!({
        "archived_templates": ["1"],
        "failed_templates": {"2": "Only approved or rejected templates can be archived"}}))
    .unwrap();
    assert_eq!(archived.templates, ["1"]);
    assert_eq!(
        archived.failed_templates["2"],
        "Only approved or rejected templates can be archived"
    );
    let unarchived: ArchivalResult =
        serde_json::from_value(json!({"unarchived_templates": ["3"]})).unwrap();
    assert_eq!(unarchived.templates, ["3"]);
    assert!(unarchived.failed_templates.is_empty());
}

#[cfg(feature = "client")]
#[path = "templates_complete/api.rs"]
mod api;
