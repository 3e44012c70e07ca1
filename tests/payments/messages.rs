//! The payment messages: exact bodies through the client, and validation at the limits.

use serde_json::{Value, json};
use whatsapp_cloud::Client;
use whatsapp_cloud::error::{ValidationError, Violation};
use whatsapp_cloud::message::*;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "EAAG-payments-token";
const PHONE_ID: &str = "106540352242922";
const TO: &str = "919000000002";

/// Sends `interactive` to `TO` and expects exactly `expected` as the `interactive` object.
async fn send_expecting(interactive: Interactive, expected: Value) {
    let server = MockServer::start().await;
    let body = json!({
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": TO,
        "type": "interactive",
        "interactive": expected,
    });
    Mock::given(method("POST"))
        .and(path(format!("/v26.0/{PHONE_ID}/messages")))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .and(header("content-type", "application/json"))
        .and(body_json(body))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "messaging_product": "whatsapp",
            "contacts": [{"input": TO, "wa_id": TO}],
            "messages": [{"id": "wamid.order"}]
        })))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder()
        .access_token(TOKEN)
        .phone_number_id(PHONE_ID)
        .base_url(server.uri())
        .build()
        .unwrap();
    let sent = client
        .send(&SendMessage::new(TO, Message::Interactive(interactive)))
        .await
        .unwrap();
    assert_eq!(sent.message_id().unwrap().as_str(), "wamid.order");
    server.verify().await;
}

fn rupees(value: u64) -> Amount {
    Amount::hundredths(value)
}

/// An India payment gateway order: two items (one on sale), tax, shipping and a discount.
fn gateway_order() -> OrderDetails {
    OrderDetails::new("order-42", GoodsType::Physical, "INR", rupees(95_500))
        .payment_setting(PaymentSetting::razorpay(
            "razorpay-prod",
            "receipt-42",
            [("promotion".to_owned(), "diwali".to_owned())],
        ))
        .order(
            Order::new(
                [
                    OrderItem::new("sku-cake", "Chocolate cake", rupees(50_000), 1)
                        .sale_amount(rupees(45_000)),
                    OrderItem::new("sku-candle", "Candle", rupees(10_000), 4)
                        .country_of_origin("India")
                        .importer(
                            "Acme Imports",
                            ImporterAddress::new("1 MG Road", "Bengaluru", "KA", "560001", "IN")
                                .address_line2("Floor 2"),
                        ),
                ],
                rupees(85_000),
            )
            .catalog_id("catalog-1")
            .expiration(OrderExpiration::new(1_900_000_000, "Pay within a day"))
            .tax(Charge::new(rupees(9_000)).description("GST"))
            .shipping(Charge::new(rupees(3_500)))
            .discount(
                Discount::new(rupees(2_000))
                    .description("Festival offer")
                    .program_name("DIWALI"),
            ),
        )
}

#[tokio::test]
async fn order_details_through_a_payment_gateway_is_sent_exactly() {
    let bill = Interactive::order_details("Your order is ready to pay", gateway_order())
        .header(Header::image(MediaSource::link(
            "https://example.com/cake.jpg",
        )))
        .footer("Thank you");
    assert!(bill.validate().is_ok(), "{:?}", bill.validate());
    let amount = |v: u64| json!({"value": v, "offset": 100});
    send_expecting(
        bill,
        json!({
            "type": "order_details",
            "header": {"type": "image", "image": {"link": "https://example.com/cake.jpg"}},
            "body": {"text": "Your order is ready to pay"},
            "footer": {"text": "Thank you"},
            "action": {
                "name": "review_and_pay",
                "parameters": {
                    "reference_id": "order-42",
                    "type": "physical-goods",
                    "payment_settings": [{
                        "type": "payment_gateway",
                        "payment_gateway": {
                            "type": "razorpay",
                            "configuration_name": "razorpay-prod",
                            "razorpay": {"receipt": "receipt-42", "notes": {"promotion": "diwali"}}
                        }
                    }],
                    "currency": "INR",
                    "total_amount": amount(95_500),
                    "order": {
                        "status": "pending",
                        "catalog_id": "catalog-1",
                        "expiration": {"timestamp": "1900000000", "description": "Pay within a day"},
                        "items": [
                            {
                                "retailer_id": "sku-cake",
                                "name": "Chocolate cake",
                                "amount": amount(50_000),
                                "quantity": 1,
                                "sale_amount": amount(45_000)
                            },
                            {
                                "retailer_id": "sku-candle",
                                "name": "Candle",
                                "amount": amount(10_000),
                                "quantity": 4,
                                "country_of_origin": "India",
                                "importer_name": "Acme Imports",
                                "importer_address": {
                                    "address_line1": "1 MG Road",
                                    "address_line2": "Floor 2",
                                    "city": "Bengaluru",
                                    "zone_code": "KA",
                                    "postal_code": "560001",
                                    "country_code": "IN"
                                }
                            }
                        ],
                        "subtotal": amount(85_000),
                        "tax": {"value": 9_000, "offset": 100, "description": "GST"},
                        "shipping": amount(3_500),
                        "discount": {
                            "value": 2_000, "offset": 100,
                            "description": "Festival offer", "discount_program_name": "DIWALI"
                        }
                    }
                }
            }
        }),
    )
    .await;
}

