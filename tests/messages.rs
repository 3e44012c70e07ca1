//! Sending every message type through the client against a fake Cloud API (wiremock), checking
//! method, path, headers and the exact JSON body; validation at every limit; response parsing.

mod common;
#[path = "messages/identity.rs"]
mod identity;

use serde_json::{Value, json};
use whatsapp_cloud::Client;
use whatsapp_cloud::GroupId;
use whatsapp_cloud::endpoint::Endpoint;
use whatsapp_cloud::endpoint::messages::{AcceptedStatus, SendResponse};
use whatsapp_cloud::error::{Error, ValidationError, Violation};
use whatsapp_cloud::message::*;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "EAAG-test-token";
const PHONE_ID: &str = "106540352242922";
const TO: &str = "+16505551234";
const WAMID: &str = "wamid.HBgLMTY1MDUwNzY1MjAVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA";

fn client(server: &MockServer) -> Client {
    Client::builder()
        .access_token(TOKEN)
        .phone_number_id(PHONE_ID)
        .base_url(server.uri())
        .build()
        .unwrap()
}

fn accepted() -> Value {
    json!({
        "messaging_product": "whatsapp",
        "contacts": [{"input": TO, "wa_id": "16505551234"}],
        "messages": [{"id": WAMID}]
    })
}

/// Expects exactly one POST with the bearer token, JSON content type and exactly `expected` as the
/// body, answers `response`, sends `send`, and returns the parsed answer.
async fn send_expecting(send: SendMessage, expected: Value, response: Value) -> SendResponse {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/v26.0/{PHONE_ID}/messages")))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .and(header("content-type", "application/json"))
        .and(body_json(expected))
        .respond_with(ResponseTemplate::new(200).set_body_json(response))
        .expect(1)
        .mount(&server)
        .await;
    let sent = client(&server).send(&send).await.unwrap();
    server.verify().await;
    sent
}

/// `send_expecting` for a message to `TO`: the envelope is added to `payload` (`{"type": ..., <type>: ...}`).
async fn send_to_user(message: impl Into<Message>, payload: Value) {
    let mut expected = json!({
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": TO,
    });
    for (k, v) in payload.as_object().unwrap() {
        expected[k] = v.clone();
    }
    let sent = send_expecting(SendMessage::new(TO, message), expected, accepted()).await;
    assert_eq!(sent.message_id().unwrap().as_str(), WAMID);
    assert_eq!(sent.contacts[0].wa_id.as_deref(), Some("16505551234"));
}

// --- Seed examples ----------------------------------------------------------------------------

#[tokio::test]
async fn plain_reply_quotes_the_earlier_message() {
    let send =
        SendMessage::new(TO, Message::text("Thanks, your order is on its way!")).reply_to(WAMID);
    let expected = json!({
        "messaging_product": "whatsapp", "recipient_type": "individual", "to": TO,
        "context": {"message_id": WAMID},
        "type": "text", "text": {"body": "Thanks, your order is on its way!"}
    });
    let sent = send_expecting(send, expected, accepted()).await;
    assert_eq!(sent.message_id().unwrap().as_str(), WAMID);
}

#[tokio::test]
async fn order_confirmation_template_with_two_body_parameters() {
    let template = Template::new("order_confirmation", "en_US")
        .body([Parameter::text("Jessica"), Parameter::text("SKBUS2")]);
    send_to_user(
        template,
        json!({"type": "template", "template": {
            "name": "order_confirmation",
            "language": {"code": "en_US"},
            "components": [{"type": "body", "parameters": [
                {"type": "text", "text": "Jessica"},
                {"type": "text", "text": "SKBUS2"}
            ]}]
        }}),
    )
    .await;
}

#[tokio::test]
async fn three_reply_buttons() {
    let ask = Interactive::buttons(
        "What would you like to do?",
        [
            ReplyButton::new("track", "Track my order"),
            ReplyButton::new("change", "Change address"),
            ReplyButton::new("agent", "Talk to a person"),
        ],
    );
    send_to_user(
        ask,
        json!({"type": "interactive", "interactive": {
            "type": "button",
            "body": {"text": "What would you like to do?"},
            "action": {"buttons": [
                {"type": "reply", "reply": {"id": "track", "title": "Track my order"}},
                {"type": "reply", "reply": {"id": "change", "title": "Change address"}},
                {"type": "reply", "reply": {"id": "agent", "title": "Talk to a person"}}
            ]}
        }}),
    )
    .await;
}

#[tokio::test]
async fn two_section_support_menu_list() {
    let menu = Interactive::list(
        "How can we help you today?",
        "Support menu",
        [
            Section::new(
                "Orders",
                [
                    Row::new("order_status", "Order status").description("Where is my parcel?"),
                    Row::new("returns", "Returns"),
                ],
            ),
            Section::new("Account", [Row::new("password", "Reset password")]),
        ],
    )
    .header("Support")
    .footer("We answer within an hour");
    send_to_user(
        menu,
        json!({"type": "interactive", "interactive": {
            "type": "list",
            "header": {"type": "text", "text": "Support"},
            "body": {"text": "How can we help you today?"},
            "footer": {"text": "We answer within an hour"},
            "action": {
                "button": "Support menu",
                "sections": [
                    {"title": "Orders", "rows": [
                        {"id": "order_status", "title": "Order status", "description": "Where is my parcel?"},
                        {"id": "returns", "title": "Returns"}
                    ]},
                    {"title": "Account", "rows": [{"id": "password", "title": "Reset password"}]}
                ]
            }
        }}),
    )
    .await;
}

#[tokio::test]
async fn image_with_caption() {
    send_to_user(
        Image::from_link("https://example.com/catalog/red-shoes.jpg").caption("Our new red shoes"),
        json!({"type": "image", "image": {
            "link": "https://example.com/catalog/red-shoes.jpg", "caption": "Our new red shoes"
        }}),
    )
    .await;
}

#[tokio::test]
async fn pdf_invoice_with_filename_and_caption() {
    send_to_user(
        Document::from_id("1376223850470843")
            .filename("invoice-2026-042.pdf")
            .caption("Your invoice for April"),
        json!({"type": "document", "document": {
            "id": "1376223850470843", "filename": "invoice-2026-042.pdf", "caption": "Your invoice for April"
        }}),
    )
    .await;
}

#[tokio::test]
async fn location_with_name_and_address() {
    send_to_user(
        Location::new(37.44216251868683, -122.16153582049394)
            .name("Philz Coffee")
            .address("101 Forest Ave, Palo Alto, CA 94301"),
        json!({"type": "location", "location": {
            "latitude": "37.44216251868683", "longitude": "-122.16153582049394",
            "name": "Philz Coffee", "address": "101 Forest Ave, Palo Alto, CA 94301"
        }}),
    )
    .await;
}

#[tokio::test]
async fn appointment_reminder_template_with_image_header_and_quick_reply() {
    let template = Template::new("appointment_reminder", "en_US")
        .header([Parameter::image(MediaSource::link(
            "https://example.com/clinic.png",
        ))])
        .body([Parameter::text("Maria"), Parameter::text("Tuesday 10:30")])
        .button(TemplateButton::quick_reply(0, "CONFIRM_APPT_881"));
    send_to_user(
        template,
        json!({"type": "template", "template": {
            "name": "appointment_reminder",
            "language": {"code": "en_US"},
            "components": [
                {"type": "header", "parameters": [{"type": "image", "image": {"link": "https://example.com/clinic.png"}}]},
                {"type": "body", "parameters": [
                    {"type": "text", "text": "Maria"}, {"type": "text", "text": "Tuesday 10:30"}
                ]},
                {"type": "button", "sub_type": "quick_reply", "index": "0",
                 "parameters": [{"type": "payload", "payload": "CONFIRM_APPT_881"}]}
            ]
        }}),
    )
    .await;
}

// --- Every other type ----------------------------------------------------------------------------

#[tokio::test]
async fn text_with_link_preview() {
    send_to_user(
        Text::new("Track it at https://example.com/t/42").preview_url(true),
        json!({"type": "text", "text": {"preview_url": true, "body": "Track it at https://example.com/t/42"}}),
    )
    .await;
}

#[tokio::test]
async fn voice_note_by_id() {
    send_to_user(
        Audio::from_id("1013859600285441").voice(true),
        json!({"type": "audio", "audio": {"id": "1013859600285441", "voice": true}}),
    )
    .await;
}