#[tokio::test]
async fn order_details_by_upi_intent_names_its_payment_configuration() {
    let details = OrderDetails::new("order-7", GoodsType::Digital, "INR", rupees(1_000))
        .payment_type(PaymentType::Upi)
        .payment_configuration("upi-config")
        .order(
            Order::new(
                [OrderItem::new("ebook", "E-book", rupees(1_000), 1)],
                rupees(1_000),
            )
            .tax(Charge::new(rupees(0))),
        );
    send_expecting(
        Interactive::order_details("Pay with any UPI app", details),
        json!({
            "type": "order_details",
            "body": {"text": "Pay with any UPI app"},
            "action": {"name": "review_and_pay", "parameters": {
                "reference_id": "order-7",
                "type": "digital-goods",
                "payment_type": "upi",
                "payment_configuration": "upi-config",
                "currency": "INR",
                "total_amount": {"value": 1000, "offset": 100},
                "order": {
                    "status": "pending",
                    "items": [{"retailer_id": "ebook", "name": "E-book", "amount": {"value": 1000, "offset": 100}, "quantity": 1}],
                    "subtotal": {"value": 1000, "offset": 100},
                    "tax": {"value": 0, "offset": 100}
                }
            }}
        }),
    )
    .await;
}

#[tokio::test]
async fn brazil_order_details_carry_pix_boleto_and_link_and_may_leave_the_order_out() {
    let details = OrderDetails::new(
        "pedido-9",
        GoodsType::Digital,
        "BRL",
        Amount::hundredths(50_000),
    )
    .payment_type(PaymentType::Brazil)
    .payment_setting(PaymentSetting::pix(
        "00020101021226700014br.gov.bcb.pix2548pix.example.com",
        "Loja Exemplo",
        "39580525000189",
        PixKeyType::Cnpj,
    ))
    .payment_setting(PaymentSetting::boleto(
        "03399026944140000002628346101018898510000008848",
    ))
    .payment_setting(PaymentSetting::payment_link(
        "https://pay.example.com/pedido-9",
    ));
    send_expecting(
        Interactive::order_details("Seu pedido", details),
        json!({
            "type": "order_details",
            "body": {"text": "Seu pedido"},
            "action": {"name": "review_and_pay", "parameters": {
                "reference_id": "pedido-9",
                "type": "digital-goods",
                "payment_type": "br",
                "payment_settings": [
                    {"type": "pix_dynamic_code", "pix_dynamic_code": {
                        "code": "00020101021226700014br.gov.bcb.pix2548pix.example.com",
                        "merchant_name": "Loja Exemplo",
                        "key": "39580525000189",
                        "key_type": "CNPJ"
                    }},
                    {"type": "boleto", "boleto": {"digitable_line": "03399026944140000002628346101018898510000008848"}},
                    {"type": "payment_link", "payment_link": {"uri": "https://pay.example.com/pedido-9"}}
                ],
                "currency": "BRL",
                "total_amount": {"value": 50000, "offset": 100}
            }}
        }),
    )
    .await;
}

#[tokio::test]
async fn order_status_is_sent_exactly_for_every_state() {
    for (state, wire) in [
        (OrderState::Pending, "pending"),
        (OrderState::Processing, "processing"),
        (OrderState::PartiallyShipped, "partially-shipped"),
        (OrderState::Shipped, "shipped"),
        (OrderState::Completed, "completed"),
        (OrderState::Canceled, "canceled"),
    ] {
        let message = Interactive::order_status(
            "Order update",
            OrderStatus::new("order-42", state).description("See you soon"),
        );
        send_expecting(
            message,
            json!({
                "type": "order_status",
                "body": {"text": "Order update"},
                "action": {"name": "review_order", "parameters": {
                    "reference_id": "order-42",
                    "order": {"status": wire, "description": "See you soon"}
                }}
            }),
        )
        .await;
    }
}

fn check(details: OrderDetails) -> Result<(), ValidationError> {
    Interactive::order_details("Pay", details).validate()
}

fn invalid(e: &ValidationError) -> (&str, &str) {
    match &e.violation {
        Violation::Invalid { value, expected } => (value.as_str(), expected.as_str()),
        other => panic!("{}: not Invalid: {other:?}", e.field),
    }
}

#[test]
fn a_subtotal_that_is_not_the_items_sum_is_refused_with_both_figures() {
    let details =
        OrderDetails::new("order-1", GoodsType::Physical, "INR", rupees(2_000)).order(Order::new(
            [
                OrderItem::new("a", "A", rupees(500), 2),
                OrderItem::new("b", "B", rupees(1_200), 1).sale_amount(rupees(1_000)),
            ],
            rupees(2_200),
        ));
    let e = check(details).unwrap_err();
    assert_eq!(
        e.field,
        "interactive.action.parameters.order.subtotal.value"
    );
    let (value, expected) = invalid(&e);
    assert_eq!(value, "2200");
    assert!(expected.starts_with("2000 "), "{expected}");
}

#[test]
fn a_total_that_is_not_subtotal_plus_tax_and_shipping_minus_discount_is_refused() {
    let order = || {
        Order::new([OrderItem::new("a", "A", rupees(1_000), 3)], rupees(3_000))
            .tax(Charge::new(rupees(300)))
            .shipping(Charge::new(rupees(200)))
            .discount(Discount::new(rupees(500)))
    };
    let ok = OrderDetails::new("order-1", GoodsType::Physical, "INR", rupees(3_000)).order(order());
    assert!(check(ok).is_ok());
    for total in [2_999, 3_001, 3_500] {
        let e = check(
            OrderDetails::new("order-1", GoodsType::Physical, "INR", rupees(total)).order(order()),
        )
        .unwrap_err();
        assert_eq!(e.field, "interactive.action.parameters.total_amount.value");
        let (value, expected) = invalid(&e);
        assert_eq!(value, total.to_string());
        assert!(
            expected.starts_with("3000 (subtotal + tax + shipping - discount)"),
            "{expected}"
        );
    }
    // A discount larger than everything else cannot make a total.
    let e = check(
        OrderDetails::new("order-1", GoodsType::Physical, "INR", rupees(0)).order(
            Order::new([OrderItem::new("a", "A", rupees(100), 1)], rupees(100))
                .discount(Discount::new(rupees(101))),
        ),
    )
    .unwrap_err();
    assert_eq!(
        e.field,
        "interactive.action.parameters.order.discount.value"
    );
}

#[test]
fn amounts_must_share_the_offset_of_the_total() {
    let e = check(
        OrderDetails::new("order-1", GoodsType::Digital, "INR", rupees(1_000)).order(Order::new(
            [OrderItem::new("a", "A", Amount::new(10, 1), 1)],
            rupees(1_000),
        )),
    )
    .unwrap_err();
    assert_eq!(
        e.field,
        "interactive.action.parameters.order.items[0].amount.offset"
    );
    assert_eq!(invalid(&e), ("1", "100, the offset of total_amount"));
}

#[test]
fn an_order_needs_items_with_a_quantity_and_a_sale_price_below_the_price() {
    let e = check(
        OrderDetails::new("order-1", GoodsType::Digital, "INR", rupees(0))
            .order(Order::new([], rupees(0))),
    )
    .unwrap_err();
    assert_eq!(e.field, "interactive.action.parameters.order.items");
    assert_eq!(e.violation, Violation::TooFew { min: 1, actual: 0 });

    let e = check(
        OrderDetails::new("order-1", GoodsType::Digital, "INR", rupees(0)).order(Order::new(
            [OrderItem::new("a", "A", rupees(100), 0)],
            rupees(0),
        )),
    )
    .unwrap_err();
    assert_eq!(
        e.field,
        "interactive.action.parameters.order.items[0].quantity"
    );

    let e = check(
        OrderDetails::new("order-1", GoodsType::Digital, "INR", rupees(100)).order(Order::new(
            [OrderItem::new("a", "A", rupees(100), 1).sale_amount(rupees(100))],
            rupees(100),
        )),
    )
    .unwrap_err();
    assert_eq!(
        e.field,
        "interactive.action.parameters.order.items[0].sale_amount.value"
    );
}