#[tokio::test]
async fn audio_by_link() {
    send_to_user(
        Audio::from_link("https://example.com/jingle.mp3"),
        json!({"type": "audio", "audio": {"link": "https://example.com/jingle.mp3"}}),
    )
    .await;
}

#[tokio::test]
async fn video_with_caption() {
    send_to_user(
        Video::from_id("1166846181421424").caption("How to assemble your desk"),
        json!({"type": "video", "video": {"id": "1166846181421424", "caption": "How to assemble your desk"}}),
    )
    .await;
}

#[tokio::test]
async fn sticker_by_id() {
    send_to_user(
        Sticker::from_id("798882015472548"),
        json!({"type": "sticker", "sticker": {"id": "798882015472548"}}),
    )
    .await;
}

#[tokio::test]
async fn full_contact_card() {
    let card = ContactCard::new(
        Name::new("Barbara J. Johnson")
            .first_name("Barbara")
            .last_name("Johnson")
            .middle_name("Joana")
            .prefix("Dr.")
            .suffix("Esq."),
    )
    .address(
        Address::new()
            .street("1 Lucky Shrub Way")
            .city("Menlo Park")
            .state("CA")
            .zip("94025")
            .country("United States")
            .country_code("US")
            .kind(InfoType::Work),
    )
    .birthday("1999-01-23")
    .email(Email::new("bjohnson@luckyshrub.com").kind(InfoType::Work))
    .email(Email::new("barbara@example.com").kind("Personal"))
    .org(
        Org::new()
            .company("Lucky Shrub")
            .department("Legal")
            .title("Lead Counsel"),
    )
    .phone(Phone::new("+16505559999").kind(PhoneType::Home))
    .phone(
        Phone::new("+19175559999")
            .kind(PhoneType::Cell)
            .wa_id("19175559999"),
    )
    .url(ContactUrl::new("https://www.luckyshrub.com").kind(InfoType::Work));
    send_to_user(
        card,
        json!({"type": "contacts", "contacts": [{
            "name": {"formatted_name": "Barbara J. Johnson", "first_name": "Barbara", "last_name": "Johnson",
                     "middle_name": "Joana", "prefix": "Dr.", "suffix": "Esq."},
            "addresses": [{"street": "1 Lucky Shrub Way", "city": "Menlo Park", "state": "CA", "zip": "94025",
                           "country": "United States", "country_code": "US", "type": "WORK"}],
            "birthday": "1999-01-23",
            "emails": [{"email": "bjohnson@luckyshrub.com", "type": "WORK"},
                       {"email": "barbara@example.com", "type": "Personal"}],
            "org": {"company": "Lucky Shrub", "department": "Legal", "title": "Lead Counsel"},
            "phones": [{"phone": "+16505559999", "type": "HOME"},
                       {"phone": "+19175559999", "type": "CELL", "wa_id": "19175559999"}],
            "urls": [{"url": "https://www.luckyshrub.com", "type": "WORK"}]
        }]}),
    )
    .await;
}

#[tokio::test]
async fn two_minimal_contacts() {
    send_to_user(
        vec![
            ContactCard::new("Ana"),
            ContactCard::new("Bo").phone("+15550001111"),
        ],
        json!({"type": "contacts", "contacts": [
            {"name": {"formatted_name": "Ana"}},
            {"name": {"formatted_name": "Bo"}, "phones": [{"phone": "+15550001111"}]}
        ]}),
    )
    .await;
}

#[tokio::test]
async fn reaction_and_its_removal() {
    send_to_user(
        Reaction::new(WAMID, "👍"),
        json!({"type": "reaction", "reaction": {"message_id": WAMID, "emoji": "👍"}}),
    )
    .await;
    send_to_user(
        Reaction::remove(WAMID),
        json!({"type": "reaction", "reaction": {"message_id": WAMID, "emoji": ""}}),
    )
    .await;
}

#[tokio::test]
async fn buttons_with_document_header_and_footer() {
    let m = Interactive::buttons(
        "Confirm tomorrow's visit?",
        [ReplyButton::new("yes", "Yes"), ReplyButton::new("no", "No")],
    )
    .header(Header::document_with_filename(
        MediaSource::link("https://example.com/plan.pdf"),
        "plan.pdf",
    ))
    .footer("Lucky Shrub");
    send_to_user(
        m,
        json!({"type": "interactive", "interactive": {
            "type": "button",
            "header": {"type": "document", "document": {"link": "https://example.com/plan.pdf", "filename": "plan.pdf"}},
            "body": {"text": "Confirm tomorrow's visit?"},
            "footer": {"text": "Lucky Shrub"},
            "action": {"buttons": [
                {"type": "reply", "reply": {"id": "yes", "title": "Yes"}},
                {"type": "reply", "reply": {"id": "no", "title": "No"}}
            ]}
        }}),
    )
    .await;
}

#[tokio::test]
async fn cta_url_with_image_header() {
    let m = Interactive::cta_url(
        "Tap the button below to see available dates.",
        "See Dates",
        "https://www.luckyshrub.com?clickID=kqDGWd24Q5TRwoEQTICY7W1JKoXvaZOXWAS7h1P76s0R7Paec4",
    )
    .header(Header::image(MediaSource::id("1160404632160185")))
    .footer("Dates subject to change.");
    send_to_user(
        m,
        json!({"type": "interactive", "interactive": {
            "type": "cta_url",
            "header": {"type": "image", "image": {"id": "1160404632160185"}},
            "body": {"text": "Tap the button below to see available dates."},
            "footer": {"text": "Dates subject to change."},
            "action": {"name": "cta_url", "parameters": {
                "display_text": "See Dates",
                "url": "https://www.luckyshrub.com?clickID=kqDGWd24Q5TRwoEQTICY7W1JKoXvaZOXWAS7h1P76s0R7Paec4"
            }}
        }}),
    )
    .await;
}

#[tokio::test]
async fn flow_by_id_navigating_with_data() {
    let mut data = serde_json::Map::new();
    data.insert("product_name".into(), json!("name"));
    data.insert("is_premium".into(), json!(true));
    let flow = Flow::by_id("1234567890", "Book!")
        .mode(FlowMode::Draft)
        .flow_token("AQAAAAACS5FpgQ_cAAAAAD0QI3s.")
        .navigate_with_data("APPOINTMENT", data);
    send_to_user(
        Interactive::flow("Book your appointment", flow).header("Flow message header"),
        json!({"type": "interactive", "interactive": {
            "type": "flow",
            "header": {"type": "text", "text": "Flow message header"},
            "body": {"text": "Book your appointment"},
            "action": {"name": "flow", "parameters": {
                "flow_message_version": "3",
                "flow_id": "1234567890",
                "flow_cta": "Book!",
                "mode": "draft",
                "flow_token": "AQAAAAACS5FpgQ_cAAAAAD0QI3s.",
                "flow_action": "navigate",
                "flow_action_payload": {"screen": "APPOINTMENT", "data": {"product_name": "name", "is_premium": true}}
            }}
        }}),
    )
    .await;
}

#[tokio::test]
async fn flow_by_name_with_data_exchange() {
    let flow = Flow::by_name("appointment_booking_v1", "Book now").data_exchange();
    send_to_user(
        Interactive::flow("Pick a time", flow),
        json!({"type": "interactive", "interactive": {
            "type": "flow",
            "body": {"text": "Pick a time"},
            "action": {"name": "flow", "parameters": {
                "flow_message_version": "3", "flow_name": "appointment_booking_v1",
                "flow_cta": "Book now", "flow_action": "data_exchange"
            }}
        }}),
    )
    .await;
}

#[tokio::test]
async fn location_request() {
    send_to_user(
        Interactive::location_request("Let us start with your pickup. You can either manually *enter an address* or *share your current location*."),
        json!({"type": "interactive", "interactive": {
            "type": "location_request_message",
            "body": {"text": "Let us start with your pickup. You can either manually *enter an address* or *share your current location*."},
            "action": {"name": "send_location"}
        }}),
    )
    .await;
}

#[tokio::test]
async fn single_product_without_body() {
    send_to_user(
        Interactive::product("194836987003835", "SKU-RED-42"),
        json!({"type": "interactive", "interactive": {
            "type": "product",
            "action": {"catalog_id": "194836987003835", "product_retailer_id": "SKU-RED-42"}
        }}),
    )
    .await;
}

#[tokio::test]
async fn product_list() {
    let m = Interactive::product_list(
        "Our bestsellers",
        "Pick what you like",
        "194836987003835",
        [
            ProductSection::new("Shoes", ["SKU-1", "SKU-2"]),
            ProductSection::new("Bags", ["SKU-9"]),
        ],
    )
    .footer("Free shipping");
    send_to_user(
        m,
        json!({"type": "interactive", "interactive": {
            "type": "product_list",
            "header": {"type": "text", "text": "Our bestsellers"},
            "body": {"text": "Pick what you like"},
            "footer": {"text": "Free shipping"},
            "action": {"catalog_id": "194836987003835", "sections": [
                {"title": "Shoes", "product_items": [{"product_retailer_id": "SKU-1"}, {"product_retailer_id": "SKU-2"}]},
                {"title": "Bags", "product_items": [{"product_retailer_id": "SKU-9"}]}
            ]}
        }}),
    )
    .await;
}

#[tokio::test]
async fn catalog_message_with_thumbnail() {
    send_to_user(
        Interactive::catalog_with_thumbnail("Browse our catalog", "SKU-1"),
        json!({"type": "interactive", "interactive": {
            "type": "catalog_message",
            "body": {"text": "Browse our catalog"},
            "action": {"name": "catalog_message", "parameters": {"thumbnail_product_retailer_id": "SKU-1"}}
        }}),
    )
    .await;
}

#[tokio::test]
async fn call_permission_request() {
    send_to_user(
        Interactive::call_permission_request("May we call you about your order?"),
        json!({"type": "interactive", "interactive": {
            "type": "call_permission_request",
            "body": {"text": "May we call you about your order?"},
            "action": {"name": "call_permission_request"}
        }}),
    )
    .await;
}

#[tokio::test]
async fn address_request() {
    send_to_user(
        Interactive::address("Where should we deliver?", "IN"),
        json!({"type": "interactive", "interactive": {
            "type": "address_message",
            "body": {"text": "Where should we deliver?"},
            "action": {"name": "address_message", "parameters": {"country": "IN"}}
        }}),
    )
    .await;
}

#[tokio::test]
async fn template_with_named_currency_date_and_url_button() {
    let t = Template::new("payment_due", "en")
        .policy(LanguagePolicy::Deterministic)
        .header([Parameter::document_with_filename(
            MediaSource::id("928860901494862"),
            "bill.pdf",
        )])
        .body([
            Parameter::named("first_name", "Jessica"),
            Parameter::currency("$100.99", "USD", 100_990).name("amount"),
            Parameter::date_time("February 25, 1977").name("due_date"),
        ])
        .button(TemplateButton::url(1, "bill/8871"));
    send_to_user(
        t,
        json!({"type": "template", "template": {
            "name": "payment_due",
            "language": {"policy": "deterministic", "code": "en"},
            "components": [
                {"type": "header", "parameters": [{"type": "document", "document": {"id": "928860901494862", "filename": "bill.pdf"}}]},
                {"type": "body", "parameters": [
                    {"type": "text", "parameter_name": "first_name", "text": "Jessica"},
                    {"type": "currency", "parameter_name": "amount",
                     "currency": {"fallback_value": "$100.99", "code": "USD", "amount_1000": 100990}},
                    {"type": "date_time", "parameter_name": "due_date", "date_time": {"fallback_value": "February 25, 1977"}}
                ]},
                {"type": "button", "sub_type": "url", "index": "1", "parameters": [{"type": "text", "text": "bill/8871"}]}
            ]
        }}),
    )
    .await;
}

#[tokio::test]
async fn template_with_video_and_location_headers_is_wire_exact() {
    send_to_user(
        Template::new("store_tour", "en_US").header([Parameter::video(MediaSource::link(
            "https://example.com/tour.mp4",
        ))]),
        json!({"type": "template", "template": {
            "name": "store_tour", "language": {"code": "en_US"},
            "components": [{"type": "header", "parameters": [{"type": "video", "video": {"link": "https://example.com/tour.mp4"}}]}]
        }}),
    )
    .await;
    send_to_user(
        Template::new("store_location", "en_US").header([Parameter::location(
            Location::new(37.483307, 122.148981)
                .name("Pablo Morales")
                .address("1 Hacker Way, Menlo Park, CA 94025"),
        )]),
        json!({"type": "template", "template": {
            "name": "store_location", "language": {"code": "en_US"},
            "components": [{"type": "header", "parameters": [{"type": "location", "location": {
                "latitude": "37.483307", "longitude": "122.148981",
                "name": "Pablo Morales", "address": "1 Hacker Way, Menlo Park, CA 94025"}}]}]
        }}),
    )
    .await;
}

#[tokio::test]
async fn coupon_template_with_limited_time_offer_and_flow_button() {
    let mut flow_data = serde_json::Map::new();
    flow_data.insert("coupon".into(), json!("CARIBE25"));
    let t = Template::new("limited_time_offer_caribbean_pkg_2023", "en_US")
        .limited_time_offer(1_209_600_000)
        .body([Parameter::text("Pablo"), Parameter::text("CARIBE25")])
        .button(TemplateButton::copy_code(0, "CARIBE25"))
        .button(TemplateButton::flow(
            1,
            ButtonAction::new()
                .flow_token("TOKEN-7")
                .flow_action_data(flow_data),
        ));
    send_to_user(
        t,
        json!({"type": "template", "template": {
            "name": "limited_time_offer_caribbean_pkg_2023", "language": {"code": "en_US"},
            "components": [
                {"type": "limited_time_offer", "parameters": [
                    {"type": "limited_time_offer", "limited_time_offer": {"expiration_time_ms": 1209600000}}]},
                {"type": "body", "parameters": [{"type": "text", "text": "Pablo"}, {"type": "text", "text": "CARIBE25"}]},
                {"type": "button", "sub_type": "copy_code", "index": "0",
                 "parameters": [{"type": "coupon_code", "coupon_code": "CARIBE25"}]},
                {"type": "button", "sub_type": "flow", "index": "1",
                 "parameters": [{"type": "action", "action": {"flow_token": "TOKEN-7", "flow_action_data": {"coupon": "CARIBE25"}}}]}
            ]
        }}),
    )
    .await;
}

#[tokio::test]
async fn carousel_template() {
    let t = Template::new("summer_carousel", "en_US")
        .body([Parameter::text("20OFF")])
        .carousel([
            CarouselCard::new(0)
                .header([Parameter::image(MediaSource::id("24230790383178626"))])
                .button(TemplateButton::quick_reply(0, "more-card-0")),
            CarouselCard::new(1)
                .header([Parameter::image(MediaSource::id("24230790383178627"))])
                .button(TemplateButton::url(1, "summer/1")),
        ]);
    send_to_user(
        t,
        json!({"type": "template", "template": {
            "name": "summer_carousel", "language": {"code": "en_US"},
            "components": [
                {"type": "body", "parameters": [{"type": "text", "text": "20OFF"}]},
                {"type": "carousel", "cards": [
                    {"card_index": 0, "components": [
                        {"type": "header", "parameters": [{"type": "image", "image": {"id": "24230790383178626"}}]},
                        {"type": "button", "sub_type": "quick_reply", "index": "0",
                         "parameters": [{"type": "payload", "payload": "more-card-0"}]}]},
                    {"card_index": 1, "components": [
                        {"type": "header", "parameters": [{"type": "image", "image": {"id": "24230790383178627"}}]},
                        {"type": "button", "sub_type": "url", "index": "1",
                         "parameters": [{"type": "text", "text": "summer/1"}]}]}
                ]}
            ]
        }}),
    )
    .await;
}

#[tokio::test]
async fn template_without_parameters_sends_no_components() {
    send_to_user(
        Template::new("hello_world", "en_US"),
        json!({"type": "template", "template": {"name": "hello_world", "language": {"code": "en_US"}}}),
    )
    .await;
}

// --- Envelope ------------------------------------------------------------------------------------

#[tokio::test]
async fn group_recipient_sets_recipient_type_group() {
    let group = "Y2FwaV9ncm91cDoxNzA1NTU1MDEzOToxMjAzNjM0MDQ2OTQyMzM4MjAZD";
    let send = SendMessage::new(GroupId::from(group), Message::text("Meeting at 10"));
    let expected = json!({
        "messaging_product": "whatsapp", "recipient_type": "group", "to": group,
        "type": "text", "text": {"body": "Meeting at 10"}
    });
    let response = json!({
        "messaging_product": "whatsapp",
        "messages": [{"id": WAMID, "group_id": group}]
    });
    let sent = send_expecting(send, expected, response).await;
    assert_eq!(sent.messages[0].group_id.as_deref(), Some(group));
    assert!(sent.contacts.is_empty());
}