#[test]
fn names_references_and_descriptions_are_checked_at_their_limits() {
    let item = |name: &str| {
        OrderDetails::new("order-1", GoodsType::Digital, "INR", rupees(100)).order(Order::new(
            [OrderItem::new("a", name, rupees(100), 1)],
            rupees(100),
        ))
    };
    assert!(check(item(&"n".repeat(limits_item()))).is_ok());
    let e = check(item(&"n".repeat(limits_item() + 1))).unwrap_err();
    assert_eq!(e.field, "interactive.action.parameters.order.items[0].name");
    assert_eq!(
        e.violation,
        Violation::TooLong {
            max: 60,
            actual: 61
        }
    );

    let reference = |r: &str| check(OrderDetails::new(r, GoodsType::Digital, "INR", rupees(1)));
    assert!(reference(&"r".repeat(35)).is_ok());
    assert!(reference("a_b-c.9").is_ok());
    let e = reference(&"r".repeat(36)).unwrap_err();
    assert_eq!(
        e.violation,
        Violation::TooLong {
            max: 35,
            actual: 36
        }
    );
    let e = reference("order 42").unwrap_err();
    assert_eq!(e.field, "interactive.action.parameters.reference_id");
    assert_eq!(invalid(&e).0, "order 42");
    assert_eq!(reference("").unwrap_err().violation, Violation::Empty);

    let status = |d: &str| {
        Interactive::order_status(
            "Update",
            OrderStatus::new("order-1", OrderState::Shipped).description(d),
        )
        .validate()
    };
    assert!(status(&"d".repeat(120)).is_ok());
    let e = status(&"d".repeat(121)).unwrap_err();
    assert_eq!(e.field, "interactive.action.parameters.order.description");
    assert_eq!(
        e.violation,
        Violation::TooLong {
            max: 120,
            actual: 121
        }
    );
}

fn limits_item() -> usize {
    whatsapp_cloud::limits::ORDER_ITEM_NAME_MAX
}

#[test]
fn payment_flows_are_checked_before_sending() {
    // UPI intent needs its payment configuration.
    let e = check(
        OrderDetails::new("o", GoodsType::Digital, "INR", rupees(1)).payment_type(PaymentType::Upi),
    )
    .unwrap_err();
    assert_eq!(
        e.field,
        "interactive.action.parameters.payment_configuration"
    );
    assert_eq!(e.violation, Violation::Missing);
    // Brazil pays in reais.
    let e = check(
        OrderDetails::new("o", GoodsType::Digital, "INR", rupees(1))
            .payment_type(PaymentType::Brazil),
    )
    .unwrap_err();
    assert_eq!(e.field, "interactive.action.parameters.currency");
    // A currency is three capital letters.
    let e = check(OrderDetails::new("o", GoodsType::Digital, "inr", rupees(1))).unwrap_err();
    assert_eq!(invalid(&e).0, "inr");
    // One setting of each kind.
    let e = check(
        OrderDetails::new("o", GoodsType::Digital, "BRL", rupees(1))
            .payment_setting(PaymentSetting::boleto("1"))
            .payment_setting(PaymentSetting::boleto("2")),
    )
    .unwrap_err();
    assert_eq!(
        e.field,
        "interactive.action.parameters.payment_settings[1].type"
    );
    // A payment link is an http(s) URL.
    let e = check(
        OrderDetails::new("o", GoodsType::Digital, "BRL", rupees(1))
            .payment_setting(PaymentSetting::payment_link("pay.example.com")),
    )
    .unwrap_err();
    assert_eq!(
        e.field,
        "interactive.action.parameters.payment_settings[0].payment_link.uri"
    );
    // Pix needs its code.
    let e = check(
        OrderDetails::new("o", GoodsType::Digital, "BRL", rupees(1))
            .payment_setting(PaymentSetting::pix(" ", "Loja", "key", PixKeyType::Evp)),
    )
    .unwrap_err();
    assert_eq!(
        e.field,
        "interactive.action.parameters.payment_settings[0].pix_dynamic_code.code"
    );
    // Only an image header.
    let e = Interactive::order_details(
        "Pay",
        OrderDetails::new("o", GoodsType::Digital, "INR", rupees(1)),
    )
    .header(Header::text("Bill"))
    .validate()
    .unwrap_err();
    assert_eq!(e.field, "interactive.header.type");
    // A body is required.
    let mut details = Interactive::order_details(
        " ",
        OrderDetails::new("o", GoodsType::Digital, "INR", rupees(1)),
    );
    assert_eq!(
        details.validate().unwrap_err().field,
        "interactive.body.text"
    );
    details = details.body("Pay");
    assert!(details.validate().is_ok());
}