#[tokio::test]
async fn mark_as_read_and_typing_indicator() {
    for (request, expected) in [
        (
            MarkAsRead::new(WAMID),
            json!({"messaging_product": "whatsapp", "status": "read", "message_id": WAMID}),
        ),
        (
            MarkAsRead::new(WAMID).typing_indicator(),
            json!({"messaging_product": "whatsapp", "status": "read", "message_id": WAMID,
                   "typing_indicator": {"type": "text"}}),
        ),
    ] {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path(format!("/v26.0/{PHONE_ID}/messages")))
            .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
            .and(header("content-type", "application/json"))
            .and(body_json(expected))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"success": true})))
            .expect(1)
            .mount(&server)
            .await;
        let ok = client(&server).send(&request).await.unwrap();
        assert!(ok.success);
        server.verify().await;
    }
}

#[tokio::test]
async fn invalid_message_never_reaches_the_server() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(accepted()))
        .expect(0)
        .mount(&server)
        .await;
    let four = Interactive::buttons(
        "Pick one",
        ["a", "b", "c", "d"].map(|s| ReplyButton::new(s, s)),
    );
    let err = client(&server)
        .send(&SendMessage::new(TO, four))
        .await
        .unwrap_err();
    match err {
        Error::Validation(v) => {
            assert_eq!(v.field, "interactive.action.buttons");
            assert_eq!(v.violation, Violation::TooMany { max: 3, actual: 4 });
        }
        other => panic!("expected a validation error, got {other:?}"),
    }
    let err = client(&server)
        .send(&MarkAsRead::new(" "))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Validation(ref v) if v.field == "message_id"));
    let err = client(&server)
        .send(&SendMessage::new(
            whatsapp_cloud::Recipient::user_id("US."),
            Message::text("Hi"),
        ))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Validation(ref v) if v.field == "recipient"));
    server.verify().await;
}

#[tokio::test]
async fn meta_error_is_returned_typed() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/v26.0/{PHONE_ID}/messages")))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({"error": {
            "message": "(#131047) Re-engagement message", "type": "OAuthException", "code": 131047,
            "error_data": {"messaging_product": "whatsapp", "details": "Message failed to send because more than 24 hours have passed since the customer last replied to this number."},
            "fbtrace_id": "Az8or2yhqkZfEZ-_4Qn_Bam"}})))
        .expect(1)
        .mount(&server)
        .await;
    let err = client(&server)
        .send(&SendMessage::new(TO, Message::text("late")))
        .await
        .unwrap_err();
    assert_eq!(err.api().and_then(|a| a.code()), Some(131047));
    server.verify().await;
}

// --- Response parsing ----------------------------------------------------------------------------

fn parse(body: &str) -> SendResponse {
    let response = http::Response::builder()
        .status(200)
        .body(body.as_bytes().to_vec())
        .unwrap();
    SendMessage::new(TO, Message::text("x"))
        .parse_response(response)
        .unwrap()
}

#[test]
fn message_status_values_are_typed_and_unknown_ones_kept() {
    let r = parse(
        r#"{"messaging_product":"whatsapp","contacts":[{"input":"1","wa_id":"1"}],"messages":[
            {"id":"wamid.a","message_status":"accepted"},
            {"id":"wamid.b","message_status":"held_for_quality_assessment"},
            {"id":"wamid.c","message_status":"paused"},
            {"id":"wamid.d","message_status":"throttled_by_the_future"},
            {"id":"wamid.e"}]}"#,
    );
    let statuses: Vec<_> = r
        .messages
        .iter()
        .map(|m| m.message_status.clone())
        .collect();
    assert_eq!(
        statuses,
        vec![
            Some(AcceptedStatus::Accepted),
            Some(AcceptedStatus::HeldForQualityAssessment),
            Some(AcceptedStatus::Paused),
            Some(AcceptedStatus::Unknown("throttled_by_the_future".into())),
            None
        ]
    );
    assert_eq!(r.message_id().unwrap().as_str(), "wamid.a");
}

#[test]
#[ignore = "needs the conformance corpus: set WHATSAPP_CONFORMANCE_DIR"]
fn real_send_response_keeps_wa_id_as_given() {
    let body = String::from_utf8(common::corpus(
        "bindambc/responses/send_message_response.json",
    ))
    .unwrap();
    let r = parse(&body);
    assert_eq!(r.messaging_product, "whatsapp");
    assert_eq!(r.contacts[0].input, "48XXXXXXXXX");
    // The trailing space is in the real body: wa_id is kept verbatim, never trimmed.
    assert_eq!(r.contacts[0].wa_id.as_deref(), Some("48XXXXXXXXX "));
    assert_eq!(r.contacts[0].user_id, None);
    assert_eq!(
        r.message_id().unwrap().as_str(),
        "wamid.gBGGSFcCNEOPAgkO_KJ55r4w_ww"
    );
}