#[test]
fn a_gateway_other_than_razorpay_takes_no_razorpay_fields() {
    let e = check(
        OrderDetails::new("o", GoodsType::Digital, "INR", rupees(1)).payment_setting(
            PaymentSetting::PaymentGateway {
                provider: GatewayProvider::PayU,
                configuration_name: "payu-prod".into(),
                receipt: Some("r".into()),
                notes: Default::default(),
            },
        ),
    )
    .unwrap_err();
    assert_eq!(
        e.field,
        "interactive.action.parameters.payment_settings[0].payment_gateway.razorpay"
    );
    let plain = OrderDetails::new("o", GoodsType::Digital, "INR", rupees(1))
        .payment_setting(PaymentSetting::gateway(GatewayProvider::PayU, "payu-prod"));
    assert!(check(plain.clone()).is_ok());
    let json = serde_json::to_value(Interactive::order_details("Pay", plain)).unwrap();
    assert_eq!(
        json["action"]["parameters"]["payment_settings"],
        json!([{"type": "payment_gateway", "payment_gateway": {"type": "payu", "configuration_name": "payu-prod"}}])
    );
}

#[tokio::test]
async fn the_order_details_template_button_carries_the_order() {
    let server = MockServer::start().await;
    let details = OrderDetails::new("order-42", GoodsType::Physical, "INR", rupees(1_100))
        .payment_setting(PaymentSetting::gateway(
            GatewayProvider::Razorpay,
            "razorpay-prod",
        ))
        .order(
            Order::new(
                [OrderItem::new("sku-1", "Cake", rupees(1_000), 1)],
                rupees(1_000),
            )
            .tax(Charge::new(rupees(100))),
        );
    let template = Template::new("order_bill", "en_US")
        .body([Parameter::text("Asha")])
        .button(TemplateButton::order_details(0, details));
    assert!(template.validate().is_ok());
    let amount = |v: u64| json!({"value": v, "offset": 100});
    Mock::given(method("POST"))
        .and(path(format!("/v26.0/{PHONE_ID}/messages")))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .and(body_json(json!({
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": TO,
            "type": "template",
            "template": {
                "name": "order_bill",
                "language": {"code": "en_US"},
                "components": [
                    {"type": "body", "parameters": [{"type": "text", "text": "Asha"}]},
                    {"type": "button", "sub_type": "order_details", "index": "0", "parameters": [{
                        "type": "action",
                        "action": {"order_details": {
                            "reference_id": "order-42",
                            "type": "physical-goods",
                            "payment_settings": [{"type": "payment_gateway", "payment_gateway": {
                                "type": "razorpay", "configuration_name": "razorpay-prod"
                            }}],
                            "currency": "INR",
                            "total_amount": amount(1_100),
                            "order": {
                                "status": "pending",
                                "items": [{"retailer_id": "sku-1", "name": "Cake", "amount": amount(1_000), "quantity": 1}],
                                "subtotal": amount(1_000),
                                "tax": amount(100)
                            }
                        }}
                    }]}
                ]
            }
        })))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "messaging_product": "whatsapp", "messages": [{"id": "wamid.tpl"}]
        })))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder()
        .access_token(TOKEN)
        .phone_number_id(PHONE_ID)
        .base_url(server.uri())
        .build()
        .unwrap();
    client
        .send(&SendMessage::new(TO, Message::Template(template)))
        .await
        .unwrap();
    server.verify().await;
}

#[test]
fn the_order_details_template_button_is_checked_like_the_message() {
    let wrong_total =
        OrderDetails::new("order-42", GoodsType::Physical, "INR", rupees(999)).order(Order::new(
            [OrderItem::new("sku-1", "Cake", rupees(1_000), 1)],
            rupees(1_000),
        ));
    let e = Template::new("order_bill", "en_US")
        .button(TemplateButton::order_details(0, wrong_total))
        .validate()
        .unwrap_err();
    assert!(
        e.field
            .ends_with(".action.order_details.total_amount.value"),
        "{}",
        e.field
    );
    assert!(e.field.starts_with("template.components["), "{}", e.field);
}