#[test]
fn send_response_serializes_back_without_nulls() {
    let r = parse(r#"{"messaging_product":"whatsapp","messages":[{"id":"wamid.a"}]}"#);
    assert_eq!(
        serde_json::to_value(&r).unwrap(),
        json!({"messaging_product": "whatsapp", "contacts": [], "messages": [{"id": "wamid.a"}]})
    );
}

// --- Validation at every limit ---------------------------------------------------------------------

fn check(message: impl Into<Message>) -> Result<(), ValidationError> {
    SendMessage::new(TO, message).validate()
}

#[track_caller]
fn refused(message: impl Into<Message>, field: &str, violation: Violation) {
    let err = check(message).expect_err("the message should be refused");
    assert_eq!(err.field, field, "{err}");
    assert_eq!(err.violation, violation, "{err}");
}

#[track_caller]
fn refused_field(message: impl Into<Message>, field: &str) -> Violation {
    let err = check(message).expect_err("the message should be refused");
    assert_eq!(err.field, field, "{err}");
    err.violation
}

fn too_long(max: usize) -> Violation {
    Violation::TooLong {
        max,
        actual: max + 1,
    }
}

/// `n` characters that are all multi-byte, so a byte count would be wrong.
fn chars(c: char, n: usize) -> String {
    std::iter::repeat_n(c, n).collect()
}

fn buttons_with(title: &str, id: &str) -> Interactive {
    Interactive::buttons("Body", [ReplyButton::new(id, title)])
}

fn list_with(sections: Vec<Section>) -> Interactive {
    Interactive::list("Body", "Menu", sections)
}

#[test]
fn text_body_counts_characters_not_bytes() {
    assert!(check(Message::text(chars('é', 4096))).is_ok());
    refused(Message::text(chars('é', 4097)), "text.body", too_long(4096));
    assert!(check(Message::text(chars('😀', 4096))).is_ok());
    refused(Message::text("  "), "text.body", Violation::Empty);
}

#[test]
fn captions_are_limited_to_1024_characters() {
    assert!(check(Image::from_id("1").caption(chars('😀', 1024))).is_ok());
    refused(
        Image::from_id("1").caption(chars('😀', 1025)),
        "image.caption",
        too_long(1024),
    );
    refused(
        Video::from_id("1").caption(chars('ñ', 1025)),
        "video.caption",
        too_long(1024),
    );
    refused(
        Document::from_id("1").caption(chars('ü', 1025)),
        "document.caption",
        too_long(1024),
    );
}

#[test]
fn media_needs_a_plain_id_or_an_http_link() {
    let v = refused_field(Image::from_link("ftp://example.com/a.png"), "image.link");
    assert!(
        matches!(v, Violation::Invalid { ref value, .. } if value == "ftp://example.com/a.png")
    );
    refused_field(Sticker::from_link("example.com/a.webp"), "sticker.link");
    refused(Audio::from_id(""), "audio.id", Violation::Empty);
    refused(
        Video::from_id(" 123"),
        "video.id",
        Violation::SurroundingWhitespace {
            value: " 123".into(),
        },
    );
    refused(
        Document::from_id("1").filename(" "),
        "document.filename",
        Violation::Empty,
    );
    assert!(check(Audio::from_link("http://example.com/a.ogg")).is_ok());
}

#[test]
fn envelope_limits() {
    let ok = SendMessage::new(TO, Message::text("x"))
        .biz_opaque_callback_data(chars('ß', 512))
        .reply_to(format!("wamid.{}", "A".repeat(122)));
    assert!(ok.validate().is_ok());
    let err = SendMessage::new(TO, Message::text("x"))
        .biz_opaque_callback_data(chars('ß', 513))
        .validate()
        .unwrap_err();
    assert_eq!(
        (err.field.as_str(), err.violation),
        ("biz_opaque_callback_data", too_long(512))
    );
    let err = SendMessage::new(TO, Message::text("x"))
        .reply_to(format!("wamid.{}", "A".repeat(123)))
        .validate()
        .unwrap_err();
    assert_eq!(
        (err.field.as_str(), err.violation),
        ("context.message_id", too_long(128))
    );
    let err = SendMessage::new(TO, Message::text("x"))
        .reply_to(" wamid.1")
        .validate()
        .unwrap_err();
    assert_eq!(
        (err.field.as_str(), err.violation),
        (
            "context.message_id",
            Violation::SurroundingWhitespace {
                value: " wamid.1".into()
            }
        )
    );
    let err = SendMessage::new(" ", Message::text("x"))
        .validate()
        .unwrap_err();
    assert_eq!(
        (err.field.as_str(), err.violation),
        ("to", Violation::Empty)
    );
}

#[test]
fn location_coordinates_must_be_in_range() {
    assert!(check(Location::new(90.0, -180.0)).is_ok());
    assert!(check(Location::new(-90.0, 180.0)).is_ok());
    refused_field(Location::new(90.5, 0.0), "location.latitude");
    refused_field(Location::new(0.0, -180.01), "location.longitude");
    refused_field(Location::new(f64::NAN, 0.0), "location.latitude");
    refused_field(Location::new(0.0, f64::INFINITY), "location.longitude");
}

#[test]
fn contacts_limits() {
    assert!(check(vec![ContactCard::new("A"); 257]).is_ok());
    refused(
        vec![ContactCard::new("A"); 258],
        "contacts",
        Violation::TooMany {
            max: 257,
            actual: 258,
        },
    );
    refused(
        Vec::<ContactCard>::new(),
        "contacts",
        Violation::TooFew { min: 1, actual: 0 },
    );
    refused(
        ContactCard::new(" "),
        "contacts[0].name.formatted_name",
        Violation::Empty,
    );
    refused_field(
        vec![
            ContactCard::new("A"),
            ContactCard::new("B").birthday("1999-02-30"),
        ],
        "contacts[1].birthday",
    );
    refused_field(
        ContactCard::new("A").birthday("23/01/1999"),
        "contacts[0].birthday",
    );
    refused(
        ContactCard::new("A").phone("+1").phone(""),
        "contacts[0].phones[1].phone",
        Violation::Empty,
    );
    refused_field(
        ContactCard::new("A").phone(Phone::new("+1").wa_id(" 1")),
        "contacts[0].phones[0].wa_id",
    );
}

#[test]
fn reaction_needs_a_message_id() {
    refused(
        Reaction::new("", "👍"),
        "reaction.message_id",
        Violation::Empty,
    );
    refused(
        Reaction::new("A".repeat(129), "👍"),
        "reaction.message_id",
        too_long(128),
    );
    assert!(check(Reaction::remove(WAMID)).is_ok());
}

#[test]
fn reply_button_limits() {
    assert!(check(buttons_with(&chars('ö', 20), &chars('ö', 256))).is_ok());
    refused(
        buttons_with(&chars('ö', 21), "id"),
        "interactive.action.buttons[0].reply.title",
        too_long(20),
    );
    refused(
        buttons_with("Yes", &chars('ö', 257)),
        "interactive.action.buttons[0].reply.id",
        too_long(256),
    );
    refused(
        buttons_with("Yes", "id "),
        "interactive.action.buttons[0].reply.id",
        Violation::SurroundingWhitespace {
            value: "id ".into(),
        },
    );
    refused(
        Interactive::buttons("Body", Vec::new()),
        "interactive.action.buttons",
        Violation::TooFew { min: 1, actual: 0 },
    );
    let three = ["a", "b", "c"].map(|s| ReplyButton::new(s, s));
    assert!(check(Interactive::buttons("Body", three)).is_ok());
    refused(
        Interactive::buttons(
            "Body",
            [
                ReplyButton::new("1", "Yes"),
                ReplyButton::new("2", "No"),
                ReplyButton::new("3", "Yes"),
            ],
        ),
        "interactive.action.buttons[2].reply.title",
        Violation::Duplicate {
            value: "Yes".into(),
        },
    );
    refused(
        Interactive::buttons(
            "Body",
            [ReplyButton::new("1", "Yes"), ReplyButton::new("1", "No")],
        ),
        "interactive.action.buttons[1].reply.id",
        Violation::Duplicate { value: "1".into() },
    );
}

#[test]
fn interactive_body_header_and_footer_limits() {
    assert!(check(buttons_with("a", "a").body(chars('€', 1024))).is_ok());
    refused(
        buttons_with("a", "a").body(chars('€', 1025)),
        "interactive.body.text",
        too_long(1024),
    );
    assert!(
        check(list_with(vec![Section::untitled([Row::new("r", "R")])]).body(chars('€', 4096)))
            .is_ok()
    );
    refused(
        list_with(vec![Section::untitled([Row::new("r", "R")])]).body(chars('€', 4097)),
        "interactive.body.text",
        too_long(4096),
    );
    assert!(
        check(
            buttons_with("a", "a")
                .header(chars('ł', 60))
                .footer(chars('ł', 60))
        )
        .is_ok()
    );
    refused(
        buttons_with("a", "a").header(chars('ł', 61)),
        "interactive.header.text",
        too_long(60),
    );
    refused(
        buttons_with("a", "a").footer(chars('ł', 61)),
        "interactive.footer.text",
        too_long(60),
    );
    refused_field(
        buttons_with("a", "a").header(Header::video(MediaSource::link("nope"))),
        "interactive.header.video.link",
    );
    refused(
        Interactive::product("1", "2").body(""),
        "interactive.body.text",
        Violation::Empty,
    );
    refused(
        Interactive::location_request(" "),
        "interactive.body.text",
        Violation::Empty,
    );
}

#[test]
fn header_kinds_are_checked_per_interactive_type() {
    let v = refused_field(
        list_with(vec![Section::untitled([Row::new("r", "R")])])
            .header(Header::image(MediaSource::id("1"))),
        "interactive.header.type",
    );
    assert!(matches!(v, Violation::Invalid { ref value, .. } if value == "image"));
    refused_field(
        Interactive::product("1", "2").header("Hi"),
        "interactive.header.type",
    );
    refused_field(
        Interactive::product_list("H", "B", "1", [ProductSection::new("S", ["p"])])
            .header(Header::image(MediaSource::id("1"))),
        "interactive.header.type",
    );
}

#[test]
fn list_limits() {
    let row = |i: usize| Row::new(format!("r{i}"), format!("Row {i}"));
    // 10 sections with one row each: the most allowed.
    let ten: Vec<Section> = (0..10)
        .map(|i| Section::new(format!("S{i}"), [row(i)]))
        .collect();
    assert!(check(list_with(ten.clone())).is_ok());
    let mut eleven = ten.clone();
    eleven.push(Section::new("S10", [row(10)]));
    refused(
        list_with(eleven),
        "interactive.action.sections",
        Violation::TooMany {
            max: 10,
            actual: 11,
        },
    );
    // 11 rows across two sections.
    let rows = list_with(vec![
        Section::new("A", (0..6).map(row)),
        Section::new("B", (6..11).map(row)),
    ]);
    refused(
        rows,
        "interactive.action.sections[].rows",
        Violation::TooMany {
            max: 10,
            actual: 11,
        },
    );
    refused(
        list_with(Vec::new()),
        "interactive.action.sections",
        Violation::TooFew { min: 1, actual: 0 },
    );
    refused(
        list_with(vec![Section::new("A", [])]),
        "interactive.action.sections[0].rows",
        Violation::TooFew { min: 1, actual: 0 },
    );
    // Titles and ids at the edge, then one past it.
    assert!(
        check(list_with(vec![Section::new(
            chars('ç', 24),
            [Row::new(chars('ç', 200), chars('ç', 24)).description(chars('ç', 72))]
        )]))
        .is_ok()
    );
    refused(
        list_with(vec![Section::new(chars('ç', 25), [row(0)])]),
        "interactive.action.sections[0].title",
        too_long(24),
    );
    refused(
        list_with(vec![Section::new("A", [Row::new(chars('ç', 201), "t")])]),
        "interactive.action.sections[0].rows[0].id",
        too_long(200),
    );
    refused(
        list_with(vec![Section::new("A", [Row::new("i", chars('ç', 25))])]),
        "interactive.action.sections[0].rows[0].title",
        too_long(24),
    );
    refused(
        list_with(vec![Section::new(
            "A",
            [Row::new("i", "t").description(chars('ç', 73))],
        )]),
        "interactive.action.sections[0].rows[0].description",
        too_long(72),
    );
    assert!(
        check(Interactive::list(
            "B",
            chars('ą', 20),
            [Section::untitled([row(0)])]
        ))
        .is_ok()
    );
    refused(
        Interactive::list("B", chars('ą', 21), [Section::untitled([row(0)])]),
        "interactive.action.button",
        too_long(20),
    );
    refused(
        list_with(vec![
            Section::new("A", [row(0)]),
            Section::untitled([row(1)]),
        ]),
        "interactive.action.sections[1].title",
        Violation::Missing,
    );
    refused(
        list_with(vec![
            Section::new("A", [row(0)]),
            Section::new("B", [row(0)]),
        ]),
        "interactive.action.sections[1].rows[0].id",
        Violation::Duplicate { value: "r0".into() },
    );
}

#[test]
fn cta_url_limits() {
    assert!(
        check(Interactive::cta_url(
            "B",
            chars('ü', 20),
            "https://example.com"
        ))
        .is_ok()
    );
    refused(
        Interactive::cta_url("B", chars('ü', 21), "https://example.com"),
        "interactive.action.parameters.display_text",
        too_long(20),
    );
    refused_field(
        Interactive::cta_url("B", "Go", "javascript:alert(1)"),
        "interactive.action.parameters.url",
    );
}

#[test]
fn flow_limits() {
    assert!(check(Interactive::flow("B", Flow::by_id("1", chars('é', 30)))).is_ok());
    refused(
        Interactive::flow("B", Flow::by_id("1", chars('é', 31))),
        "interactive.action.parameters.flow_cta",
        too_long(30),
    );
    refused(
        Interactive::flow("B", Flow::by_id("", "Go")),
        "interactive.action.parameters.flow_id",
        Violation::Empty,
    );
    refused(
        Interactive::flow("B", Flow::by_name(" ", "Go")),
        "interactive.action.parameters.flow_name",
        Violation::Empty,
    );
    refused(
        Interactive::flow(
            "B",
            Flow::by_id("1", "Go").navigate_with_data("S", serde_json::Map::new()),
        ),
        "interactive.action.parameters.flow_action_payload.data",
        Violation::Empty,
    );
    refused(
        Interactive::flow("B", Flow::by_id("1", "Go").navigate("")),
        "interactive.action.parameters.flow_action_payload.screen",
        Violation::Empty,
    );
}

#[test]
fn product_list_limits() {
    let items = |n: usize, from: usize| {
        (from..from + n)
            .map(|i| format!("SKU-{i}"))
            .collect::<Vec<_>>()
    };
    let ok = Interactive::product_list(
        "H",
        "B",
        "cat",
        [
            ProductSection::new("A", items(15, 0)),
            ProductSection::new("B", items(15, 15)),
        ],
    );
    assert!(check(ok).is_ok());
    let over = Interactive::product_list(
        "H",
        "B",
        "cat",
        [
            ProductSection::new("A", items(15, 0)),
            ProductSection::new("B", items(16, 15)),
        ],
    );
    refused(
        over,
        "interactive.action.sections[].product_items",
        Violation::TooMany {
            max: 30,
            actual: 31,
        },
    );
    let sections: Vec<_> = (0..11)
        .map(|i| ProductSection::new(format!("S{i}"), items(1, i)))
        .collect();
    refused(
        Interactive::product_list("H", "B", "cat", sections),
        "interactive.action.sections",
        Violation::TooMany {
            max: 10,
            actual: 11,
        },
    );
    refused(
        Interactive::product_list(
            "H",
            "B",
            "cat",
            [ProductSection::new("A", Vec::<String>::new())],
        ),
        "interactive.action.sections[0].product_items",
        Violation::TooFew { min: 1, actual: 0 },
    );
    refused(
        Interactive::product_list(" ", "B", "cat", [ProductSection::new("A", ["x"])]),
        "interactive.header.text",
        Violation::Empty,
    );
}

#[test]
fn address_country_must_be_iso_alpha_2() {
    refused_field(
        Interactive::address("B", "in"),
        "interactive.action.parameters.country",
    );
    refused_field(
        Interactive::address("B", "IND"),
        "interactive.action.parameters.country",
    );
}

#[test]
fn template_name_and_language_rules() {
    assert!(check(Template::new("a".repeat(512), "en_US")).is_ok());
    refused(
        Template::new("a".repeat(513), "en_US"),
        "template.name",
        too_long(512),
    );
    refused_field(
        Template::new("Order_Confirmation", "en_US"),
        "template.name",
    );
    refused_field(
        Template::new("order confirmation", "en_US"),
        "template.name",
    );
    refused(
        Template::new("", "en_US"),
        "template.name",
        Violation::Empty,
    );
    refused(
        Template::new("hello", ""),
        "template.language.code",
        Violation::Empty,
    );
    refused_field(Template::new("hello", "en-US "), "template.language.code");
}

#[test]
fn template_text_parameter_limits_depend_on_the_component() {
    let header = |s: String| Template::new("t", "en").header([Parameter::text(s)]);
    assert!(check(header(chars('ñ', 60))).is_ok());
    refused(
        header(chars('ñ', 61)),
        "template.components[0].parameters[0].text",
        too_long(60),
    );
    // Body alone: 32768.
    let body_only = |s: String| Template::new("t", "en").body([Parameter::text(s)]);
    assert!(check(body_only(chars('ñ', 32768))).is_ok());
    refused(
        body_only(chars('ñ', 32769)),
        "template.components[0].parameters[0].text",
        too_long(32768),
    );
    // Body with other components: 1024.
    let body_and_button = |s: String| {
        Template::new("t", "en")
            .body([Parameter::text("x"), Parameter::text(s)])
            .button(TemplateButton::quick_reply(0, "p"))
    };
    assert!(check(body_and_button(chars('ñ', 1024))).is_ok());
    refused(
        body_and_button(chars('ñ', 1025)),
        "template.components[0].parameters[1].text",
        too_long(1024),
    );
    refused(
        body_only(String::new()),
        "template.components[0].parameters[0].text",
        Violation::Empty,
    );
}

#[test]
fn template_button_limits() {
    assert!(check(Template::new("t", "en").button(TemplateButton::quick_reply(9, "p"))).is_ok());
    refused(
        Template::new("t", "en").button(TemplateButton::quick_reply(10, "p")),
        "template.components[0].index",
        Violation::OutOfRange {
            min: 0,
            max: 9,
            actual: 10,
        },
    );
    refused(
        Template::new("t", "en")
            .button(TemplateButton::quick_reply(0, "a"))
            .button(TemplateButton::quick_reply(0, "b")),
        "template.components[1].index",
        Violation::Duplicate { value: "0".into() },
    );
    assert!(
        check(Template::new("t", "en").button(TemplateButton::copy_code(0, chars('Ä', 15))))
            .is_ok()
    );
    refused(
        Template::new("t", "en").button(TemplateButton::copy_code(0, chars('Ä', 16))),
        "template.components[0].parameters[0].coupon_code",
        too_long(15),
    );
    refused(
        Template::new("t", "en").button(TemplateButton::quick_reply(0, " ")),
        "template.components[0].parameters[0].payload",
        Violation::Empty,
    );
}

#[test]
fn template_parameter_formats() {
    for code in ["usd", "US", "USDT", "U$D"] {
        refused_field(
            Template::new("t", "en").body([Parameter::currency("$1", code, 1000)]),
            "template.components[0].parameters[0].currency.code",
        );
    }
    refused(
        Template::new("t", "en").body([Parameter::date_time("")]),
        "template.components[0].parameters[0].date_time.fallback_value",
        Violation::Empty,
    );
    refused_field(
        Template::new("t", "en").body([Parameter::named("First Name", "Jo")]),
        "template.components[0].parameters[0].parameter_name",
    );
    refused_field(
        Template::new("t", "en")
            .header([Parameter::image(MediaSource::link("file:///etc/passwd"))]),
        "template.components[0].parameters[0].image.link",
    );
    refused(
        Template::new("t", "en").limited_time_offer(-1),
        "template.components[0].parameters[0].limited_time_offer.expiration_time_ms",
        Violation::OutOfRange {
            min: 0,
            max: i64::MAX,
            actual: -1,
        },
    );
    refused(
        Template::new("t", "en").body([]).body([]),
        "template.components[1].type",
        Violation::Duplicate {
            value: "body".into(),
        },
    );
}

#[test]
fn carousel_limits() {
    let card = |i: u8| CarouselCard::new(i).body([Parameter::text("x")]);
    assert!(check(Template::new("t", "en").carousel((0..10).map(card))).is_ok());
    refused(
        Template::new("t", "en").carousel((0..11).map(|i| card(i % 10))),
        "template.components[0].cards",
        Violation::TooMany {
            max: 10,
            actual: 11,
        },
    );
    refused(
        Template::new("t", "en").carousel([card(10)]),
        "template.components[0].cards[0].card_index",
        Violation::OutOfRange {
            min: 0,
            max: 9,
            actual: 10,
        },
    );
    refused(
        Template::new("t", "en").carousel([card(1), card(1)]),
        "template.components[0].cards[1].card_index",
        Violation::Duplicate { value: "1".into() },
    );
    refused(
        Template::new("t", "en")
            .carousel([CarouselCard::new(0).header([Parameter::text(chars('é', 61))])]),
        "template.components[0].cards[0].components[0].parameters[0].text",
        too_long(60),
    );
}

#[test]
fn mark_as_read_validates_the_message_id() {
    assert!(MarkAsRead::new("A".repeat(128)).validate().is_ok());
    let err = MarkAsRead::new("A".repeat(129)).validate().unwrap_err();
    assert_eq!(
        (err.field.as_str(), err.violation),
        ("message_id", too_long(128))
    );
}

#[test]
fn validation_errors_name_field_limit_and_value() {
    let err = check(Message::text(chars('é', 4097))).unwrap_err();
    assert_eq!(
        err.to_string(),
        "text.body is 4097 characters long, the limit is 4096"
    );
    let err = check(Image::from_link("ftp://x")).unwrap_err();
    assert!(err.to_string().contains("ftp://x"), "{err}");
}

#[test]
fn every_content_type_converts_into_a_message() {
    let cases: Vec<(Message, &str)> = vec![
        (Text::new("a").into(), "text"),
        (Image::from_id("1").into(), "image"),
        (Audio::from_id("1").into(), "audio"),
        (Video::from_id("1").into(), "video"),
        (Document::from_id("1").into(), "document"),
        (Sticker::from_id("1").into(), "sticker"),
        (Location::new(0.0, 0.0).into(), "location"),
        (ContactCard::new("A").into(), "contacts"),
        (Interactive::location_request("B").into(), "interactive"),
        (Template::new("t", "en").into(), "template"),
        (Reaction::remove("wamid.1").into(), "reaction"),
    ];
    for (message, name) in cases {
        assert_eq!(message.type_name(), name);
        let json = serde_json::to_value(SendMessage::new(TO, message)).unwrap();
        assert_eq!(json["type"], name);
        assert!(json.get(name).is_some(), "payload under {name}");
    }
}

#[tokio::test]
async fn media_carousel_numbers_cards_in_order() {
    let m = Interactive::media_carousel(
        "Check out our latest offers!",
        [
            MediaCard::image(
                MediaSource::link("https://example.com/image1.png"),
                "Shop now",
                "https://shop.example.com/deal1",
            )
            .body("Exclusive deal #1"),
            MediaCard::image(
                MediaSource::link("https://example.com/image2.png"),
                "Shop now",
                "https://shop.example.com/deal2",
            ),
        ],
    );
    send_to_user(
        m,
        json!({"type": "interactive", "interactive": {
            "type": "carousel",
            "body": {"text": "Check out our latest offers!"},
            "action": {"cards": [
                {"card_index": 0, "type": "cta_url",
                 "header": {"type": "image", "image": {"link": "https://example.com/image1.png"}},
                 "body": {"text": "Exclusive deal #1"},
                 "action": {"name": "cta_url", "parameters": {"display_text": "Shop now", "url": "https://shop.example.com/deal1"}}},
                {"card_index": 1, "type": "cta_url",
                 "header": {"type": "image", "image": {"link": "https://example.com/image2.png"}},
                 "action": {"name": "cta_url", "parameters": {"display_text": "Shop now", "url": "https://shop.example.com/deal2"}}}
            ]}
        }}),
    )
    .await;
}

fn card(i: usize) -> MediaCard {
    MediaCard::image(
        MediaSource::id(format!("{i}")),
        "Shop",
        "https://example.com",
    )
}

#[test]
fn media_carousel_limits() {
    assert!(check(Interactive::media_carousel("B", (0..10).map(card))).is_ok());
    refused(
        Interactive::media_carousel("B", (0..11).map(card)),
        "interactive.action.cards",
        Violation::TooMany {
            max: 10,
            actual: 11,
        },
    );
    refused(
        Interactive::media_carousel("B", [card(0)]),
        "interactive.action.cards",
        Violation::TooFew { min: 2, actual: 1 },
    );
    assert!(
        check(Interactive::media_carousel(
            "B",
            [card(0).body(chars('é', 160)), card(1)]
        ))
        .is_ok()
    );
    refused(
        Interactive::media_carousel("B", [card(0), card(1).body(chars('é', 161))]),
        "interactive.action.cards[1].body.text",
        too_long(160),
    );
    let mixed = Interactive::media_carousel(
        "B",
        [
            card(0),
            MediaCard::video(MediaSource::id("v"), "Watch", "https://example.com"),
        ],
    );
    refused_field(mixed, "interactive.action.cards[1].header.type");
    refused_field(
        Interactive::media_carousel("B", [card(0), card(1)]).footer("f"),
        "interactive.footer.text",
    );
    refused_field(
        Interactive::media_carousel("B", [card(0), card(1)]).header("h"),
        "interactive.header.type",
    );
    refused(
        Interactive::media_carousel(
            "B",
            [
                card(0),
                MediaCard::image(MediaSource::id("1"), chars('é', 21), "https://example.com"),
            ],
        ),
        "interactive.action.cards[1].action.parameters.display_text",
        too_long(20),
    );
}

#[test]
fn named_and_positional_parameters_do_not_mix() {
    assert!(
        check(
            Template::new("t", "en").body([Parameter::named("a", "1"), Parameter::named("b", "2")])
        )
        .is_ok()
    );
    let v = refused_field(
        Template::new("t", "en").body([Parameter::named("a", "1"), Parameter::text("2")]),
        "template.components[0].parameters[1].parameter_name",
    );
    assert!(matches!(v, Violation::Invalid { .. }));
    refused_field(
        Template::new("t", "en").body([Parameter::text("1"), Parameter::named("b", "2")]),
        "template.components[0].parameters[1].parameter_name",
    );
}

#[test]
fn button_sub_types_parse_case_insensitively_and_serialize_lower_case() {
    assert_eq!(ButtonSubType::from("COPY_CODE"), ButtonSubType::CopyCode);
    assert_eq!(ButtonSubType::from("Catalog"), ButtonSubType::Catalog);
    assert_eq!(
        ButtonSubType::from("quick_reply"),
        ButtonSubType::QuickReply
    );
    assert_eq!(
        ButtonSubType::from("future_kind"),
        ButtonSubType::Unknown("future_kind".into())
    );
    let b = TemplateButton::new(
        "CATALOG",
        0,
        [Parameter::action(
            ButtonAction::new().thumbnail_product_retailer_id("SKU-1"),
        )],
    );
    assert_eq!(
        serde_json::to_value(&b).unwrap(),
        json!({"type": "button", "sub_type": "catalog", "index": "0",
               "parameters": [{"type": "action", "action": {"thumbnail_product_retailer_id": "SKU-1"}}]})
    );
    let voice = TemplateButton::new(ButtonSubType::VoiceCall, 2, []);
    assert_eq!(
        serde_json::to_value(&voice).unwrap(),
        json!({"type": "button", "sub_type": "voice_call", "index": "2"})
    );
}

// --- Properties ----------------------------------------------------------------------------------

fn contains_null(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::Array(items) => items.iter().any(contains_null),
        Value::Object(map) => map.values().any(contains_null),
        _ => false,
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

    #[test]
    fn text_body_is_accepted_exactly_up_to_4096_characters(body in "\\PC{4090,4100}") {
        let n = body.chars().count();
        let result = check(Message::text(body.clone()));
        if body.trim().is_empty() {
            proptest::prop_assert_eq!(result.unwrap_err().violation, Violation::Empty);
        } else if n <= 4096 {
            proptest::prop_assert!(result.is_ok());
        } else {
            proptest::prop_assert_eq!(result.unwrap_err().violation, Violation::TooLong { max: 4096, actual: n });
        }
    }

    #[test]
    fn reply_button_titles_are_limited_in_characters(title in "\\PC{1,25}") {
        let n = title.chars().count();
        let result = check(buttons_with(&title, "id"));
        if title.trim().is_empty() {
            proptest::prop_assert!(result.is_err());
        } else if n <= 20 {
            proptest::prop_assert!(result.is_ok());
        } else {
            let err = result.unwrap_err();
            proptest::prop_assert_eq!(err.field, "interactive.action.buttons[0].reply.title");
            proptest::prop_assert_eq!(err.violation, Violation::TooLong { max: 20, actual: n });
        }
    }

    #[test]
    fn unset_optional_fields_never_serialize_as_null(
        caption in proptest::option::of("[a-z ]{1,10}"),
        filename in proptest::option::of("[a-z]{1,8}\\.pdf"),
        header in proptest::option::of("[A-Za-z]{1,10}"),
        footer in proptest::option::of("[A-Za-z]{1,10}"),
        reply in proptest::option::of("wamid\\.[A-Za-z0-9]{5}"),
        named in proptest::bool::ANY,
    ) {
        let mut doc = Document::from_id("1");
        if let Some(c) = &caption { doc = doc.caption(c); }
        if let Some(f) = &filename { doc = doc.filename(f); }
        let mut buttons = Interactive::buttons("B", [ReplyButton::new("a", "A")]);
        if let Some(h) = &header { buttons = buttons.header(h.as_str()); }
        if let Some(f) = &footer { buttons = buttons.footer(f); }
        let mut p = Parameter::text("x");
        if named { p = p.name("first_name"); }
        let messages: Vec<Message> = vec![
            doc.into(),
            buttons.into(),
            Template::new("t", "en").body([p]).into(),
            ContactCard::new("A").into(),
            Location::new(1.0, 2.0).into(),
            Interactive::flow("B", Flow::by_id("1", "Go")).into(),
        ];
        for message in messages {
            let mut send = SendMessage::new(TO, message);
            if let Some(r) = &reply { send = send.reply_to(r.as_str()); }
            let json = serde_json::to_value(&send).unwrap();
            proptest::prop_assert!(!contains_null(&json), "{}", json);
            proptest::prop_assert!(send.validate().is_ok());
        }
    }
}

#[tokio::test]
async fn multi_product_template_button() {
    let t = Template::new("abandoned_cart", "en_US")
        .body([Parameter::text("Pablo")])
        .button(TemplateButton::new(
            ButtonSubType::Mpm,
            0,
            [Parameter::action(
                ButtonAction::new()
                    .thumbnail_product_retailer_id("SKU-1")
                    .section(ProductSection::new("Popular", ["SKU-1", "SKU-2"])),
            )],
        ));
    send_to_user(
        t,
        json!({"type": "template", "template": {
            "name": "abandoned_cart", "language": {"code": "en_US"},
            "components": [
                {"type": "body", "parameters": [{"type": "text", "text": "Pablo"}]},
                {"type": "button", "sub_type": "mpm", "index": "0", "parameters": [{"type": "action", "action": {
                    "thumbnail_product_retailer_id": "SKU-1",
                    "sections": [{"title": "Popular", "product_items": [
                        {"product_retailer_id": "SKU-1"}, {"product_retailer_id": "SKU-2"}]}]
                }}]}
            ]
        }}),
    )
    .await;
}

#[test]
fn multi_product_button_sections_are_checked() {
    let over: Vec<String> = (0..31).map(|i| format!("SKU-{i}")).collect();
    let t = Template::new("t", "en").button(TemplateButton::new(
        ButtonSubType::Mpm,
        0,
        [Parameter::action(
            ButtonAction::new().section(ProductSection::new("All", over)),
        )],
    ));
    refused(
        t,
        "template.components[0].parameters[0].action.sections[].product_items",
        Violation::TooMany {
            max: 30,
            actual: 31,
        },
    );
}

#[test]
fn contact_type_labels_keep_free_text() {
    assert_eq!(InfoType::from("HOME"), InfoType::Home);
    assert_eq!(InfoType::from(String::from("WORK")), InfoType::Work);
    assert_eq!(InfoType::from("Office"), InfoType::Other("Office".into()));
    assert_eq!(PhoneType::from("IPHONE"), PhoneType::Iphone);
    assert_eq!(PhoneType::from("Landline").as_str(), "Landline");
    let card = ContactCard::new("A")
        .address(Address::new().kind("Pop-Up"))
        .phone(Phone::new("+1").kind(PhoneType::Main));
    let json = serde_json::to_value(&card).unwrap();
    assert_eq!(json["addresses"][0], json!({"type": "Pop-Up"}));
    assert_eq!(json["phones"][0]["type"], "MAIN");
}

#[test]
fn requests_are_built_without_any_client() {
    use whatsapp_cloud::ApiContext;
    let ctx = ApiContext::new(TOKEN, PHONE_ID);
    let send = SendMessage::new(TO, Sticker::from_id("798882015472548"));
    let request = send.to_request(&ctx).unwrap();
    assert_eq!(request.method(), http::Method::POST);
    assert_eq!(
        request.uri(),
        "https://graph.facebook.com/v26.0/106540352242922/messages"
    );
    assert_eq!(
        request.headers()["authorization"],
        format!("Bearer {TOKEN}").as_str()
    );
    assert_eq!(request.headers()["content-type"], "application/json");
    let body: Value = serde_json::from_slice(request.body()).unwrap();
    assert_eq!(
        body,
        json!({"messaging_product": "whatsapp", "recipient_type": "individual", "to": TO,
               "type": "sticker", "sticker": {"id": "798882015472548"}})
    );
    let read = MarkAsRead::new(WAMID).to_request(&ctx).unwrap();
    assert_eq!(
        read.uri(),
        "https://graph.facebook.com/v26.0/106540352242922/messages"
    );
    let err = SendMessage::new(TO, Sticker::from_id(""))
        .to_request(&ctx)
        .unwrap_err();
    assert!(matches!(err, Error::Validation(ref v) if v.field == "sticker.id"));
}

fn ok_response(body: &str) -> http::Response<Vec<u8>> {
    http::Response::builder()
        .status(200)
        .body(body.as_bytes().to_vec())
        .unwrap()
}

#[test]
fn a_2xx_send_answer_without_an_accepted_message_is_a_decode_error() {
    let send = SendMessage::new("16505551234", Message::text("hi"));
    for body in [
        "{}",
        r#"{"success":false}"#,
        r#"{"messaging_product":"whatsapp","messages":[]}"#,
    ] {
        let err = send.parse_response(ok_response(body)).unwrap_err();
        assert!(matches!(err, Error::Decode(_)), "{body}: {err:?}");
    }
    let ok = send
        .parse_response(ok_response(
            r#"{"messaging_product":"whatsapp","messages":[{"id":"wamid.1"}]}"#,
        ))
        .unwrap();
    assert_eq!(ok.message_id().unwrap().as_str(), "wamid.1");
}

#[test]
fn mark_as_read_answered_with_success_false_is_an_error() {
    let read = MarkAsRead::new("wamid.IN");
    assert!(matches!(
        read.parse_response(ok_response(r#"{"success":false}"#)),
        Err(Error::Decode(_))
    ));
    assert!(
        read.parse_response(ok_response(r#"{"success":true}"#))
            .unwrap()
            .success
    );
}

#[test]
fn unknown_button_sub_types_are_sent_lower_case() {
    let button = TemplateButton::new("VOICE_CALL_V2", 0, []);
    assert_eq!(
        serde_json::to_value(&button).unwrap()["sub_type"],
        "voice_call_v2"
    );
}

#[test]
fn secrets_compare_by_value() {
    use whatsapp_cloud::AccessToken;
    assert_eq!(AccessToken::new("abc"), AccessToken::new("abc"));
    assert_ne!(AccessToken::new("abc"), AccessToken::new("abd"));
    assert_ne!(AccessToken::new("abc"), AccessToken::new("abcd"));
}
